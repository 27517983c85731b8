"""``make run`` seeds a year of activity, so that the organisation department's dashboards have
something to chart in the embedded mode: two years of grading, pledges and half a year of ratings."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES
from tests.support.http import Api
from tests.support.suite import free_port
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


def _ready(gateway: str, process: subprocess.Popen, log) -> bool:
    assert process.poll() is None, log.read_text()
    try:
        return Api(gateway).get("/readyz").status == 200
    except OSError:
        return False


def test_make_run_gives_the_dashboards_two_years_of_grading_pledges_and_ratings(tmp_path):
    env = os.environ | {"PACESETTER_VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"}
    for name in DEFAULT_PORTS:
        env[f"{SERVICE_PREFIXES[name]}_PORT"] = str(free_port())
    for key in [k for k in env if k.endswith(("_URL", "DATABASE_URL")) and "PORT" not in k]:
        env.pop(key)
    gateway = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    log = tmp_path / "embedded.log"
    process = subprocess.Popen([sys.executable, "-m", "pacesetter_suite.embedded", "--demo-activity"], env=env,
                               stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _ready(gateway, process, log), timeout=60, interval=0.3, message="the embedded suite")
        wait_for(lambda: "demo activity created" in log.read_text(), timeout=120, interval=0.5,
                 message="the demo activity")
        org = Api(gateway).login("zuzhibu", DEMO_PASSWORD)
        cycles = sorted(org.get("/api/grading/cycles").json["items"], key=lambda c: c["year"])
        assert [c["state"] for c in cycles] == ["final", "open"]
        last_year = org.get(f"/api/grading/cycles/{cycles[0]['id']}/results").json
        assert last_year["distribution"] == {"advanced": 1, "ordinary": 2, "lagging": 0, "undecided": 0}
        moved = org.get(f"/api/grading/cycles/{cycles[1]['id']}/movement").json
        assert moved["from_year"] == cycles[0]["year"]
        assert (moved["matrix"]["ordinary"]["advanced"], moved["matrix"]["advanced"]["ordinary"],
                moved["matrix"]["ordinary"]["lagging"]) == (1, 1, 1)
        year = cycles[1]["year"]
        pledges = org.get(f"/api/pledges/statistics/branches?unit_id={_id('committee')}&year={year}").json["items"]
        teachers = next(b for b in pledges if b["unit_id"] == str(_id("br-teachers")))
        assert teachers["pledges_total"] == 3 and teachers["fulfilled"] == 2
        windows = org.get("/api/directory/windows").json["items"]
        assert len(windows) == 2
        since = date.today() - timedelta(days=200)
        summary = org.get(f"/api/ratings/summary?window_id={windows[0]['id']}&granularity=month"
                          f"&from={since}&to={date.today()}&limit=100").json["items"]
        assert sum(1 for month in summary if month["shown"]) >= 5  # half a year, each month above the anonymity floor
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0, log.read_text()[-3000:]
    # Started again on the same data, it seeds nothing twice.
    process = subprocess.Popen([sys.executable, "-m", "pacesetter_suite.embedded", "--demo-activity"], env=env,
                               stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _ready(gateway, process, log), timeout=60, interval=0.3, message="the embedded suite again")
        wait_for(lambda: "demo activity already there" in log.read_text(), timeout=60, message="the check for it")
        org = Api(gateway).login("zuzhibu", DEMO_PASSWORD)
        assert org.get("/api/grading/cycles").json["total"] == 2
        assert len(org.get("/api/directory/windows").json["items"]) == 2
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
