"""The migrations build exactly the tables the code maps, and go back down cleanly."""
import sqlalchemy as sa

from grading_service.adapters.tables import metadata
from tests.support.migrations import schema_differences


def test_the_migrated_schema_matches_the_tables(grading_service):
    assert schema_differences(grading_service.engine, metadata) == []
    assert set(metadata.tables) <= set(sa.inspect(grading_service.engine).get_table_names())
