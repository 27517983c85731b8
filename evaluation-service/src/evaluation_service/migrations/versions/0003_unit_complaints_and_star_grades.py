"""Follow-up cases of complaints to a unit without a window, and where a case came from; star grades.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("followup_cases") as batch:
        batch.alter_column("window_id", existing_type=sa.Uuid, nullable=True)
        batch.add_column(sa.Column("source", sa.String(10), nullable=False, server_default="rating"))
    op.execute("UPDATE followup_cases SET source = 'suggestion' WHERE suggestion_id IS NOT NULL")
    op.create_table(
        "star_grades",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("key", sa.Uuid, nullable=False),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("stars", sa.SmallInteger, nullable=False),
        sa.Column("ratings", sa.Integer),
        sa.Column("satisfaction_rate", sa.Float),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "key", "month", name="uq_star_grades_month"),
    )
    op.create_index("ix_star_grades_unit_month", "star_grades", ["unit_id", "month"])


def downgrade() -> None:
    op.drop_table("star_grades")
    op.execute("DELETE FROM followup_cases WHERE window_id IS NULL")
    with op.batch_alter_table("followup_cases") as batch:
        batch.drop_column("source")
        batch.alter_column("window_id", existing_type=sa.Uuid, nullable=False)
