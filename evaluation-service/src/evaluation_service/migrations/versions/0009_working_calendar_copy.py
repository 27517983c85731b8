"""The copy of the university's working-calendar days (工作日历调整), kept from ``calendar.days_changed``, so
that follow-up and round deadlines skip holidays (#21 gap 8).

Revision ID: 0009
Revises: 0008
"""
from alembic import op

from pacesetter_shared.working_calendar import create_calendar_tables, drop_calendar_tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_calendar_tables(op)


def downgrade() -> None:
    drop_calendar_tables(op)
