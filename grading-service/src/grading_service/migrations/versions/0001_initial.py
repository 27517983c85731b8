"""The directory projection and the plumbing tables.

Revision ID: 0001
Revises:
"""
from alembic import op

from pacesetter_shared.db import create_plumbing_tables, drop_plumbing_tables
from pacesetter_shared.directory import create_directory_tables, directory_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables(op)
    create_directory_tables(op)


def downgrade() -> None:
    directory_metadata.drop_all(bind=op.get_bind())
    drop_plumbing_tables(op)
