"""A window rating's tag set version is checked by the service, not by a foreign key.

PostgreSQL checks a foreign key row by row: a kiosk's batch of 100 ratings ran 100 lookups of ``tag_sets``,
about a quarter of the INSERT's cost on the server (bench: issue 22's kiosk batch). The key guarded nothing
the service does not already: a rating is refused before its INSERT when its version is unknown
(``_Batch.tags``), and tag sets are only ever added (a new version per change), never renumbered or deleted.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# SQLite's copy of the key has no name: batch mode names it by this convention to drop it
_NAMES = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}
_KEY = "window_ratings_tag_set_version_fkey"  # PostgreSQL's own name for it, and the convention's


def upgrade() -> None:
    with op.batch_alter_table("window_ratings", naming_convention=_NAMES) as batch:
        batch.drop_constraint(_KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("window_ratings", naming_convention=_NAMES) as batch:
        batch.create_foreign_key(_KEY, "tag_sets", ["tag_set_version"], ["version"])
