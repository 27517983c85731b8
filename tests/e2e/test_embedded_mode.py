"""``make run``'s launcher: one process, SQLite files, kombu's SQLAlchemy transport — the same flow
as the deployed shape, and the data still there after a restart."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date

import pytest

from gateway.service.demo import DEMO_PASSWORD
from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES
from tests.support.http import Api
from tests.support.suite import free_port
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


class Embedded:
    def __init__(self, var_dir, log_path, *args: str):
        self.args = args  # the launcher's options: --clock-offset 7d
        self.env = os.environ | {"PACESETTER_VAR_DIR": str(var_dir), "LOG_LEVEL": "INFO"}
        for name in DEFAULT_PORTS:
            self.env[f"{SERVICE_PREFIXES[name]}_PORT"] = str(free_port())
        for key in [k for k in self.env if k.endswith(("_URL", "DATABASE_URL")) and "PORT" not in k]:
            self.env.pop(key)  # nothing from a developer's environment may leak in
        self.gateway = f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"
        self.log_path = log_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "pacesetter_suite.embedded", *self.args], env=self.env,
                                        stdout=open(self.log_path, "ab"), stderr=subprocess.STDOUT)
        try:
            wait_for(self._ready, timeout=60, interval=0.3, message="the embedded suite to be ready")
        except BaseException:
            self.process.kill()  # never leave a half-started suite behind
            raise
        return self

    def _ready(self):
        assert self.process.poll() is None, self.log_path.read_text()
        try:
            return Api(self.gateway).get("/readyz").status == 200
        except OSError:
            return False

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(30)


def test_the_embedded_suite_runs_the_flow_and_keeps_its_data_across_a_restart(tmp_path):
    suite = Embedded(tmp_path / "var", tmp_path / "embedded.log").start()
    try:
        member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
        created = wait_for(lambda: _create(member), timeout=30, message="pledge-service to learn the directory")
        reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
        wait_for(lambda: reviewer.get("/api/notifications").json["unread"] >= 1, timeout=30,
                 message="the reviewer's notice")
        page = Api(suite.gateway).get("/")
        assert page.status == 200 and "创先争优长效机制平台" in page.body.decode()
    finally:
        exit_code = suite.stop()
    assert exit_code == 0, (tmp_path / "embedded.log").read_text()[-3000:]

    again = Embedded(tmp_path / "var", tmp_path / "embedded.log").start()
    try:
        member = Api(again.gateway).login("dangyuan", DEMO_PASSWORD)
        mine = member.get("/api/pledges").json
        assert [p["id"] for p in mine["items"]] == [created["id"]]
        reviewer = Api(again.gateway).login("zongzhi", DEMO_PASSWORD)
        assert reviewer.get("/api/notifications").json["total"] == 1  # the restart delivered nothing twice
    finally:
        assert again.stop() == 0


def _create(member: Api):
    response = member.post("/api/pledges", {"kind": "annual", "title": "带头服务师生", "areas": ["serving_masses"],
                                            "due_date": date(date.today().year + 1, 6, 30).isoformat(),
                                            "submit": True})
    return response.json if response.status == 201 else None
