"""What evaluation results cost notification-service in statements (issue 10: the pipeline at 200/s)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from notification_service.consumers import HANDLERS, READ_AHEAD
from pacesetter_shared.events import load_data, new_envelope, prepare_data

COMMITTEE, GENERAL_BRANCH, BRANCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _result(member) -> dict:
    return {"round_id": uuid.uuid4(), "target_kind": "branch", "target_id": BRANCH, "subject_person_id": member,
            "unit_id": BRANCH, "year": 2026, "score": 91.5, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 91.5, "raters": 12}]}


def _event(event_type: str, data: dict):
    return new_envelope(event_type, 1, "test", "s", prepare_data(event_type, 1, data))


def _person(person_id, name: str, roles) -> dict:
    return {"person_id": person_id, "name": name, "email": f"{person_id.hex[:8]}@example.edu", "unit_id": BRANCH,
            "member_status": "full", "revision": 1, "roles": [{"role": r, "unit_id": u} for r, u in roles]}


def _in_one_unit_of_work(notification, envelopes) -> None:
    """As the consumer handles a batch: the worker's read-ahead of the batch, then every event's handler, in one
    transaction."""
    events = [(e, load_data(e.type, e.version, e.data)) for e in envelopes]
    with notification.uow_factory() as uow:
        READ_AHEAD(uow, events)
        for e, data in events:
            HANDLERS[e.type](uow, e, data)


def _told(engine, envelopes) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT event_id, person_id FROM notices WHERE event_id = ANY(:e)"),
                            {"e": [e.id for e in envelopes]}).all()
    told: dict = {}
    for event_id, person_id in rows:
        told.setdefault(event_id, set()).add(person_id)
    return told


def test_one_result_costs_six_statements_and_ten_results_of_a_branch_in_one_batch_seven(notification):
    for unit_id, name, kind, parent in [(COMMITTEE, "党委", "committee", None),
                                        (GENERAL_BRANCH, "教育学院党总支", "general_branch", COMMITTEE),
                                        (BRANCH, "教工第一党支部", "branch", GENERAL_BRANCH)]:
        notification.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                         "parent_id": parent, "revision": 1})
    members, secretary = [uuid.uuid4() for _ in range(10)], uuid.uuid4()
    notification.deliver("directory.person_upserted",
                         _person(secretary, "张支书", [("member", BRANCH), ("branch_secretary", BRANCH)]))
    for n, member in enumerate(members):
        notification.deliver("directory.person_upserted", _person(member, f"党员{n}", [("member", BRANCH)]))

    engine = notification.uow_factory.session_factory.kw["bind"]
    statements = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split())[:90])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        alone = notification.deliver("evaluation.completed", _result(members[0]))
        one = list(statements)
        statements.clear()
        batch = [_event("evaluation.completed", _result(member)) for member in members]
        _in_one_unit_of_work(notification, batch)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    print("statements of one event:", *one, sep="\n  ")
    assert _told(engine, [alone]) == {alone.id: {members[0], secretary}}
    assert _told(engine, batch) == {e.id: {m, secretary} for e, m in zip(batch, members)}
    with engine.connect() as conn:
        channels = conn.execute(sa.text("SELECT count(*) FROM deliveries WHERE event_id = ANY(:e)"),
                                {"e": [e.id for e in batch]}).scalar_one()
    assert channels == 40  # inbox and e-mail for each of the two people of each result
    # the member, the branch, its secretaries (their rows serve language and e-mail too), preferences,
    # the notices, the deliveries
    assert len(one) == 6, one
    # the batch's ten members and their preferences read ahead, one query each; the branch, its secretaries
    # and their preferences once, for the first result; one INSERT of notices and one of deliveries for all ten
    assert len(statements) == 2 + 3 + 2, statements


def test_a_directory_change_within_a_batch_is_seen_by_the_events_after_it(notification):
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    member, old_secretary, new_secretary = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    notification.deliver("directory.person_upserted", _person(member, "陈党员", [("member", BRANCH)]))
    notification.deliver("directory.person_upserted",
                         _person(old_secretary, "张支书", [("member", BRANCH), ("branch_secretary", BRANCH)]))
    before, after = _event("evaluation.completed", _result(member)), _event("evaluation.completed", _result(member))
    handover = [_event("directory.person_upserted", _person(old_secretary, "张支书", [("member", BRANCH)]) | {"revision": 2}),
                _event("directory.person_upserted",
                       _person(new_secretary, "李支书", [("member", BRANCH), ("branch_secretary", BRANCH)]))]
    _in_one_unit_of_work(notification, [before, *handover, after])
    engine = notification.uow_factory.session_factory.kw["bind"]
    assert _told(engine, [before, after]) == {before.id: {member, old_secretary}, after.id: {member, new_secretary}}


def test_a_member_who_leaves_within_a_batch_is_told_before_and_not_after(notification):
    """The batch's members are read ahead of its events: a member's own change in the batch still counts from there."""
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    member, secretary = uuid.uuid4(), uuid.uuid4()
    notification.deliver("directory.person_upserted", _person(member, "陈党员", [("member", BRANCH)]))
    notification.deliver("directory.person_upserted",
                         _person(secretary, "张支书", [("member", BRANCH), ("branch_secretary", BRANCH)]))
    before, after = _event("evaluation.completed", _result(member)), _event("evaluation.completed", _result(member))
    leaves = _event("directory.person_upserted", _person(member, "陈党员", [("member", BRANCH)])
                    | {"revision": 2, "active": False})
    _in_one_unit_of_work(notification, [before, leaves, after])
    engine = notification.uow_factory.session_factory.kw["bind"]
    assert _told(engine, [before, after]) == {before.id: {member, secretary}, after.id: {secretary}}
