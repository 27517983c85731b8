"""feedback.negative v1 (every case at a window) and v2 (a complaint to a unit names no window) are both
handled: the case reaches who answers for it, and only a window's bad ratings count towards its alert."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pacesetter_shared.events import new_envelope, prepare_data

BRANCH, WINDOW = uuid.uuid4(), uuid.uuid4()
AT = datetime(2025, 3, 2, 1, 0, tzinfo=timezone.utc)


def _setup(notification) -> dict:
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "图书馆党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    ids = {"responsible": uuid.uuid4(), "secretary": uuid.uuid4()}
    for key, name, roles in [("responsible", "刘岗长", []), ("secretary", "张支书", [("branch_secretary", BRANCH)])]:
        notification.deliver("directory.person_upserted", {
            "person_id": ids[key], "name": name, "unit_id": BRANCH, "member_status": "full", "revision": 1,
            "roles": [{"role": r, "unit_id": u} for r, u in roles + [("member", BRANCH)]]})
    return ids


def _send(notification, version: int, **data):
    payload = prepare_data("feedback.negative", version, {
        "case_id": uuid.uuid4(), "unit_id": BRANCH, "level": 2, "reasons": ["服务态度"],
        "deadline": AT + timedelta(days=7), **data})
    return notification.redeliver(new_envelope("feedback.negative", version, "test", payload["case_id"], payload))


def _inbox(notification, person) -> list[dict]:
    return notification.client.get("/api/notifications", query_string={"limit": 50},
                                   headers=notification.headers(person)).json["items"]


def test_a_v1_case_at_a_window_reaches_its_responsible_person(notification):
    ids = _setup(notification)
    _send(notification, 1, window_id=WINDOW, responsible_id=ids["responsible"])
    [notice] = _inbox(notification, ids["responsible"])
    assert notice["event_type"] == "feedback.negative"
    assert notice["body"].startswith("图书馆党支部的服务窗口收到“不满意”评价")


def test_v2_cases_at_a_window_count_towards_its_alert_and_a_complaint_to_the_unit_does_not(notification):
    ids = _setup(notification)
    for _ in range(2):
        _send(notification, 2, window_id=WINDOW, responsible_id=ids["responsible"], source="rating")
    # a complaint to the unit, followed up by its branch secretary: no window to alert about
    _send(notification, 2, window_id=None, responsible_id=ids["secretary"], source="suggestion",
          reasons=["意见箱投诉"])
    mine = _inbox(notification, ids["secretary"])
    assert [n["event_type"] for n in mine] == ["feedback.negative"]
    assert mine[0]["body"].startswith("图书馆党支部收到“不满意”评价（原因：意见箱投诉）")
    assert [n["event_type"] for n in _inbox(notification, ids["responsible"])] == ["feedback.negative"] * 2
    # the third bad rating at the window alerts: the unit's complaint did not count as one
    _send(notification, 2, window_id=WINDOW, responsible_id=ids["responsible"], source="rating")
    assert "notification.bad_rating_alert" in [n["event_type"] for n in _inbox(notification, ids["responsible"])]
