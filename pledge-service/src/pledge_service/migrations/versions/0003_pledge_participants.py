"""The fellow members of collective pledges, one row each, filled from the pledges made so far.

Revision ID: 0003
Revises: 0002
"""
import uuid

from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import JsonType

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    participants = op.create_table(
        "pledge_participants",
        sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), primary_key=True),
        sa.Column("person_id", sa.Uuid, primary_key=True),
    )
    op.create_index("ix_pledge_participants_person_id", "pledge_participants", ["person_id"])
    pledges = sa.table("pledges", sa.column("id", sa.Uuid), sa.column("pledger_kind", sa.String),
                       sa.column("pledger_id", sa.Uuid), sa.column("mode", sa.String),
                       sa.column("participant_ids", JsonType))
    rows = op.get_bind().execute(sa.select(pledges).where(pledges.c.mode == "collective",
                                                          pledges.c.pledger_kind == "member")).all()
    found = {(row.id, uuid.UUID(person)) for row in rows for person in row.participant_ids or []
             if uuid.UUID(person) != row.pledger_id}
    if found:
        op.bulk_insert(participants, [{"pledge_id": pledge_id, "person_id": person_id}
                                      for pledge_id, person_id in sorted(found)])


def downgrade() -> None:
    op.drop_index("ix_pledge_participants_person_id", "pledge_participants")
    op.drop_table("pledge_participants")
