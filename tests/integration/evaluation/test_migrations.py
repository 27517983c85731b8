"""The migrations build exactly the tables the code maps (0003: unit complaints, star grades)."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from evaluation_service.adapters.tables import metadata


def _differences(engine) -> list:
    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in metadata.tables

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        return compare_metadata(context, metadata)


def test_the_migrated_schema_matches_the_tables(evaluation_service):
    assert set(metadata.tables) <= set(sa.inspect(evaluation_service.engine).get_table_names())
    assert _differences(evaluation_service.engine) == []
