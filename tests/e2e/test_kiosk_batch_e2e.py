"""A kiosk's batch with bad ratings among it, every service its own process: one event for the batch's cases, one
notice to the window's responsible person naming each case, and each case still followed up on its own."""
from __future__ import annotations

import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


def test_a_kiosk_batchs_bad_ratings_are_one_notice_and_cases_followed_up_one_by_one(suite):
    org = wait_for(lambda: Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD), message="login")
    name = f"批量评价窗口{uuid.uuid4().hex[:6]}"
    window = org.post("/api/directory/windows", {"name": name, "unit_id": str(_id("br-teachers")),
                                                 "responsible_id": str(_id("zhishu"))})
    assert window.status == 201, window.json
    credential = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": f"{name}评价器"}
                          ).json["credential"]
    kiosk = Api(suite.gateway)
    levels = [5] * 17 + [1, 2, 2]
    batch = [{"client_id": uuid.uuid4().hex, "level": level, "reasons": []} for level in levels]
    answer = wait_for(lambda: (lambda r: r.json if r.status == 200 and r.json["accepted"] == 20 else None)(
        kiosk.post("/api/ratings/batch", {"ratings": batch}, headers={"Authorization": f"Kiosk {credential}"})),
        timeout=30, message="evaluation-service to know the window and take the batch")
    opened = [item["case_id"] for item in answer["items"] if item["case_id"]]
    assert len(opened) == 3

    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)

    def told():
        items = secretary.get("/api/notifications?limit=200").json["items"]
        return [n for n in items if n["event_type"] == "feedback.negative" and name in n["title"]] or None

    [notice] = wait_for(told, timeout=60, message="the batch's notice in the responsible person's inbox")
    assert notice["title"] == f"{name} 新增 3 件差评待整改"
    assert notice["link"] == f"/windows/cases?window_id={window.json['id']}"
    assert len(notice["body"].splitlines()) == 1 + 3 and "非常不满意" in notice["body"]
    # the notice's link: the window's open cases, each with its own deadline
    cases = secretary.get(f"/api/feedback/cases?window_id={window.json['id']}&state=open").json["items"]
    assert sorted(c["id"] for c in cases) == sorted(opened)
    closed = secretary.post(f"/api/feedback/cases/{opened[0]}/close",
                            {"action_taken": "已当面致歉并改进", "called_back": True})
    assert closed.status == 200 and closed.json["state"] == "closed"
    still_open = secretary.get(f"/api/feedback/cases?window_id={window.json['id']}&state=open").json["items"]
    assert sorted(c["id"] for c in still_open) == sorted(opened[1:])
    # three bad ratings in one batch are three towards the window's alert: it alerts once
    alerts = wait_for(lambda: [n for n in secretary.get("/api/notifications?limit=200").json["items"]
                               if n["event_type"] == "notification.bad_rating_alert" and
                               n["link"] == f"/windows/{window.json['id']}"] or None,
                      timeout=30, message="the window's bad-rating alert")
    assert len(alerts) == 1
