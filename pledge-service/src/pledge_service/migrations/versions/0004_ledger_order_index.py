"""The ledger's order as an index: a unit's pledges of a year by due date, when made and id, so that the ledger's
export reads a branch's million pledges in order as they are sent instead of sorting them first (issue 24).

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_pledges_ledger", "pledges", ["unit_id", "year", "due_date", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_pledges_ledger", "pledges")
