"""Notices grouped in the inbox: each notice's group key (its subject) and the subject's name.

Notices made before have no subject: each becomes a group of its own ("notice:<its id>").

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("group_key", sa.String(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("subject_name", sa.String(200)))
    notices = sa.table("notices", sa.column("id", sa.Uuid), sa.column("group_key", sa.String))
    op.execute(notices.update().where(notices.c.group_key == "").values(
        group_key=sa.literal("notice:") + sa.cast(notices.c.id, sa.String)))
    op.create_index("ix_notices_person_group", "notices", ["person_id", "event_type", "group_key", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notices_person_group", "notices")
    with op.batch_alter_table("notices") as batch:
        batch.drop_column("subject_name")
        batch.drop_column("group_key")
