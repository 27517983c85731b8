"""One event reads each person of the directory projection once, however many places ask (bench: issue 10)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

COMMITTEE, GENERAL_BRANCH, BRANCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_an_evaluation_result_reads_each_recipient_once(notification):
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
    person_reads = []

    def count(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM dir_persons" in statement and "WHERE dir_persons.id =" in statement:
            person_reads.append(parameters)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        round_id = uuid.uuid4()
        envelope = notification.deliver("evaluation.completed", {
            "round_id": round_id, "target_kind": "branch", "target_id": BRANCH, "subject_person_id": member,
            "unit_id": BRANCH, "year": 2026, "score": 91.5, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 91.5, "raters": 12}]})
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

    with engine.connect() as conn:
        told = set(conn.execute(sa.text("SELECT person_id FROM notices WHERE event_id = :e"),
                                {"e": envelope.id}).scalars())
    assert told == {member, secretary}
    # recipients, names, language and e-mail address each needed a person: two people, two reads
    assert len(person_reads) <= 2, person_reads
