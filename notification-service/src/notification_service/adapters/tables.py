"""notification-service's own tables (plumbing and directory projection come from the shared package)."""
import sqlalchemy as sa

from pacesetter_shared.db import JsonType, UtcDateTime

metadata = sa.MetaData()

notices = sa.Table(
    "notices", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("person_id", sa.Uuid, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("link", sa.String(500)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("read_at", UtcDateTime()),
    # what the inbox groups it under with its event type (domain.grouping): "window:<id>", "pledge:<id>", "all"…
    sa.Column("group_key", sa.String(120), nullable=False, server_default=""),
    sa.Column("subject_name", sa.String(200)),
    # one event never gives one person two notices, whatever the broker redelivers
    sa.UniqueConstraint("event_id", "person_id", name="uq_notices_event_person"),
    sa.Index("ix_notices_person_created", "person_id", "created_at"),
    sa.Index("ix_notices_person_group", "person_id", "event_type", "group_key", "created_at"),
    sa.Index("ix_notices_person_unread", "person_id",
             postgresql_where=sa.text("read_at IS NULL"), sqlite_where=sa.text("read_at IS NULL")),
)

deliveries = sa.Table(
    "deliveries", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("recipient_id", sa.Uuid, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("address", sa.String(1000)),
    sa.Column("message", JsonType, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime()),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("delivered_at", UtcDateTime()),
    # at most once per event, recipient and channel, whatever the broker redelivers
    sa.UniqueConstraint("event_id", "recipient_id", "channel", name="uq_deliveries_event_recipient_channel"),
    sa.Index("ix_deliveries_due", "channel", "next_attempt_at",
             postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'")),
    sa.Index("ix_deliveries_status", "status", "created_at"),
)

robots = sa.Table(
    "robots", metadata,
    sa.Column("unit_id", sa.Uuid, primary_key=True),
    sa.Column("style", sa.String(20), nullable=False),
    sa.Column("url", sa.String(1000), nullable=False),
    sa.Column("secret", sa.String(200)),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("quiet_start", sa.String(5)),  # HH:MM, Beijing time
    sa.Column("quiet_end", sa.String(5)),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

preferences = sa.Table(
    "preferences", metadata,
    sa.Column("person_id", sa.Uuid, primary_key=True),
    sa.Column("channels", JsonType, nullable=False),  # kind -> [channel]
    sa.Column("quiet_start", sa.String(5)),  # HH:MM, Beijing time
    sa.Column("quiet_end", sa.String(5)),
    sa.Column("daily_digest", sa.Boolean, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

digest_items = sa.Table(
    "digest_items", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("person_id", sa.Uuid, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("line", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("digest_id", sa.Uuid),  # the digest notice that carried it; NULL while waiting
    sa.UniqueConstraint("event_id", "person_id", name="uq_digest_items_event_person"),
    sa.Index("ix_digest_items_waiting", "person_id",
             postgresql_where=sa.text("digest_id IS NULL"), sqlite_where=sa.text("digest_id IS NULL")),
)

# each bad rating at a window counted towards its alert once, by its follow-up case (差评整改)
bad_ratings = sa.Table(
    "bad_ratings", metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
    sa.Column("window_id", sa.Uuid, nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("reasons", JsonType, nullable=False),
    sa.Column("occurred_at", UtcDateTime(), nullable=False),
    sa.Index("ix_bad_ratings_window_time", "window_id", "occurred_at"),
)

# one row per window, locked while an alert is decided: two consumers never both alert
window_alerts = sa.Table(
    "window_alerts", metadata,
    sa.Column("window_id", sa.Uuid, primary_key=True),
    sa.Column("last_alert_at", UtcDateTime()),
)
