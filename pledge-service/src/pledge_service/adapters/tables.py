"""pledge-service's own tables (plumbing and directory projection come from the shared package)."""
import sqlalchemy as sa

from pacesetter_shared.db import JsonType, UtcDateTime

metadata = sa.MetaData()

pledges = sa.Table(
    "pledges", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("pledger_kind", sa.String(10), nullable=False),
    sa.Column("pledger_id", sa.Uuid, nullable=False, index=True),
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("targets", JsonType, nullable=False),
    sa.Column("areas", JsonType, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("trigger", sa.String(20)),
    sa.Column("participant_ids", JsonType, nullable=False),
    sa.Column("masses_participants", JsonType, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("return_reason", sa.Text),
    sa.Column("linked_to", sa.Uuid, index=True),
    sa.Column("fulfilled_at", UtcDateTime()),
    sa.Column("progress_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("evaluation_round_id", sa.Uuid),
    sa.Column("evaluation_score", sa.Float),
    sa.Column("evaluation_level", sa.String(20)),
    sa.Column("evaluated_at", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Index("ix_pledges_unit_year_state", "unit_id", "year", "state"),
    # the ledger's order (repository.in_ledger_order): its export streams a unit's year without a sort
    sa.Index("ix_pledges_ledger", "unit_id", "year", "due_date", "created_at", "id"),
)

pledge_transitions = sa.Table(
    "pledge_transitions", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), nullable=False, index=True),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("from_state", sa.String(20), nullable=False),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.Uuid, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("reason", sa.Text),
)

# The fellow members of a collective pledge, one row each, so that "my pledges" finds theirs by an index
# (pledges.participant_ids stays the pledge's own record of them).
pledge_participants = sa.Table(
    "pledge_participants", metadata,
    sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), primary_key=True),
    sa.Column("person_id", sa.Uuid, primary_key=True, index=True),
)

progress_reports = sa.Table(
    "progress_reports", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("pledge_id", sa.Uuid, sa.ForeignKey("pledges.id"), nullable=False),
    sa.Column("reported_on", sa.Date, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("attachments", JsonType, nullable=False),
    sa.Column("reporter_id", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Index("ix_progress_reports_pledge", "pledge_id", "reported_on"),
)

# One row per reminder sent (督促提醒): the key makes a second worker's copy a no-op.
reminders = sa.Table(
    "reminders", metadata,
    # a pledge, a branch for the weekly list, or a member reminded to pledge
    sa.Column("subject_id", sa.Uuid, primary_key=True),
    # due_soon, overdue, overdue_list:2026-W48, unpledged:2026:2026-03-02 (once a day at most)
    sa.Column("threshold", sa.String(40), primary_key=True),
    sa.Column("sent_at", UtcDateTime(), nullable=False),
)
