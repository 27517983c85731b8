"""Notices, the directory projection and the plumbing tables.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import create_plumbing_tables, drop_plumbing_tables
from pacesetter_shared.directory import create_directory_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables(op)
    create_directory_tables(op)
    op.create_table(
        "notices",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("person_id", sa.Uuid, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(500)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("event_id", "person_id", name="uq_notices_event_person"),
    )
    op.create_index("ix_notices_person_created", "notices", ["person_id", "created_at"])
    op.create_index("ix_notices_person_unread", "notices", ["person_id"],
                    postgresql_where=sa.text("read_at IS NULL"), sqlite_where=sa.text("read_at IS NULL"))


def downgrade() -> None:
    op.drop_table("notices")
    drop_plumbing_tables(op)
