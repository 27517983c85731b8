"""A window's bad ratings counted by their follow-up case, not by the event that told of them.

feedback.negative v3 carries a kiosk batch's several cases in one event, so the event no longer names one bad
rating. Rows counted before hold the id of a v1 or v2 event, which carried exactly one case: each still stands for
one bad rating, and only the last hour of them is ever read.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bad_ratings") as batch:
        batch.alter_column("event_id", new_column_name="case_id")


def downgrade() -> None:
    with op.batch_alter_table("bad_ratings") as batch:
        batch.alter_column("case_id", new_column_name="event_id")
