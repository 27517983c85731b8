"""Deliveries: one row per (event, recipient, channel), with its tries; units' chat robots; preferences;
the daily digest's waiting items; bad ratings per window and their alerts.

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
        "deliveries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("recipient_id", sa.Uuid, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(1000)),
        sa.Column("message", JsonType, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("event_id", "recipient_id", "channel", name="uq_deliveries_event_recipient_channel"),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["channel", "next_attempt_at"],
                    postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
    op.create_index("ix_deliveries_status", "deliveries", ["status", "created_at"])
    op.create_table(
        "robots",
        sa.Column("unit_id", sa.Uuid, primary_key=True),
        sa.Column("style", sa.String(20), nullable=False),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("secret", sa.String(200)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("quiet_start", sa.String(5)),
        sa.Column("quiet_end", sa.String(5)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


    op.create_table(
        "preferences",
        sa.Column("person_id", sa.Uuid, primary_key=True),
        sa.Column("channels", JsonType, nullable=False),
        sa.Column("quiet_start", sa.String(5)),
        sa.Column("quiet_end", sa.String(5)),
        sa.Column("daily_digest", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("person_id", sa.Uuid, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("digest_id", sa.Uuid),
        sa.UniqueConstraint("event_id", "person_id", name="uq_digest_items_event_person"),
    )
    op.create_index("ix_digest_items_waiting", "digest_items", ["person_id"],
                    postgresql_where=sa.text("digest_id IS NULL"), sqlite_where=sa.text("digest_id IS NULL"))
    op.create_table(
        "bad_ratings",
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("window_id", sa.Uuid, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("reasons", JsonType, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bad_ratings_window_time", "bad_ratings", ["window_id", "occurred_at"])
    op.create_table(
        "window_alerts",
        sa.Column("window_id", sa.Uuid, primary_key=True),
        sa.Column("last_alert_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("window_alerts")
    op.drop_table("bad_ratings")
    op.drop_table("digest_items")
    op.drop_table("preferences")
    op.drop_table("robots")
    op.drop_table("deliveries")
