"""Grading cycles and their branches, scores, changes, outside inputs, objections; rectification plans,
tasks, progress reports and acceptance.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from pacesetter_shared.db import JsonType

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "grading_cycles",
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
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("opened_by", sa.Uuid, nullable=False),
        _at("opened_at"),
        _at("finalised_at", nullable=True),
    )
    op.create_table(
        "grading_cycle_branches",
        sa.Column("cycle_id", sa.Uuid, sa.ForeignKey("grading_cycles.id"), primary_key=True),
        sa.Column("branch_id", sa.Uuid, primary_key=True),
        sa.Column("general_branch_id", sa.Uuid, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20)),
        sa.Column("level_source", sa.String(20)),
        sa.Column("final_total", sa.Float),
    )
    op.create_table(
        "grading_scores",
        sa.Column("cycle_id", sa.Uuid, primary_key=True),
        sa.Column("branch_id", sa.Uuid, primary_key=True),
        sa.Column("part", sa.String(30), primary_key=True),
        sa.Column("indicator", sa.String(20), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("by", sa.Uuid, nullable=False),
        _at("at"),
    )
    op.create_table(
        "grading_changes",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column("cycle_id", sa.Uuid, nullable=False),
        sa.Column("branch_id", sa.Uuid, nullable=False),
        sa.Column("what", sa.String(60), nullable=False),
        sa.Column("old", sa.String(40)),
        sa.Column("new", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.Uuid, nullable=False),
        _at("at"),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_grading_changes_branch", "grading_changes", ["cycle_id", "branch_id"])
    op.create_table(
        "grading_inputs",
        sa.Column("source", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        _at("as_of"),
        sa.Column("payload", JsonType, nullable=False),
    )
    op.create_index("ix_grading_inputs_kind_year", "grading_inputs", ["kind", "year"])
    op.create_table(
        "grading_objections",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("cycle_id", sa.Uuid, nullable=False, index=True),
        sa.Column("branch_id", sa.Uuid, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("lodged_by", sa.Uuid, nullable=False),
        _at("lodged_at"),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.Uuid),
        _at("answered_at", nullable=True),
    )
    op.create_table(
        "rectification_plans",
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
        _at("created_at"),
        sa.UniqueConstraint("cycle_id", "branch_id", name="uq_rectification_plans_cycle_branch"),
    )
    op.create_table(
        "rectification_tasks",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("plan_id", sa.Uuid, sa.ForeignKey("rectification_plans.id"), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.Uuid),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
    )
    op.create_index("ix_rectification_tasks_state_deadline", "rectification_tasks", ["state", "deadline"])
    op.create_table(
        "rectification_task_reports",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.Uuid, sa.ForeignKey("rectification_tasks.id"), nullable=False, index=True),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by", sa.Uuid, nullable=False),
        _at("at"),
    )
    op.create_table(
        "rectification_acceptances",
        sa.Column("plan_id", sa.Uuid, sa.ForeignKey("rectification_plans.id"), primary_key=True),
        sa.Column("in_cycle_id", sa.Uuid, nullable=False),
        sa.Column("answers", JsonType, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("by", sa.Uuid, nullable=False),
        _at("at"),
    )


def downgrade() -> None:
    for table in ("rectification_acceptances", "rectification_task_reports", "rectification_tasks",
                  "rectification_plans", "grading_objections", "grading_inputs", "grading_changes",
                  "grading_scores", "grading_cycle_branches", "grading_cycles"):
        op.drop_table(table)
