"""Training (#21 gap 10): the embedded suite started with ``--clock-offset`` lives days ahead, so a pledge due the
day after tomorrow is overdue at once and its pledger is reminded — what only a later clock produces — while
logins, the scheduler and ops' "run now" all go by the one shifted time, and the portal is told to say so."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

from .test_embedded_mode import Embedded

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _published_pledge(gateway: str, due: str) -> str:
    member = Api(gateway).login("dangyuan", DEMO_PASSWORD)

    def create():
        response = member.post("/api/pledges", {"kind": "annual", "title": "按期完成课程思政示范课", "due_date": due,
                                                "areas": ["serving_masses"], "submit": True})
        return response.json["id"] if response.status == 201 else None

    pledge_id = wait_for(create, timeout=30, message="pledge-service to learn the directory")
    reviewer = Api(gateway).login("zongzhi", DEMO_PASSWORD)
    for action in ("approve", "publish"):
        assert reviewer.post(f"/api/pledges/{pledge_id}/{action}", {}).status == 200
    return pledge_id


def test_a_shifted_clock_makes_a_pledge_overdue_and_reminds_its_pledger(tmp_path):
    var, log = tmp_path / "var", tmp_path / "embedded.log"
    due = (datetime.now(SHANGHAI).date() + timedelta(days=2)).isoformat()
    today = Embedded(var, log).start()
    try:
        pledge_id = _published_pledge(today.gateway, due)
        member = Api(today.gateway).login("dangyuan", DEMO_PASSWORD)
        assert member.get(f"/api/pledges/{pledge_id}").json["state"] == "published"
        assert "training" not in Api(today.gateway).get("/healthz").json
    finally:
        assert today.stop() == 0, log.read_text()[-3000:]

    ahead = Embedded(var, log, "--clock-offset", "5d").start()
    try:
        health = Api(ahead.gateway).get("/healthz").json
        assert health["training"]["clock_offset"] == "+5d"
        shifted = datetime.fromisoformat(health["training"]["now"]) - datetime.now(timezone.utc)
        assert timedelta(days=5) - timedelta(minutes=1) < shifted < timedelta(days=5) + timedelta(minutes=1)

        member = Api(ahead.gateway).login("dangyuan", DEMO_PASSWORD)  # tokens signed and checked on the same clock
        # the scheduler's first round, on the shifted clock, finds the pledge past its due date
        wait_for(lambda: member.get(f"/api/pledges/{pledge_id}").json["state"] == "overdue", timeout=30,
                 message="the pledge marked overdue by the scheduler")
        reminder = wait_for(lambda: next((n for n in member.get("/api/notifications").json["items"]
                                          if n["event_type"] == "pledge.overdue"), None),
                            timeout=30, message="the pledger's overdue reminder")
        assert "承诺已逾期" in reminder["title"]
        assert datetime.fromisoformat(reminder["created_at"]) - datetime.now(timezone.utc) > timedelta(days=4)

        ops = Api(ahead.gateway).login("zuzhibu", DEMO_PASSWORD)
        ran = ops.post("/api/ops/jobs/pledge.overdue_lists/run", {})
        assert ran.status == 200 and ran.json["ok"] is True, ran.json
        assert datetime.fromisoformat(ran.json["started_at"]) - datetime.now(timezone.utc) > timedelta(days=4)
        jobs = {j["name"]: j for j in ops.get("/api/ops/jobs").json["items"]}
        assert jobs["pledge.overdue_lists"]["last_run_at"] == ran.json["started_at"]
        assert Api(ahead.gateway).login("dangyuan", DEMO_PASSWORD).get("/api/ops/jobs").status == 403
    finally:
        assert ahead.stop() == 0, log.read_text()[-3000:]
    assert "Training mode (培训模式): the clock runs +5d" in log.read_text()
