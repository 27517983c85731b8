"""grading-service's own tables (plumbing and directory projection come from the shared package)."""
import sqlalchemy as sa

from pacesetter_shared.db import JsonType, UtcDateTime

metadata = sa.MetaData()

_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

cycles = sa.Table(
    "grading_cycles", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, unique=True),
    sa.Column("advanced_cap_percent", sa.Float, nullable=False),
    sa.Column("cap_per_general_branch", sa.Boolean, nullable=False),
    sa.Column("indicator_weights", JsonType, nullable=False),
    sa.Column("part_weights", JsonType, nullable=False),
    sa.Column("thresholds", JsonType, nullable=False),
    sa.Column("criteria", JsonType, nullable=False),
    sa.Column("self_assessment_deadline", sa.Date, nullable=False),
    sa.Column("superior_deadline", sa.Date),
    sa.Column("publicity_days", sa.Integer, nullable=False),
    sa.Column("publicity_ends_on", sa.Date),
    # 组织部's choice: the publicity list readable without login, from PUBLICITY_OPEN_NETWORKS only
    sa.Column("publicity_without_login", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("opened_by", sa.Uuid, nullable=False),
    sa.Column("opened_at", UtcDateTime(), nullable=False),
    sa.Column("finalised_at", UtcDateTime()),
)

cycle_branches = sa.Table(
    "grading_cycle_branches", metadata,
    sa.Column("cycle_id", sa.Uuid, sa.ForeignKey("grading_cycles.id"), primary_key=True),
    sa.Column("branch_id", sa.Uuid, primary_key=True),
    sa.Column("general_branch_id", sa.Uuid, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(20)),  # set by the general branch: confirmed or overridden
    sa.Column("level_source", sa.String(20)),  # "confirmed" or "overridden"
    sa.Column("final_total", sa.Float),  # as published
)

scores = sa.Table(
    "grading_scores", metadata,
    sa.Column("cycle_id", sa.Uuid, primary_key=True),
    sa.Column("branch_id", sa.Uuid, primary_key=True),
    sa.Column("part", sa.String(30), primary_key=True),  # self / superior
    sa.Column("indicator", sa.String(20), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("by", sa.Uuid, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
)

changes = sa.Table(
    "grading_changes", metadata,
    sa.Column("id", _id, primary_key=True, autoincrement=True),
    sa.Column("cycle_id", sa.Uuid, nullable=False),
    sa.Column("branch_id", sa.Uuid, nullable=False),
    sa.Column("what", sa.String(60), nullable=False),  # "score:self:leader", "level"
    sa.Column("old", sa.String(40)),
    sa.Column("new", sa.String(40), nullable=False),
    sa.Column("actor_id", sa.Uuid, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_grading_changes_branch", "cycle_id", "branch_id"),
)

# The latest state of every outside source, one row per source; a late or repeated event never
# overwrites a newer one, so any order of the same events leaves the same rows.
inputs = sa.Table(
    "grading_inputs", metadata,
    sa.Column("source", sa.String(120), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # evaluation / satisfaction / pledges / acceptance
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("as_of", UtcDateTime(), nullable=False),
    sa.Column("payload", JsonType, nullable=False),
    sa.Index("ix_grading_inputs_kind_year", "kind", "year"),
)

objections = sa.Table(
    "grading_objections", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("cycle_id", sa.Uuid, nullable=False, index=True),
    sa.Column("branch_id", sa.Uuid, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lodged_by", sa.Uuid, nullable=False),
    sa.Column("lodged_at", UtcDateTime(), nullable=False),
    sa.Column("answer", sa.Text),
    sa.Column("answered_by", sa.Uuid),
    sa.Column("answered_at", UtcDateTime()),
)

plans = sa.Table(
    "rectification_plans", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("cycle_id", sa.Uuid, nullable=False),
    sa.Column("branch_id", sa.Uuid, nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("emphasis", sa.String(20), nullable=False),
    sa.Column("problems", JsonType, nullable=False),
    sa.Column("measures", JsonType, nullable=False),
    sa.Column("owner_id", sa.Uuid, nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("created_by", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("cycle_id", "branch_id", name="uq_rectification_plans_cycle_branch"),
)

tasks = sa.Table(
    "rectification_tasks", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("plan_id", sa.Uuid, sa.ForeignKey("rectification_plans.id"), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("owner_id", sa.Uuid),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("percent", sa.Integer, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Index("ix_rectification_tasks_state_deadline", "state", "deadline"),
)

task_reports = sa.Table(
    "rectification_task_reports", metadata,
    sa.Column("id", _id, primary_key=True, autoincrement=True),
    sa.Column("task_id", sa.Uuid, sa.ForeignKey("rectification_tasks.id"), nullable=False, index=True),
    sa.Column("percent", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("by", sa.Uuid, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
)

acceptances = sa.Table(
    "rectification_acceptances", metadata,
    sa.Column("plan_id", sa.Uuid, sa.ForeignKey("rectification_plans.id"), primary_key=True),
    sa.Column("in_cycle_id", sa.Uuid, nullable=False),  # the cycle during whose deployment it was inspected
    sa.Column("answers", JsonType, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("by", sa.Uuid, nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
)
