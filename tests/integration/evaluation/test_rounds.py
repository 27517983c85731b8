"""Evaluation rounds against PostgreSQL: opening, the rules of each party, completion once, deadlines."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.adapters.tables import rounds
from evaluation_service.service.round_results import close_due_rounds
from pacesetter_shared.db import outbox_table
from tests.support.services import person

ROUNDS = "/api/evaluations/rounds"


def events(service, event_type=None) -> list[dict]:
    query = sa.select(outbox_table.c.envelope).order_by(outbox_table.c.id)
    if event_type:
        query = query.where(outbox_table.c.event_type == event_type)
    with service.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def open_body(org, **overrides) -> dict:
    values = {"target_kind": "member_year", "target_id": org.member.subject, "unit_id": str(org.branch),
              "subject_person_id": org.member.subject, "year": 2026, "title": "2026年度党员评议",
              "targets": ["讲好一门公开课", "指导青年教师一名"],
              "weights": {"self": 20, "peer": 30, "masses": 30, "leader": 20},
              "deadline": (datetime.now(timezone.utc) + timedelta(days=7)).isoformat(),
              "peer_ids": [org.peer.subject, org.peer2.subject, org.secretary.subject]}
    values.update(overrides)
    return values


def open_round(service, org, **overrides) -> dict:
    response = service.client.post(ROUNDS, json=open_body(org, **overrides), headers=service.headers(org.org))
    assert response.status_code == 201, response.json
    return response.json


def rate(service, who, round_id, **body):
    return service.client.post(f"{ROUNDS}/{round_id}/ratings", json=body, headers=service.headers(who))


SELF_REPORT = [{"target": "讲好一门公开课", "done": "开课两次"}, {"target": "指导青年教师一名", "done": "指导一名"}]


def test_the_organisation_department_opens_a_round_and_its_raters_are_asked(evaluation_service, org):
    body = open_round(evaluation_service, org)
    assert body["state"] == "open"
    assert [p["party"] for p in body["parties"]] == ["self", "peer", "masses", "leader"]
    opened = events(evaluation_service, "evaluation.round_opened")
    assert [e["data"]["round_id"] for e in opened] == [body["id"]]
    asked = {e["data"]["party"]: set(e["data"]["rater_ids"]) for e in events(evaluation_service, "evaluation.requested")}
    assert asked == {"self": {org.member.subject},
                     "peer": {org.peer.subject, org.peer2.subject, org.secretary.subject},
                     "leader": {org.reviewer.subject}}


def test_who_may_open_and_what_a_round_needs(evaluation_service, org):
    client, h = evaluation_service.client, evaluation_service.headers
    assert client.post(ROUNDS, json=open_body(org), headers=h(org.member)).status_code == 403
    unknown = client.post(ROUNDS, json=open_body(org, unit_id=str(uuid.uuid4())), headers=h(org.org))
    assert unknown.status_code == 422 and "unit_id" in unknown.json["error"]["details"]
    bad_weights = client.post(ROUNDS, json=open_body(org, weights={"self": 50, "peer": 30}), headers=h(org.org))
    assert bad_weights.status_code == 422 and "weights" in bad_weights.json["error"]["details"]
    assert client.post(ROUNDS, json=open_body(org, quorum_percent=0), headers=h(org.org)).status_code == 422
    self_as_peer = client.post(ROUNDS, json=open_body(org, peer_ids=[org.member.subject]), headers=h(org.org))
    assert self_as_peer.status_code == 422 and self_as_peer.json["error"]["details"]["peer_ids"] == [org.member.subject]
    assert events(evaluation_service) == []
    assert client.post(ROUNDS, json=open_body(org), headers=h(org.org)).status_code == 201
    twice = client.post(ROUNDS, json=open_body(org), headers=h(org.org))
    assert twice.status_code == 409 and twice.json["error"]["code"] == "round_exists"


def test_each_party_keeps_its_rules_and_the_round_completes_once(evaluation_service, org):
    round_id = open_round(evaluation_service, org)["id"]
    s = evaluation_service

    no_report = rate(s, org.member, round_id, party="self", rating="good", target_reports=SELF_REPORT[:1])
    assert no_report.status_code == 422
    # in the caller's language (Chinese unless English is asked for), naming the target
    assert no_report.json["error"]["details"]["target_reports"] == ["请汇报该承诺目标的完成情况：指导青年教师一名"]
    assert rate(s, org.member, round_id, party="peer", rating="excellent").json["error"]["code"] == "rater_not_allowed"
    assert rate(s, org.masses[0], round_id, party="peer", rating="good").status_code == 403
    no_mode = rate(s, org.reviewer, round_id, party="leader", rating="good", comment="表现突出")
    assert no_mode.status_code == 422 and "mode" in no_mode.json["error"]["details"]
    assert rate(s, org.member, round_id, party="masses", rating="excellent").status_code == 403

    assert rate(s, org.member, round_id, party="self", rating="excellent", target_reports=SELF_REPORT).status_code == 201
    assert rate(s, org.member, round_id, party="self", rating="excellent",
                target_reports=SELF_REPORT).json["error"]["code"] == "already_rated"
    for peer in (org.peer, org.peer2, org.secretary):
        assert rate(s, peer, round_id, party="peer", rating="good").status_code == 201
    leader = rate(s, org.reviewer, round_id, party="leader", rating="excellent", comment="表现突出", mode="on_site")
    assert leader.json["state"] == "open"
    assert leader.json["my_ratings"][0]["mode"] == "on_site"
    for one in org.masses[:2]:
        assert rate(s, one, round_id, party="masses", rating="fair").json["state"] == "open"
    done = rate(s, org.masses[2], round_id, party="masses", rating="fair")
    assert done.status_code == 201, done.json

    seen = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.member)).json
    # 20*95 + 30*85 + 30*70 + 20*95 = 8450 → 84.5, 良好
    assert (seen["state"], seen["score"], seen["level"]) == ("completed", 84.5, "good")
    assert {b["party"]: (b["raters"], b["score"]) for b in seen["breakdown"]} == {
        "self": (1, 95.0), "peer": (3, 85.0), "masses": (3, 70.0), "leader": (1, 95.0)}
    assert [r["party"] for r in seen["my_ratings"]] == ["self"]
    completed = events(s, "evaluation.completed")
    assert len(completed) == 1 and completed[0]["data"]["level"] == "good"

    late = rate(s, org.peer, round_id, party="masses", rating="poor")
    assert late.status_code == 409 and late.json["error"]["code"] == "round_closed"
    # closed, the round's secret is gone: not even the peer's own rating is told as theirs any more
    as_peer = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.peer)).json
    assert (as_peer["score"], as_peer["breakdown"], as_peer["my_ratings"]) == (None, None, [])
    outsider = person(unit_id=org.other_branch, roles=[("member", org.other_branch)])
    assert s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(outsider)).status_code == 404
    mine = s.client.get(f"{ROUNDS}?limit=5", headers=s.headers(org.member)).json
    assert (mine["total"], mine["items"][0]["id"]) == (1, round_id)


def _rate_self_and_leader(s, org, round_id):
    assert rate(s, org.member, round_id, party="self", rating="good", target_reports=SELF_REPORT).status_code == 201
    assert rate(s, org.reviewer, round_id, party="leader", rating="good", mode="individual").status_code == 201


def test_two_workers_closing_the_same_deadlines_complete_each_round_once(evaluation_service, org):
    s = evaluation_service
    round_ids = []
    for _ in range(12):
        body = open_round(s, org, target_id=str(uuid.uuid4()), quorum_percent=40)
        _rate_self_and_leader(s, org, body["id"])
        round_ids.append(body["id"])
    after_deadline = datetime.now(timezone.utc) + timedelta(days=8)
    start, results = threading.Barrier(2), []

    def closer():
        start.wait()
        results.append(close_due_rounds(s.uow_factory, after_deadline))

    threads = [threading.Thread(target=closer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    completed = [e["data"]["round_id"] for e in events(s, "evaluation.completed")]
    assert sorted(completed) == sorted(round_ids)  # each once, none twice
    assert sum(r.get("completed", 0) for r in results) == 12
    with s.engine.connect() as conn:
        states = set(conn.execute(sa.select(rounds.c.state)).scalars())
    assert states == {"completed"}
    assert close_due_rounds(s.uow_factory, after_deadline) == {}


def test_without_the_quorum_a_round_is_incomplete_at_its_deadline(evaluation_service, org):
    s = evaluation_service
    round_id = open_round(s, org)["id"]
    _rate_self_and_leader(s, org, round_id)  # 40% of the weight, short of the default 60
    assert close_due_rounds(s.uow_factory, datetime.now(timezone.utc) + timedelta(days=8)) == {"incomplete": 1}
    [incomplete] = events(s, "evaluation.incomplete")
    assert incomplete["data"]["missing_parties"] == ["peer", "masses"]
    assert events(s, "evaluation.completed") == []


def fulfilled(org, kind="instant", pledge_id=None) -> dict:
    return {"pledge_id": pledge_id or uuid.uuid4(), "pledger_kind": "member", "pledger_id": org.member.subject,
            "unit_id": org.branch, "kind": kind, "title": "为新生办理入学手续", "year": 2026,
            "due_date": date(2026, 12, 1), "actor_id": org.member.subject}


def test_a_fulfilled_instant_pledge_opens_one_round(evaluation_service, org):
    s = evaluation_service
    pledge_id = uuid.uuid4()
    s.deliver("pledge.fulfilled", fulfilled(org, pledge_id=pledge_id))
    s.deliver("pledge.fulfilled", fulfilled(org, pledge_id=pledge_id))  # a second delivery, as a new event
    s.deliver("pledge.fulfilled", fulfilled(org, kind="annual"))
    [opened] = events(s, "evaluation.round_opened")
    assert opened["data"]["target_id"] == str(pledge_id)
    assert opened["data"]["subject_person_id"] == org.member.subject
    with s.engine.connect() as conn:
        row = conn.execute(sa.select(rounds)).one()
    assert row.targets == ["为新生办理入学手续"]
    assert org.member.subject not in row.peer_ids and org.reviewer.subject not in row.peer_ids
    assert row.leader_ids == [org.reviewer.subject]


def test_the_organisation_department_opens_a_years_rounds_in_bulk_once(evaluation_service, org):
    s = evaluation_service
    body = {"target_kind": "member_year", "unit_id": str(org.general_branch), "year": 2026,
            "deadline": (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()}
    assert s.client.post(f"{ROUNDS}/bulk", json=body, headers=s.headers(org.secretary)).status_code == 403
    first = s.client.post(f"{ROUNDS}/bulk", json=body, headers=s.headers(org.org))
    assert first.status_code == 201 and first.json == {"opened": 5, "already_open": 0}
    assert s.client.post(f"{ROUNDS}/bulk", json=body, headers=s.headers(org.org)).json == {"opened": 0, "already_open": 5}
    branches = s.client.post(f"{ROUNDS}/bulk", json=body | {"target_kind": "branch", "unit_id": str(org.committee)},
                             headers=s.headers(org.org))
    assert branches.json == {"opened": 2, "already_open": 0}
    opened = events(s, "evaluation.round_opened")
    subjects = {e["data"]["subject_person_id"] for e in opened if e["data"]["target_kind"] == "member_year"}
    assert subjects == {p.subject for p in (org.member, org.peer, org.peer2, org.secretary, org.reviewer)}
    mine = s.client.get(ROUNDS, headers=s.headers(org.member)).json["items"]
    assert any(r["target_kind"] == "member_year" and r["subject_person_id"] == org.member.subject for r in mine)


def test_the_organisation_department_sets_the_default_weights_of_a_kind(evaluation_service, org):
    s = evaluation_service
    url = "/api/evaluations/defaults/member_year"
    chosen = {"self": 10, "peer": 30, "masses": 40, "leader": 20}
    assert s.client.put(url, json={"weights": chosen}, headers=s.headers(org.reviewer)).status_code == 403
    wrong = s.client.put(url, json={"weights": {"self": 10, "peer": 30}}, headers=s.headers(org.org))
    assert wrong.status_code == 422 and "weights" in wrong.json["error"]["details"]
    assert s.client.put(url, json={"weights": chosen}, headers=s.headers(org.org)).status_code == 200
    scale = s.client.get("/api/evaluations/scale", headers=s.headers(org.member)).json
    member_year = next(k for k in scale["target_kinds"] if k["target_kind"] == "member_year")
    assert {w["party"]: w["weight"] for w in member_year["weights"]} == chosen
    body = open_round(s, org, weights=None)
    assert {p["party"]: p["weight"] for p in body["parties"]} == chosen


def test_the_branch_secretary_names_the_peers_before_any_has_rated(evaluation_service, org):
    s = evaluation_service
    body = open_round(s, org, peer_ids=None, peer_count=1)
    url = f"{ROUNDS}/{body['id']}/peers"
    chosen = [org.peer.subject, org.peer2.subject, org.secretary.subject]
    assert s.client.put(url, json={"peer_ids": chosen}, headers=s.headers(org.peer)).status_code == 404
    yourself = s.client.put(url, json={"peer_ids": [org.member.subject]}, headers=s.headers(org.secretary))
    assert yourself.status_code == 422 and yourself.json["error"]["details"]["peer_ids"] == [org.member.subject]
    named = s.client.put(url, json={"peer_ids": chosen}, headers=s.headers(org.secretary))
    assert named.status_code == 200, named.json
    with s.engine.connect() as conn:
        stored = conn.execute(sa.select(rounds.c.peer_ids).where(rounds.c.id == body["id"])).scalar_one()
    assert sorted(stored) == sorted(chosen)
    asked = [e["data"]["rater_ids"] for e in events(s, "evaluation.requested") if e["data"]["party"] == "peer"]
    assert len(asked) == 2 and set(asked[1]) <= set(chosen)  # the drawn one, then the newly named
    assert rate(s, org.peer, body["id"], party="peer", rating="good").status_code == 201
    late = s.client.put(url, json={"peer_ids": chosen[1:]}, headers=s.headers(org.secretary))
    assert late.status_code == 409 and late.json["error"]["code"] == "peers_fixed"


def test_a_units_rounds_are_listed_to_its_organisers_only(evaluation_service, org):
    """The year's archive (#21) files every member's 评议表: the unit's secretaries list its rounds, not just their own."""
    s = evaluation_service
    body = {"target_kind": "member_year", "unit_id": str(org.general_branch), "year": 2026,
            "deadline": (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()}
    assert s.client.post(f"{ROUNDS}/bulk", json=body, headers=s.headers(org.org)).status_code == 201
    query = f"{ROUNDS}?unit_id={org.branch}&target_kind=member_year&year=2026"
    for organiser in (org.secretary, org.reviewer, org.org):  # the branch's, the general branch's, 组织部
        listed = s.client.get(query, headers=s.headers(organiser))
        assert listed.status_code == 200, listed.json
        assert listed.json["total"] == 5
        assert {r["subject_person_id"] for r in listed.json["items"]} == {
            p.subject for p in (org.member, org.peer, org.peer2, org.secretary, org.reviewer)}
    assert s.client.get(query.replace("2026", "2025"), headers=s.headers(org.org)).json["total"] == 0
    # a member, and the secretary of another general branch, list nothing of it
    for outsider in (org.member, org.outsider_reviewer):
        assert s.client.get(query, headers=s.headers(outsider)).status_code == 403
    # what I am asked to rate has no meaning in a unit's list
    mixed = s.client.get(f"{query}&waiting=true", headers=s.headers(org.org))
    assert mixed.status_code == 422 and "waiting" in mixed.json["error"]["details"]
