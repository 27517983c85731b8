"""feedback.negative v1 (every case at a window), v2 (a complaint to a unit names no window) and v3 (a batch's cases
at one place in one event) are all handled: the cases reach who answers for them in one notice per event, and only a
window's bad ratings count towards its alert, each case once."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from pacesetter_shared.events import new_envelope, prepare_data
from pacesetter_shared.events.registry import InvalidEvent

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


def _batch(notification, ids, levels, window_id=WINDOW):
    """feedback.negative v3: a kiosk batch's cases at one window, in one event."""
    cases = [{"case_id": uuid.uuid4(), "level": level, "reasons": ["服务态度"] if level == 1 else [],
              "deadline": AT + timedelta(days=7, hours=n)} for n, level in enumerate(levels)]
    payload = prepare_data("feedback.negative", 3, {"window_id": window_id, "unit_id": BRANCH,
                                                    "responsible_id": ids["responsible"], "source": "rating",
                                                    "cases": cases})
    return notification.redeliver(new_envelope("feedback.negative", 3, "test", str(window_id), payload)), cases


def test_a_v3_batch_of_bad_ratings_is_one_notice_per_recipient_and_each_case_counts_towards_the_alert(notification):
    ids = _setup(notification)
    notification.deliver("directory.window_upserted", {"window_id": WINDOW, "unit_id": BRANCH, "name": "图书馆借阅窗口",
                                                       "responsible_id": ids["responsible"], "active": True,
                                                       "revision": 1})
    envelope, cases = _batch(notification, ids, [1, 2, 2])
    notification.redeliver(envelope)  # a redelivered batch is no second notice and no second count
    mine = _inbox(notification, ids["responsible"])
    [notice] = [n for n in mine if n["event_type"] == "feedback.negative"]
    assert notice["title"] == "图书馆借阅窗口 新增 3 件差评待整改"
    assert notice["link"] == f"/windows/cases?window_id={WINDOW}"
    lines = notice["body"].splitlines()
    assert lines[0] == "图书馆借阅窗口新增 3 件差评，请逐件核实整改并回访："
    assert lines[1] == "· “非常不满意”（原因：服务态度），请于 2025-03-09 09:00（北京时间）前办结"
    assert lines[3] == "· “不满意”（原因：未选择原因），请于 2025-03-09 11:00（北京时间）前办结"
    # three bad ratings in one batch cross the alert's threshold of three: each case counted, once
    [alert] = [n for n in mine if n["event_type"] == "notification.bad_rating_alert"]
    assert "收到 3 条“不满意”及以下评价" in alert["body"]
    with notification.uow_factory() as uow:
        counted = uow.session.execute(sa.text("SELECT case_id FROM bad_ratings WHERE window_id = :w"),
                                      {"w": WINDOW}).scalars().all()
    assert sorted(counted) == sorted(c["case_id"] for c in cases)


def test_a_v3_event_of_one_case_reads_as_the_old_versions_did(notification):
    ids = _setup(notification)
    _envelope, [case] = _batch(notification, ids, [2])
    [notice] = _inbox(notification, ids["responsible"])
    assert notice["title"] == "服务差评待整改：图书馆党支部"
    assert notice["body"].startswith("图书馆党支部的服务窗口收到“不满意”评价（原因：未选择原因）")
    assert notice["link"] == f"/feedback/{case['case_id']}"


def test_a_v3_event_without_cases_is_refused_naming_the_event():
    with pytest.raises(InvalidEvent, match=r"feedback.negative v3 is invalid") as refused:
        prepare_data("feedback.negative", 3, {"window_id": WINDOW, "unit_id": BRANCH, "source": "rating",
                                              "cases": []})
    assert "cases" in refused.value.errors
