"""Pledges, their transitions, the directory projection and the plumbing tables.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import JsonType, create_plumbing_tables, drop_plumbing_tables
from pacesetter_shared.directory import create_directory_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables(op)
    create_directory_tables(op)
    op.create_table(
        "pledges",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("pledger_kind", sa.String(10), nullable=False),
        sa.Column("pledger_id", sa.Uuid, nullable=False, index=True),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("targets", JsonType, nullable=False),
        sa.Column("areas", JsonType, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("trigger", sa.String(20)),
        sa.Column("participant_ids", JsonType, nullable=False),
        sa.Column("masses_participants", JsonType, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("return_reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_pledges_unit_year_state", "pledges", ["unit_id", "year", "state"])
    op.create_table(
        "pledge_transitions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), nullable=False, index=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=False),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.Uuid, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("pledge_transitions")
    op.drop_table("pledges")
    drop_plumbing_tables(op)
