"""Devices pair by a short code (RFC 8628), and display screens are devices too (设备配对、显示屏).

A display shows a window or a whole unit, so a device's window becomes optional for displays, and each device says
which kind it is.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SERVES = ("(kind = 'kiosk' AND window_id IS NOT NULL) OR "
          "(kind = 'display' AND (window_id IS NOT NULL) <> (unit_id IS NOT NULL))")


def upgrade() -> None:
    with op.batch_alter_table("kiosk_devices") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="kiosk"))
        batch.add_column(sa.Column("unit_id", sa.Uuid, sa.ForeignKey("units.id", name="fk_kiosk_devices_unit"),
                                   nullable=True))
        batch.alter_column("window_id", existing_type=sa.Uuid, nullable=True)
        batch.create_check_constraint("ck_kiosk_devices_serves", SERVES)
    op.create_table(
        "device_pairings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("device_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_code", sa.String(8), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", sa.Uuid),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("device_id", sa.Uuid, sa.ForeignKey("kiosk_devices.id")),
        sa.Column("collected_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_device_pairings_expires_at", "device_pairings", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_device_pairings_expires_at", table_name="device_pairings")
    op.drop_table("device_pairings")
    op.execute("DELETE FROM kiosk_devices WHERE window_id IS NULL")  # displays of a whole unit had no place before
    with op.batch_alter_table("kiosk_devices") as batch:
        batch.drop_constraint("ck_kiosk_devices_serves", type_="check")
        batch.alter_column("window_id", existing_type=sa.Uuid, nullable=False)
        batch.drop_constraint("fk_kiosk_devices_unit", type_="foreignkey")
        batch.drop_column("unit_id")
        batch.drop_column("kind")
