"""#21 gap 9: 代录 — a secretary enters paper 评议表 for raters without a login, recorded as such, with the
anonymity rules unchanged and a sheet number kept once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.adapters.tables import round_ratings, round_secrets
from tests.integration.evaluation.test_rounds import ROUNDS, events, rate


def _open(s, org) -> dict:
    org.paperless = org.add_person("王老师", org.branch, [("member", org.branch)])  # a peer without a login
    body = {"target_kind": "member_year", "target_id": org.member.subject, "unit_id": str(org.branch),
            "subject_person_id": org.member.subject, "year": 2026, "title": "2026年度党员评议",
            "targets": ["讲好一门公开课"], "weights": {"self": 20, "peer": 30, "masses": 30, "leader": 20},
            "deadline": (datetime.now(timezone.utc) + timedelta(days=7)).isoformat(),
            "peer_ids": [org.peer.subject, org.peer2.subject, org.paperless.subject]}
    answer = s.client.post(ROUNDS, json=body, headers=s.headers(org.org))
    assert answer.status_code == 201, answer.json
    return answer.json


def sheet(s, who, round_id, key=None, **body):
    headers = s.headers(who, **({"Idempotency-Key": key} if key else {}))
    return s.client.post(f"{ROUNDS}/{round_id}/paper-sheets", json=body, headers=headers)


def _stored(s, round_id):
    with s.engine.connect() as conn:
        return conn.execute(sa.select(round_ratings).where(round_ratings.c.round_id == round_id)
                            .order_by(round_ratings.c.submitted_at)).all()


def test_the_branch_secretary_enters_paper_sheets_anonymously_and_each_sheet_once(evaluation_service, org):
    s = evaluation_service
    round_id = _open(s, org)["id"]
    entry = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.secretary)).json["paper_entry"]
    assert entry["parties"] == ["self", "peer", "masses", "leader"]
    assert {(n["party"], n["name"]) for n in entry["named"]} == {("self", "陈党员"), ("leader", "李总支")}
    assert s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.peer)).json["paper_entry"] is None

    first = sheet(s, org.secretary, round_id, "k-1", sheet_no="P-001", party="peer", rating="good", comment="认真负责")
    assert first.status_code == 201, first.json
    assert sheet(s, org.secretary, round_id, "k-1", sheet_no="P-001", party="peer", rating="good",
                 comment="认真负责").json == first.json  # the same request again: its answer replayed
    again = sheet(s, org.secretary, round_id, sheet_no="p-001", party="peer", rating="good")
    assert again.status_code == 200  # the same sheet number, another key: kept once
    other = sheet(s, org.secretary, round_id, sheet_no="P-001", party="peer", rating="poor")
    assert other.status_code == 409 and other.json["error"]["code"] == "sheet_entered"
    assert [p["paper"] for p in again.json["parties"] if p["party"] == "peer"] == [1]
    assert again.json["my_ratings"] == [] and again.json["breakdown"] is None

    [stored] = _stored(s, round_id)
    # a peer's sheet keeps no one's id: only its pseudonym, who entered it, and that it came on paper
    assert (stored.rater_id, stored.source, str(stored.entered_by)) == (None, "paper", org.secretary.subject)
    assert stored.rater_key == stored.sheet_key and "P-001" not in stored.sheet_key

    named = sheet(s, org.secretary, round_id, sheet_no="P-002", party="peer", rating="good", rater_id=org.peer.subject)
    assert named.status_code == 422 and "rater_id" in named.json["error"]["details"]
    unnamed = sheet(s, org.secretary, round_id, sheet_no="S-1", party="self", rating="excellent",
                    target_reports=[{"target": "讲好一门公开课", "done": "开课两次"}])
    assert unnamed.status_code == 422 and "rater_id" in unnamed.json["error"]["details"]
    assert sheet(s, org.peer, round_id, sheet_no="P-003", party="peer", rating="good").status_code == 404
    assert sheet(s, org.outsider_reviewer, round_id, sheet_no="P-003", party="peer", rating="good").status_code == 404


def test_paper_and_online_ratings_complete_a_round_together(evaluation_service, org):
    s = evaluation_service
    round_id = _open(s, org)["id"]
    assert sheet(s, org.secretary, round_id, sheet_no="P-1", party="peer", rating="excellent").status_code == 201
    for peer in (org.peer, org.peer2):
        assert rate(s, peer, round_id, party="peer", rating="good").status_code == 201
    # three asked peers, three ratings: no more peer sheets, whoever would hand one in
    full = sheet(s, org.secretary, round_id, sheet_no="P-2", party="peer", rating="poor")
    assert full.status_code == 409 and full.json["error"]["code"] == "already_rated"

    own = sheet(s, org.secretary, round_id, sheet_no="S-1", party="self", rating="excellent",
                rater_id=org.member.subject, target_reports=[{"target": "讲好一门公开课", "done": "开课两次"}])
    assert own.status_code == 201, own.json
    mine = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.member)).json
    assert [(r["party"], r["source"], r["entered_by"]) for r in mine["my_ratings"]] == [
        ("self", "paper", org.secretary.subject)]
    assert mine["my_parties"] == []
    twice = rate(s, org.member, round_id, party="self", rating="good",
                 target_reports=[{"target": "讲好一门公开课", "done": "开课两次"}])
    assert twice.status_code == 409

    # the general branch above the unit enters too: the masses' sheets of a meeting
    for number in range(1, 4):
        answer = sheet(s, org.reviewer, round_id, sheet_no=f"M-{number}", party="masses", rating="good")
        assert answer.status_code == 201, answer.json
    assert rate(s, org.reviewer, round_id, party="leader", rating="excellent", mode="concentrated").status_code == 201

    [completed] = events(s, "evaluation.completed")
    assert {p["party"]: p["raters"] for p in completed["data"]["breakdown"]} == {
        "self": 1, "peer": 3, "masses": 3, "leader": 1}
    result = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.member)).json
    assert result["state"] == "completed" and result["left_out"] == []
    assert {p["party"]: p["paper"] for p in result["parties"]} == {"self": 1, "peer": 1, "masses": 3, "leader": 0}
    with s.engine.connect() as conn:
        assert conn.execute(sa.select(round_secrets).where(round_secrets.c.round_id == round_id)).first() is None
    closed = sheet(s, org.secretary, round_id, sheet_no="M-9", party="masses", rating="good")
    assert closed.status_code == 409 and closed.json["error"]["code"] == "round_closed"
    # the general branch sees the result, and nothing more to enter
    assert s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.reviewer)).json["paper_entry"] is None


def test_openapi_documents_the_paper_sheets(evaluation_service):
    paths = evaluation_service.client.get("/openapi.json").json["paths"]
    operation = paths["/api/evaluations/rounds/{round_id}/paper-sheets"]["post"]
    assert {"201", "200"} <= set(operation["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
