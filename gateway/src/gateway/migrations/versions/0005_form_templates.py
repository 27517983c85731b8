"""The organisation's versions of the printed forms' templates (表单模板), and the units' yearly archives (年度归档).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

from pacesetter_shared.db import JsonType

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_templates",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("organisation_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("fields", JsonType, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("uploaded_by", sa.Uuid, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "kind", "version", name="uq_form_templates_version"),
    )
    op.create_table(
        "form_archives",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("unit_id", sa.Uuid, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("requested_by", sa.Uuid, nullable=False),
        sa.Column("requester", JsonType, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("error", sa.Text),
        sa.Column("filename", sa.String(200)),
        sa.Column("content", sa.LargeBinary),
    )
    op.create_index("ix_form_archives_unit_id", "form_archives", ["unit_id"])
    op.create_index("ix_form_archives_state", "form_archives", ["state"])


def downgrade() -> None:
    op.drop_table("form_archives")
    op.drop_table("form_templates")
