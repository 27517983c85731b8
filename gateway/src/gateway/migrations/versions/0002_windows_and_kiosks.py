"""Service windows and posts (窗口 / 党员先锋岗 / 责任区) and the kiosk devices paired to them.

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
    op.create_table(
        "windows",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("unit_id", sa.Uuid, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("responsible_id", sa.Uuid, sa.ForeignKey("persons.id")),
        sa.Column("on_duty_ids", JsonType, nullable=False),
        sa.Column("standards", JsonType, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("window_id", sa.Uuid, sa.ForeignKey("windows.id"), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("registered_by", sa.Uuid, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("kiosk_devices")
    op.drop_table("windows")
