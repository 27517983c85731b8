"""Forget who sent a masses' rating: idempotency records stored before 0003 under the kiosk's device id or
the rater's account, beside the rating id they answered with.

Nothing is lost by deleting them: a re-sent rating is still counted once by its client id.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from pacesetter_shared.db import idempotency_keys_table as keys

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MASSES = "masses"  # the caller new records of masses' ratings are kept under (api.MASSES)


def _is_rating_answer(response) -> bool:
    # A single rating answers with its client id and status; a batch with its items and counts.
    if not isinstance(response, dict):
        return False
    return {"client_id", "status"} <= response.keys() or {"accepted", "items"} <= response.keys()


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(keys.c.caller, keys.c.key, keys.c.response).where(keys.c.caller != MASSES))
    doomed = [(row.caller, row.key) for row in rows if _is_rating_answer(row.response)]
    for caller, key in doomed:
        bind.execute(sa.delete(keys).where(keys.c.caller == caller, keys.c.key == key))


def downgrade() -> None:
    """What was forgotten stays forgotten."""
