"""The migrations build exactly the tables the code maps (0003: unit complaints, star grades)."""
import sqlalchemy as sa

from evaluation_service.adapters.tables import metadata
from tests.support.migrations import schema_differences


def test_the_migrated_schema_matches_the_tables(evaluation_service):
    assert set(metadata.tables) <= set(sa.inspect(evaluation_service.engine).get_table_names())
    assert schema_differences(evaluation_service.engine, metadata) == []
