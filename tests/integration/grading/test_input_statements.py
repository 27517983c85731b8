"""What a branch round's result costs grading-service in statements (issue 10: the pipeline at 200/s)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from tests.support.services import start_service

from .conftest import branch_round


def test_a_rounds_result_is_one_statement_and_a_later_copy_changes_nothing(fresh_database, make_settings):
    service = start_service("grading", fresh_database("inputs"), make_settings)
    branch, round_id = uuid.uuid4(), uuid.uuid4()
    statements = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split())[:80])

    sa.event.listen(service.engine, "before_cursor_execute", count)
    try:
        service.deliver("evaluation.completed", branch_round(branch, 91.5, round_id=round_id))
        first = list(statements)
        statements.clear()
        service.deliver("evaluation.completed", branch_round(branch, 91.5, round_id=round_id))
        again = list(statements)
    finally:
        sa.event.remove(service.engine, "before_cursor_execute", count)
    with service.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT source, payload FROM grading_inputs")).all()
    service.engine.dispose()
    print("first:", first, "again:", again)
    assert [(s, p) for s, p in stored] == [(f"evaluation:{round_id}", {"score": 91.5})]
    assert len(first) == 1 and first[0].startswith("INSERT INTO grading_inputs")
    # the same result again: the INSERT finds the source, one read shows nothing newer
    assert len(again) == 2
