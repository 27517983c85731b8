"""Compare what a service's migrations built with the tables its code maps."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def schema_differences(engine: sa.Engine, metadata: sa.MetaData) -> list:
    """Alembic's autogenerate diff, limited to the service's own tables (plumbing tables left out)."""

    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in metadata.tables

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        return compare_metadata(context, metadata)
