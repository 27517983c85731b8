"""The suggestion box keeps nothing about its writers; appeals take a rating out of the counts, never away."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa

from evaluation_service.adapters.tables import appeals, suggestions, window_ratings
from evaluation_service.domain.ratings import SHANGHAI
from pacesetter_shared.db import outbox_table
from tests.integration.evaluation.test_window_ratings import kiosk

NOTES = "/api/feedback/suggestions"
# anything that could lead back to a writer: accounts, devices, addresses, exact times
IDENTIFYING = ("person", "account", "user", "subject", "author", "writer", "device", "kiosk", "ip", "address",
               "email", "phone", "agent", "created_at", "client")


def test_the_suggestion_box_table_has_no_identifying_column(evaluation_service):
    columns = {c["name"] for c in sa.inspect(evaluation_service.engine).get_columns("suggestions")}
    assert "body" in columns and "received_on" in columns
    assert [c for c in columns if any(word in c for word in IDENTIFYING)] == []


def test_a_note_is_triaged_answered_and_a_complaint_is_followed_up(evaluation_service, org):
    s = evaluation_service
    note = s.client.post(NOTES, json={"window_id": str(org.window), "body": "窗口午休时间无人值守", "is_complaint": True},
                         headers=s.headers(org.masses[0]))
    assert note.status_code == 201 and note.json["case_id"] is not None
    plain = s.client.post(NOTES, json={"unit_id": str(org.branch), "body": "建议增加自助打印机"},
                          headers=s.headers(org.masses[1]))
    assert plain.status_code == 201 and plain.json["case_id"] is None
    assert s.client.post(NOTES, json={"body": "无处可投"}, headers=s.headers(org.masses[1])).status_code == 422
    with s.engine.connect() as conn:
        stored = conn.execute(sa.select(suggestions).where(suggestions.c.id == note.json["id"])).one()
        types = list(conn.execute(sa.select(outbox_table.c.event_type)).scalars())
    assert org.masses[0].subject not in {str(v) for v in stored}
    assert types == ["feedback.negative"]

    h = s.headers
    assert s.client.get(NOTES, headers=h(org.peer)).json["total"] == 0
    listed = s.client.get(f"{NOTES}?state=open", headers=h(org.reviewer)).json
    assert listed["total"] == 2
    url = f"{NOTES}/{note.json['id']}"
    assert s.client.patch(url, json={"state": "answered"}, headers=h(org.reviewer)).status_code == 422
    assert s.client.patch(url, json={"state": "in_progress"}, headers=h(org.reviewer)).json["state"] == "in_progress"
    answered = s.client.patch(url, json={"state": "answered", "reply": "已安排轮岗值守", "publish": True},
                              headers=h(org.reviewer)).json
    assert (answered["state"], answered["reply_published"]) == ("answered", True)
    back = s.client.patch(url, json={"state": "open"}, headers=h(org.reviewer))
    assert back.status_code == 409 and back.json["error"]["code"] == "illegal_step"
    assert s.client.patch(url, json={"state": "closed"}, headers=h(org.outsider_reviewer)).status_code == 404


def test_an_upheld_appeal_leaves_the_rating_stored_but_uncounted(evaluation_service, org):
    s, h = evaluation_service, evaluation_service.headers
    ratings = [{"client_id": f"r{i}", "level": 5} for i in range(3)] + [{"client_id": "bad", "level": 1}]
    answer = s.client.post("/api/ratings/batch", json={"ratings": ratings}, headers=h(kiosk(org.window))).json
    bad_id = answer["items"][3]["rating_id"]

    assert s.client.post(f"/api/ratings/{bad_id}/appeals", json={"reason": "恶意刷差评"}, headers=h(org.peer)).status_code == 404
    filed = s.client.post(f"/api/ratings/{bad_id}/appeals", json={"reason": "恶意刷差评"}, headers=h(org.secretary))
    assert filed.status_code == 201, filed.json
    again = s.client.post(f"/api/ratings/{bad_id}/appeals", json={"reason": "再次申诉"}, headers=h(org.secretary))
    assert again.status_code == 409

    decide = f"/api/feedback/appeals/{filed.json['id']}/decide"
    assert s.client.post(decide, json={"decision": "upheld", "note": "越权裁决"},
                         headers=h(org.outsider_reviewer)).status_code == 404
    upheld = s.client.post(decide, json={"decision": "upheld", "note": "同一设备一分钟内连续差评"}, headers=h(org.reviewer))
    assert upheld.status_code == 200 and upheld.json["decided_by"] == org.reviewer.subject
    assert s.client.post(decide, json={"decision": "rejected", "note": "再议"}, headers=h(org.reviewer)).status_code == 409

    with s.engine.connect() as conn:
        rows = {r.client_id: r.excluded for r in conn.execute(sa.select(window_ratings))}
        decision = conn.execute(sa.select(appeals.c.decision, appeals.c.decided_by)).one()
    assert rows == {"r0": False, "r1": False, "r2": False, "bad": True}
    assert decision == ("upheld", uuid.UUID(org.reviewer.subject))
    today = datetime.now(SHANGHAI).date()
    [year] = s.client.get("/api/ratings/summary", query_string={
        "window_id": org.window, "granularity": "year", "from": today.isoformat(), "to": today.isoformat()},
        headers=h(org.reviewer)).json["items"]
    assert (year["total"], year["satisfaction_rate"]) == (3, 1.0)


def test_a_note_to_a_window_can_be_appealed_and_stays_stored(evaluation_service, org):
    s, h = evaluation_service, evaluation_service.headers
    note_id = s.client.post(NOTES, json={"window_id": str(org.window), "body": "恶意内容"},
                            headers=h(org.masses[0])).json["id"]
    unit_note = s.client.post(NOTES, json={"unit_id": str(org.branch), "body": "建议"}, headers=h(org.masses[0])).json["id"]
    assert s.client.post(f"{NOTES}/{unit_note}/appeals", json={"reason": "无"}, headers=h(org.secretary)).status_code == 404
    filed = s.client.post(f"{NOTES}/{note_id}/appeals", json={"reason": "内容与窗口无关"}, headers=h(org.secretary))
    assert filed.status_code == 201 and filed.json["suggestion_id"] == note_id
    rejected = s.client.post(f"/api/feedback/appeals/{filed.json['id']}/decide",
                             json={"decision": "rejected", "note": "理由不足"}, headers=h(org.reviewer))
    assert rejected.json["decision"] == "rejected"
    again = s.client.post(f"{NOTES}/{note_id}/appeals", json={"reason": "补充材料"}, headers=h(org.secretary))
    upheld = s.client.post(f"/api/feedback/appeals/{again.json['id']}/decide",
                           json={"decision": "upheld", "note": "内容与窗口无关属实"}, headers=h(org.reviewer))
    assert upheld.status_code == 200
    notes = {n["id"]: n["excluded"] for n in s.client.get(NOTES, headers=h(org.reviewer)).json["items"]}
    assert notes == {note_id: True, unit_note: False}


def test_a_published_reply_is_there_for_anyone_and_an_unpublished_one_is_not(evaluation_service, org):
    from pacesetter_shared.identity import ANONYMOUS

    s = evaluation_service
    public, private = (s.client.post(NOTES, json={"window_id": str(org.window), "body": body},
                                     headers=s.headers(ANONYMOUS)).json["id"]
                       for body in ("希望延长午间办理时间", "某某态度不好"))
    s.client.patch(f"{NOTES}/{public}", json={"state": "answered", "reply": "自下月起午间不休", "publish": True},
                   headers=s.headers(org.reviewer))
    s.client.patch(f"{NOTES}/{private}", json={"state": "answered", "reply": "已约谈"}, headers=s.headers(org.reviewer))
    for scope in ({"window_id": str(org.window)}, {"unit_id": str(org.general_branch)}):
        page = s.client.get(f"{NOTES}/published", query_string=scope, headers=s.headers(ANONYMOUS))
        assert page.status_code == 200, page.json
        assert [(i["id"], i["reply"]) for i in page.json["items"]] == [(public, "自下月起午间不休")]
    assert s.client.get(f"{NOTES}/published", headers=s.headers(ANONYMOUS)).status_code == 422
