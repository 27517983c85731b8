"""A cycle's publicity list may be read without login from the campus network, when the organisation
department chooses (在一定范围公之于众); off for every cycle until then.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grading_cycles", sa.Column("publicity_without_login", sa.Boolean, nullable=False,
                                              server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("grading_cycles") as batch:
        batch.drop_column("publicity_without_login")
