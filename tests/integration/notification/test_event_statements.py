"""What one evaluation result costs notification-service in statements (issue 10: the pipeline at 200/s)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from notification_service.consumers import HANDLERS
from pacesetter_shared.events import load_data, new_envelope, prepare_data

COMMITTEE, GENERAL_BRANCH, BRANCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _result(member) -> dict:
    return {"round_id": uuid.uuid4(), "target_kind": "branch", "target_id": BRANCH, "subject_person_id": member,
            "unit_id": BRANCH, "year": 2026, "score": 91.5, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 91.5, "raters": 12}]}


def test_an_evaluation_result_costs_six_statements_and_a_batch_of_ten_forty_two(notification):
    for unit_id, name, kind, parent in [(COMMITTEE, "党委", "committee", None),
                                        (GENERAL_BRANCH, "教育学院党总支", "general_branch", COMMITTEE),
                                        (BRANCH, "教工第一党支部", "branch", GENERAL_BRANCH)]:
        notification.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                         "parent_id": parent, "revision": 1})
    member, secretary = uuid.uuid4(), uuid.uuid4()
    for person_id, name, roles in [(member, "陈党员", [("member", BRANCH)]),
                                   (secretary, "张支书", [("member", BRANCH), ("branch_secretary", BRANCH)])]:
        notification.deliver("directory.person_upserted", {
            "person_id": person_id, "name": name, "email": f"{person_id.hex[:8]}@example.edu", "unit_id": BRANCH,
            "member_status": "full", "revision": 1, "roles": [{"role": r, "unit_id": u} for r, u in roles]})

    engine = notification.uow_factory.session_factory.kw["bind"]
    statements = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split())[:90])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        envelope = notification.deliver("evaluation.completed", _result(member))
        alone = list(statements)
        statements.clear()
        # ten in one unit of work, as the consumer's batch: the notices and deliveries go as one INSERT each
        batch = [new_envelope("evaluation.completed", 1, "test", "s", prepare_data("evaluation.completed", 1,
                                                                                  _result(member)))
                 for _ in range(10)]
        with notification.uow_factory() as uow:
            for e in batch:
                HANDLERS[e.type](uow, e, load_data(e.type, e.version, e.data))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    print("statements of one event:", *alone, sep="\n  ")
    with engine.connect() as conn:
        told = set(conn.execute(sa.text("SELECT person_id FROM notices WHERE event_id = :e"),
                                {"e": envelope.id}).scalars())
        channels = sorted(conn.execute(sa.text("SELECT channel FROM deliveries WHERE event_id = :e"),
                                       {"e": envelope.id}).scalars())
        batch_notices = conn.execute(sa.text("SELECT count(*) FROM notices WHERE event_id = ANY(:e)"),
                                     {"e": [e.id for e in batch]}).scalar_one()
        batch_deliveries = conn.execute(sa.text("SELECT count(*) FROM deliveries WHERE event_id = ANY(:e)"),
                                        {"e": [e.id for e in batch]}).scalar_one()
    assert told == {member, secretary}
    assert channels == ["email", "email", "inbox", "inbox"]
    # the member, the branch, its secretaries (their rows serve language and e-mail too), preferences,
    # the notices, the deliveries
    assert len(alone) == 6, alone
    assert (batch_notices, batch_deliveries) == (20, 40)
    # four reads per event, and one INSERT of notices and one of deliveries for the ten
    assert len(statements) == 42, statements
