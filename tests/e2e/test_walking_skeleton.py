"""The backbone's thin flow through every hop, each service its own process:
gateway → pledge-service (outbox) → RabbitMQ → notification-service → inbox through the gateway."""
from __future__ import annotations

from datetime import date

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


def test_a_submitted_pledge_reaches_the_reviewers_inbox(suite):
    anonymous = Api(suite.gateway)
    # pledge-service learnt the directory from directory.* events: it knows the member's branch.
    member = wait_for(lambda: anonymous.login("dangyuan", DEMO_PASSWORD), message="login")
    created = wait_for(lambda: _created(member), timeout=30, message="pledge-service to know the branch")
    assert created.json["state"] == "submitted"

    reviewer = anonymous.login("zongzhi", DEMO_PASSWORD)
    inbox = wait_for(lambda: _notice_about(reviewer, created.json["id"]), timeout=30,
                     message="the notice in the general-branch secretary's inbox")
    assert "带头搞好教书育人" in inbox["title"] + inbox["body"]
    count = reviewer.get("/api/notifications/unread-count")
    assert count.status == 200 and count.json["unread"] >= 1

    # The member who submitted is not the one told to review it.
    assert _notice_about(member, created.json["id"]) is None


def _created(member: Api):
    response = member.post("/api/pledges", {
        "kind": "annual", "title": "带头搞好教书育人", "areas": ["study"],
        "due_date": date(date.today().year + 1, 6, 30).isoformat(), "submit": True})
    return response if response.status == 201 else None


def _notice_about(api: Api, pledge_id: str):
    response = api.get("/api/notifications?limit=50")
    assert response.status == 200, response.json
    return next((n for n in response.json["items"] if pledge_id in (n.get("link") or "") or
                 n.get("subject") == pledge_id), None)


def test_the_gateway_serves_one_openapi_document_for_every_service(suite):
    document = Api(suite.gateway).get("/api/openapi.json").json
    paths = document["paths"]
    assert "/api/auth/login" in paths and "/api/pledges" in paths and "/api/notifications" in paths
    assert any(p.startswith("/api/evaluations") for p in paths)
    assert any(p.startswith("/api/grading") for p in paths)
    assert "x-unavailable-services" not in document


def test_a_service_down_is_a_clear_503_while_the_others_answer(suite):
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    suite.stop_process("grading-web")
    try:
        down = member.get("/api/grading/indicators")
        assert down.status == 503
        assert down.json["error"]["code"] == "service_unavailable"
        assert member.get("/api/pledges").status == 200
        assert member.get("/api/notifications").status == 200
    finally:
        suite.start_process("grading-web")
        wait_for(suite.ready, timeout=30, message="grading back")
    assert member.get("/api/grading/indicators").status == 200


def test_a_worker_finishes_and_exits_cleanly_on_sigterm(suite):
    import signal

    process = suite.processes["notification-worker"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    suite.start_process("notification-worker")
    # Started again, it picks up what arrived meanwhile.
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    created = wait_for(lambda: _created(member), timeout=30, message="a second pledge")
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    wait_for(lambda: _notice_about(reviewer, created.json["id"]), timeout=30, message="the restarted worker's notice")
