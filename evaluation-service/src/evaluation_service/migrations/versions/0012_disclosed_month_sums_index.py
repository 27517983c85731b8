"""The month answers of the disclosed figures indexed with what a ranking sums, so that it reads the index only.

A month's ranking of 5,000 windows sums each window's shown month answer (``figures.shown_month_sums``). Its rows
lie wherever the worker wrote them, a year's answers window after window: through ``ix_disclosed_figures_period``
the read visited one table page per window (5,000 pages, ~10 ms of PostgreSQL's CPU per month, twice per ranking).
Only the month answers are indexed (a thirtieth of the rows): the worker's writes of the others pay nothing.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MONTHS = sa.text("granularity = 'month'")
SUMMED = ["key", "part", "shown", *(f"level_{level}" for level in range(1, 6))]


def upgrade() -> None:
    op.create_index("ix_disclosed_figures_months", "disclosed_figures", ["kind", "period_start"],
                    postgresql_include=SUMMED, postgresql_where=MONTHS, sqlite_where=MONTHS)


def downgrade() -> None:
    op.drop_index("ix_disclosed_figures_months", table_name="disclosed_figures")
