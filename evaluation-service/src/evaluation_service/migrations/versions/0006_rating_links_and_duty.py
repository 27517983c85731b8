"""Honest online ratings: each window's rating link (评价二维码), who left a window's duty and when (a kiosk's
queued rating may still name them), and an index to count a window's online ratings of the last minutes.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ONLINE = sa.text("source = 'online'")


def upgrade() -> None:
    op.create_table(
        "rating_links",
        sa.Column("window_id", sa.Uuid, primary_key=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_by", sa.Uuid),
    )
    op.create_table(
        "duty_departures",
        sa.Column("window_id", sa.Uuid, primary_key=True),
        sa.Column("person_id", sa.Uuid, primary_key=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_window_ratings_online_received", "window_ratings", ["window_id", "received_at"],
                    postgresql_where=ONLINE, sqlite_where=ONLINE)


def downgrade() -> None:
    op.drop_index("ix_window_ratings_online_received", table_name="window_ratings")
    op.drop_table("duty_departures")
    op.drop_table("rating_links")
