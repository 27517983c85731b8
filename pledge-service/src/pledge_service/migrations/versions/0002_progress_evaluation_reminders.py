"""Progress reports, the evaluation result and fulfilment date on pledges, links to organisation pledges,
reminders sent.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import JsonType

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pledges") as batch:
        batch.add_column(sa.Column("linked_to", sa.Uuid))
        batch.add_column(sa.Column("fulfilled_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("progress_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("evaluation_round_id", sa.Uuid))
        batch.add_column(sa.Column("evaluation_score", sa.Float))
        batch.add_column(sa.Column("evaluation_level", sa.String(20)))
        batch.add_column(sa.Column("evaluated_at", sa.DateTime(timezone=True)))
    op.create_index("ix_pledges_linked_to", "pledges", ["linked_to"])
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), nullable=False),
        sa.Column("reported_on", sa.Date, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("attachments", JsonType, nullable=False),
        sa.Column("reporter_id", sa.Uuid, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_progress_reports_pledge", "progress_reports", ["pledge_id", "reported_on"])
    op.create_table(
        "reminders",
        sa.Column("subject_id", sa.Uuid, primary_key=True),
        sa.Column("threshold", sa.String(40), primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_index("ix_progress_reports_pledge", "progress_reports")
    op.drop_table("progress_reports")
    op.drop_index("ix_pledges_linked_to", "pledges")
    with op.batch_alter_table("pledges") as batch:
        for column in ("evaluated_at", "evaluation_level", "evaluation_score", "evaluation_round_id",
                       "progress_count", "fulfilled_at", "linked_to"):
            batch.drop_column(column)
