"""Refresh-token chains (reuse revokes the chain), failed-login counters and the login audit.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import BigIdType

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("chain_id", sa.Uuid))
    # A session from before chains is the first of its own chain.
    op.execute("UPDATE auth_sessions SET chain_id = id")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.alter_column("chain_id", existing_type=sa.Uuid, nullable=False)
    op.create_index("ix_auth_sessions_chain_id", "auth_sessions", ["chain_id"])
    op.create_table(
        "login_failures",
        sa.Column("scope", sa.String(10), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "login_audit",
        sa.Column("id", BigIdType, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
    )
    op.create_index("ix_login_audit_at", "login_audit", ["at"])
    op.create_index("ix_login_audit_username", "login_audit", ["username"])


def downgrade() -> None:
    op.drop_table("login_audit")
    op.drop_table("login_failures")
    op.drop_index("ix_auth_sessions_chain_id", "auth_sessions")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("chain_id")
