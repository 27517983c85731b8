"""The anonymity guard's decision kept as rows (公开口径), refreshed by the worker, read by dashboards.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from pacesetter_shared.db import JsonType

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclosure_snapshots",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.Integer, nullable=False),
    )
    op.create_table(
        "disclosed_figures",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("key", sa.Uuid, primary_key=True),
        sa.Column("granularity", sa.String(5), primary_key=True),
        sa.Column("period_start", sa.Date, primary_key=True),
        sa.Column("part", sa.SmallInteger, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("shown", sa.Boolean, nullable=False),
        *(sa.Column(f"level_{level}", sa.Integer) for level in range(1, 6)),
        sa.Column("windows", JsonType),
        sa.Column("home_unit_id", sa.Uuid),
    )
    op.create_index("ix_disclosed_figures_year", "disclosed_figures", ["year"])
    op.create_index("ix_disclosed_figures_period", "disclosed_figures", ["kind", "granularity", "period_start"])


def downgrade() -> None:
    op.drop_table("disclosed_figures")
    op.drop_table("disclosure_snapshots")
