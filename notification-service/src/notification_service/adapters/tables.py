"""notification-service's own tables (plumbing and directory projection come from the shared package)."""
import sqlalchemy as sa

from pacesetter_shared.db import UtcDateTime

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
    # one event never gives one person two notices, whatever the broker redelivers
    sa.UniqueConstraint("event_id", "person_id", name="uq_notices_event_person"),
    sa.Index("ix_notices_person_created", "person_id", "created_at"),
    sa.Index("ix_notices_person_unread", "person_id",
             postgresql_where=sa.text("read_at IS NULL"), sqlite_where=sa.text("read_at IS NULL")),
)
