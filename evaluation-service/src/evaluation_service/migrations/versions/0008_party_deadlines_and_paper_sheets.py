"""Each party of a round has its own deadline, and a party that could not be shown by it is left out with
the reason kept (#21 gap 6); a secretary enters paper 评议表 on behalf of raters without a login (代录,
#21 gap 9): such a rating keeps who entered it and the sheet's pseudonym, which makes a re-sent sheet the same.

Rounds opened before keep the round's deadline for every party (party_deadlines is null). The deadline job
looks at a round again at its next party deadline still ahead (next_party_deadline).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from pacesetter_shared.db import JsonType

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("party_deadlines", JsonType))
        batch.add_column(sa.Column("left_out", JsonType))
        batch.add_column(sa.Column("next_party_deadline", sa.DateTime(timezone=True)))
    op.create_index("ix_rounds_state_next_party_deadline", "rounds", ["state", "next_party_deadline"])
    with op.batch_alter_table("round_ratings") as batch:
        batch.add_column(sa.Column("source", sa.String(10), nullable=False, server_default="online"))
        batch.add_column(sa.Column("entered_by", sa.Uuid))
        batch.add_column(sa.Column("sheet_key", sa.String(64)))
        batch.create_unique_constraint("uq_round_ratings_sheet_key", ["round_id", "sheet_key"])
        batch.create_check_constraint(
            "ck_round_ratings_paper_entered",
            "(source = 'paper') = (entered_by IS NOT NULL AND sheet_key IS NOT NULL)")


def downgrade() -> None:
    op.drop_index("ix_rounds_state_next_party_deadline", table_name="rounds")
    with op.batch_alter_table("round_ratings") as batch:
        batch.drop_constraint("ck_round_ratings_paper_entered", type_="check")
        batch.drop_constraint("uq_round_ratings_sheet_key", type_="unique")
        batch.drop_column("sheet_key")
        batch.drop_column("entered_by")
        batch.drop_column("source")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("next_party_deadline")
        batch.drop_column("left_out")
        batch.drop_column("party_deadlines")
