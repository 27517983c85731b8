"""What a branch round's result costs grading-service in statements (issue 10: the pipeline at 200/s)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from grading_service.consumers import HANDLERS
from pacesetter_shared.events import load_data, new_envelope, prepare_data
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


def _in_one_unit_of_work(service, events) -> None:
    """As the consumer handles a batch: every event's handler in one transaction."""
    with service.uow_factory() as uow:
        for event_type, data in events:
            payload = prepare_data(event_type, 1, data)
            HANDLERS[event_type](uow, new_envelope(event_type, 1, "test", "s", payload),
                                 load_data(event_type, 1, payload))


def _month(window, unit, satisfied: int, as_of: datetime) -> dict:
    return {"window_id": window, "unit_id": unit, "month": "2026-03", "ratings": 40, "satisfied": satisfied,
            "as_of": as_of}


def test_a_batch_of_results_is_one_statement_and_a_source_twice_in_it_keeps_its_latest_state(fresh_database,
                                                                                             make_settings):
    service = start_service("grading", fresh_database("inputs_batch"), make_settings)
    branch, window = uuid.uuid4(), uuid.uuid4()
    earlier, later = datetime(2026, 3, 20, tzinfo=timezone.utc), datetime(2026, 3, 31, tzinfo=timezone.utc)
    rounds = [("evaluation.completed", branch_round(branch, 80 + n)) for n in range(10)]
    statements = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split())[:80])

    sa.event.listen(service.engine, "before_cursor_execute", count)
    try:
        _in_one_unit_of_work(service, rounds)
    finally:
        sa.event.remove(service.engine, "before_cursor_execute", count)
    # the month's later state first, then its earlier one, in one batch; then the earlier one again in another
    _in_one_unit_of_work(service, [("evaluation.window_satisfaction", _month(window, branch, 39, later)),
                                   ("evaluation.window_satisfaction", _month(window, branch, 30, earlier))])
    _in_one_unit_of_work(service, [("evaluation.window_satisfaction", _month(window, branch, 30, earlier))])
    with service.engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT kind, count(*) FROM grading_inputs GROUP BY kind")).all())
        month = conn.execute(sa.text("SELECT payload FROM grading_inputs WHERE kind = 'satisfaction'")).scalar_one()
    service.engine.dispose()
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO grading_inputs"), statements
    assert stored == {"evaluation": 10, "satisfaction": 1}
    assert month == {"satisfied": 39, "ratings": 40}
