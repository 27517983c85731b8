"""Ops' scheduled jobs through the gateway (#21 gap 10): one list from every service, "run now" sent to the
job's service, 403 for everyone else, 404 for a job nobody has."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from gateway.service.demo import seed
from pledge_service.adapters.tables import pledges
from tests.integration.pledge.lifecycle import publish
from tests.support.services import OrgFixture, start_service
from tests.support.suite import free_port

from .conftest import bearer


@pytest.fixture
def pledge_over_http(fresh_database, make_settings):
    """pledge-service answering on a real port, as the gateway reaches it."""
    service = start_service("pledge", fresh_database("pledge"), make_settings)
    server = make_server("127.0.0.1", 0, service.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service.url = f"http://127.0.0.1:{server.server_port}"
    yield service
    server.shutdown()
    service.engine.dispose()


@pytest.fixture
def suite_gateway(pledge_over_http, fresh_database, make_settings):
    """The gateway in front of pledge-service; the other services are down (their ports closed)."""
    down = {f"{name}_url": f"http://127.0.0.1:{free_port()}" for name in ("evaluation", "grading", "notification")}
    gateway = start_service("gateway", fresh_database("gw"), make_settings, pledge_url=pledge_over_http.url, **down)
    seed(gateway.uow_factory)
    yield gateway
    gateway.engine.dispose()


def _login(gateway, username: str) -> dict:
    response = gateway.client.post("/api/auth/login", json={"username": username, "password": "pacesetter2026"})
    assert response.status_code == 200, response.json
    return bearer(response.json)


def test_ops_sees_every_job_and_runs_one_in_its_service(suite_gateway, pledge_over_http):
    org = OrgFixture(pledge_over_http)
    pledge = publish(pledge_over_http, org)
    yesterday = datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)
    with pledge_over_http.engine.begin() as conn:
        conn.execute(sa.update(pledges).where(pledges.c.id == pledge["id"]).values(due_date=yesterday))
    ops = _login(suite_gateway, "zuzhibu")  # 组织部 and ops

    listed = suite_gateway.client.get("/api/ops/jobs", headers=ops)
    assert listed.status_code == 200, listed.json
    assert [j["name"] for j in listed.json["items"]] == ["pledge.mark_overdue", "pledge.remind_due_soon",
                                                         "pledge.overdue_lists", "pledge.refresh_statistics"]
    assert listed.json["unavailable"] == ["evaluation", "grading", "notification"]

    ran = suite_gateway.client.post("/api/ops/jobs/pledge.mark_overdue/run", headers=ops)
    assert ran.status_code == 200, ran.json
    assert ran.json["ok"] is True and ran.json["job"] == "pledge.mark_overdue" and ran.json["message"] == "1"
    member_view = pledge_over_http.client.get(f"/api/pledges/{pledge['id']}",
                                              headers=pledge_over_http.headers(org.member))
    assert member_view.json["state"] == "overdue"
    last = {j["name"]: j["last_run_at"] for j in suite_gateway.client.get("/api/ops/jobs", headers=ops).json["items"]}
    assert last["pledge.mark_overdue"] == ran.json["started_at"]


def test_a_member_may_neither_list_nor_run_jobs(suite_gateway, pledge_over_http):
    member = _login(suite_gateway, "dangyuan") | {"Accept-Language": "en"}
    listed = suite_gateway.client.get("/api/ops/jobs", headers=member)
    assert listed.status_code == 403 and listed.json["error"]["message"] == "Only ops may see and run the scheduled jobs."
    ran = suite_gateway.client.post("/api/ops/jobs/pledge.mark_overdue/run", headers=member)
    assert ran.status_code == 403
    with pledge_over_http.engine.connect() as conn:  # the refusal came before the service was asked
        assert conn.execute(sa.text("SELECT count(*) FROM job_runs")).scalar() == 0


def test_a_job_nobody_has_is_not_found_and_a_service_down_says_so(suite_gateway):
    ops = _login(suite_gateway, "zuzhibu") | {"Accept-Language": "zh-CN"}
    for name in ("pledge.no_such_job", "payroll.monthly", "nodots"):
        missing = suite_gateway.client.post(f"/api/ops/jobs/{name}/run", headers=ops)
        assert missing.status_code == 404, (name, missing.json)
        assert missing.json["error"]["message"] == f"没有名为 {name} 的定时任务。"
    down = suite_gateway.client.post("/api/ops/jobs/grading.rectification_overdue/run", headers=ops)
    assert down.status_code == 503 and down.json["error"]["code"] == "service_unavailable"
