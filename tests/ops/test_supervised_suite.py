"""``make run-local`` as an operator meets it: ``pacesetter-local`` runs every part under supervisord, on databases, an
exchange, ports and a var dir of this module's own.

"RabbitMQ stopped" is a TCP proxy in front of the shared RabbitMQ, cut: every part of this suite loses the broker
(refused, open connections broken) exactly as if it stopped, and nobody else's does.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from pacesetter_shared.messaging.dead_letters import read_env_file
from tests.support.http import Api
from tests.support.suite import free_port
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SERVICES = ("gateway", "pledge", "evaluation", "grading", "notification")
PASSWORD = "pacesetter2026"


class Supervised:
    def __init__(self, workdir: Path, env: dict[str, str], ports: dict[str, int], proxy: TcpProxy):
        self.workdir, self.env, self.ports, self.proxy = workdir, env, ports, proxy
        self.var = Path(env["PACESETTER_VAR_DIR"])
        self.gateway = f"http://127.0.0.1:{ports['gateway']}"
        self.last_readiness = None

    def local(self, *args: str) -> subprocess.CompletedProcess:
        """``pacesetter-local …`` as the operator types it, in the checkout, with the suite's var dir."""
        return subprocess.run([sys.executable, "-m", "pacesetter_suite.local", *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=60)

    def pid(self, part: str) -> int:
        return int(self.local("ctl", "pid", part).stdout.strip() or 0)

    def ready(self) -> dict | None:
        try:
            response = Api(self.gateway).get("/readyz")
        except OSError as exc:  # not listening yet
            self.last_readiness = str(exc)
            return None
        self.last_readiness = response.json
        return response.json if response.status == 200 else None


@pytest.fixture(scope="module")
def supervised(pg_server, amqp_url, tmp_path_factory):
    from pacesetter_shared.config import load_settings
    from pacesetter_shared.messaging.publisher import broker_connection, topology_for
    from tests.conftest import drop_database

    prefix = f"ops{uuid.uuid4().hex[:8]}"
    workdir = tmp_path_factory.mktemp(prefix)  # stands for the checkout: var/local is where make run-local writes
    broker = urlsplit(amqp_url)
    proxy = TcpProxy(broker.hostname, broker.port or 5672)
    proxied = urlunsplit(broker._replace(netloc=f"{broker.netloc.rsplit('@', 1)[0]}@127.0.0.1:{proxy.port}"))
    ports = {service: free_port() for service in SERVICES}
    # what an operator may set; nothing else of the suite's (its databases, the exchange's queues) is given
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACESETTER", "BROKER", "EVENTS"))}
    env |= {"PACESETTER_PG": pg_server, "BROKER_URL": proxied, "EVENTS_EXCHANGE": prefix,
            "PACESETTER_VAR_DIR": str(workdir / "var" / "local"), "RATE_LIMIT_ANONYMOUS": "1000/minute",
            "WEB_CONCURRENCY": "1",  # one process behind each HTTP server: this machine is shared
            **{f"{service.upper()}_PORT": str(port) for service, port in ports.items()}}
    log = open(workdir / "launcher.log", "wb")
    launcher = subprocess.Popen([sys.executable, "-m", "pacesetter_suite.local"], cwd=workdir, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    running = Supervised(workdir, env, ports, proxy)
    try:
        try:
            wait_for(running.ready, timeout=90, interval=0.3, message="every part ready behind the gateway")
        except AssertionError as late:
            raise AssertionError(f"{late}: {running.last_readiness}; {running.local('ctl', 'status').stdout}") from None
        yield running
    finally:
        proxy.restore()
        running.local("ctl", "stop", "all")  # at once; supervisord's own shutdown stops one part after the other
        launcher.send_signal(signal.SIGTERM)  # supervisord (the launcher became it)
        try:
            launcher.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
        log.close()
        proxy.close()
        for service in SERVICES:
            drop_database(pg_server, f"{prefix}_{service}")
        settings = load_settings("gateway", {"BROKER_URL": amqp_url, "EVENTS_EXCHANGE": prefix,
                                             "PACESETTER_VAR_DIR": str(workdir / "var" / "local")})
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)


def test_the_launcher_prints_the_demo_accounts_and_writes_every_setting_to_one_env_file(supervised):
    printed = (supervised.workdir / "launcher.log").read_text()
    assert f"Demo accounts (password: {PASSWORD})" in printed and "zuzhibu" in printed and "dangyuan" in printed
    env_file = supervised.var / "local.env"
    assert f"Every part's settings: {env_file}" in printed
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    written = read_env_file(env_file)
    assert written["BROKER_URL"] == supervised.env["BROKER_URL"]
    assert written["EVENTS_EXCHANGE"] == supervised.env["EVENTS_EXCHANGE"]
    for service in SERVICES:
        assert written[f"{service.upper()}_DATABASE_URL"].endswith(f"/{supervised.env['EVENTS_EXCHANGE']}_{service}")


def test_pacesetter_dlq_in_the_checkout_takes_the_suite_s_settings_from_its_env_file(supervised):
    bare = {k: v for k, v in supervised.env.items() if not k.startswith(("PACESETTER", "BROKER", "EVENTS"))}
    listed = subprocess.run([Path(sys.executable).parent / "pacesetter-dlq", "list", "evaluation"],
                            cwd=supervised.workdir, env=bare, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == f"0 dead letters in {supervised.env['EVENTS_EXCHANGE']}.evaluation.dead\n"


def test_a_killed_web_part_comes_back_by_itself_while_the_others_answer(supervised):
    member = Api(supervised.gateway).login("dangyuan", PASSWORD)
    killed = supervised.pid("evaluation-web")
    os.kill(killed, signal.SIGKILL)  # granian's master, lost as a crash loses it; its workers are left behind
    assert member.get("/api/pledges").status == 200
    assert member.get("/api/notifications").status == 200

    def back():
        pid = supervised.pid("evaluation-web")
        return pid not in (0, killed) and member.get("/api/evaluations/scale").status == 200 and pid
    master = wait_for(back, timeout=30, interval=0.3, message="evaluation-web started again by supervisord")
    port = f"--port {supervised.ports['evaluation']} "

    def left_behind() -> list[int]:
        """Processes serving evaluation-service's port that are neither the new master nor its workers."""
        return [pid for pid, parent in _processes_with(port).items() if master not in (pid, parent)]
    # the lost master's workers leave too (within their grace of 10 s), instead of serving on beside the new ones
    wait_for(lambda: not left_behind(), timeout=20, interval=0.5, message="the killed master's workers to leave")


def _processes_with(argument: str) -> dict[int, int]:
    """pid → parent pid of every process whose command line holds ``argument``."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and argument in proc.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode():
                found[int(proc.name)] = int(proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            pass  # gone meanwhile
    return found


def test_a_part_the_operator_stops_leaves_the_rest_serving_until_it_is_started_again(supervised):
    member = Api(supervised.gateway, language="en").login("dangyuan", PASSWORD)
    stopped = supervised.local("ctl", "stop", "evaluation-web")
    assert stopped.returncode == 0 and "evaluation-web: stopped" in stopped.stdout, stopped
    try:
        away = member.get("/api/evaluations/scale")
        assert away.status == 503 and away.json["error"]["code"] == "service_unavailable"
        assert "other parts keep working" in away.json["error"]["message"]
        assert member.get("/api/pledges").status == 200
        assert member.get("/api/notifications").status == 200
        started = time.monotonic()
        readiness = Api(supervised.gateway).get("/readyz")
        assert time.monotonic() - started < 1
        assert readiness.status == 503 and readiness.json["error"]["details"]["pledge"] == "ok"
        assert readiness.json["error"]["details"]["evaluation"].startswith("unavailable:")
    finally:
        assert supervised.local("ctl", "start", "evaluation-web").returncode == 0
    wait_for(lambda: member.get("/api/evaluations/scale").status == 200, timeout=30, interval=0.3,
             message="evaluation-web serving again")


def test_the_operator_scales_one_worker_and_both_replicas_consume(supervised):
    from pacesetter_shared.config import load_settings
    from pacesetter_shared.messaging.publisher import broker_connection, topology_for

    scaled = supervised.local("scale", "notification-worker", "2")
    assert scaled.returncode == 0, scaled
    settings = load_settings("notification", read_env_file(supervised.var / "local.env"))
    queue = topology_for(settings).queue_name("notification")

    def consumers() -> int:
        with broker_connection(settings) as conn:
            return conn.channel().queue_declare(queue, passive=True).consumer_count
    wait_for(lambda: consumers() == 2, timeout=40, interval=0.5, message=f"two consumers on {queue}")
    def both_running() -> str | None:
        out = supervised.local("ctl", "status", "notification-worker:*").stdout
        return out if out.count("RUNNING") == 2 else None

    # supervisord says RUNNING once a part has stayed up startsecs (2 s), which may be after it consumes
    status = wait_for(both_running, timeout=20, interval=0.5, message="both replicas RUNNING")
    assert "notification-worker-2" in status, status
    refused = supervised.local("scale", "pledge-web", "2")
    assert refused.returncode == 2 and "pledge-web is not a worker" in refused.stderr
    # the figures keeper holds each year's guard in its memory: one process, running, never scaled
    assert "RUNNING" in supervised.local("ctl", "status", "evaluation-figures").stdout
    refused = supervised.local("scale", "evaluation-figures", "2")
    assert refused.returncode == 2 and "evaluation-figures is not a worker" in refused.stderr


def test_the_gateway_writes_a_request_log_under_granian(supervised):
    request_id = f"ops-{uuid.uuid4().hex}"
    assert Api(supervised.gateway).get("/healthz", headers={"X-Request-ID": request_id}).status == 200
    log = supervised.var / "logs" / "gateway-web.log"

    def logged():
        lines = [json.loads(line) for line in log.read_text().splitlines() if request_id in line]
        return lines and lines[0]
    line = wait_for(logged, timeout=10, message="the request's line in gateway-web.log")
    assert (line["name"], line["method"], line["path"], line["status"]) == ("gateway.requests", "GET", "/healthz", "200")
    assert line["request_id"] == request_id and line["duration_ms"] >= 0


def test_while_the_broker_is_away_every_part_stays_ready_and_says_so_as_a_metric(supervised):
    supervised.proxy.cut()
    try:
        for _ in range(5):
            started = time.monotonic()
            readiness = Api(supervised.gateway).get("/readyz")
            took = time.monotonic() - started
            assert readiness.status == 200 and took < 1, (readiness.status, took, readiness.json)
            assert set(readiness.json["checks"].values()) == {"ok"}
        for service in SERVICES:
            metrics = f"http://127.0.0.1:{supervised.ports[service]}"
            wait_for(lambda: "pacesetter_broker_up 0.0" in Api(metrics).get("/metrics").body.decode(), timeout=15,
                     interval=0.5, message=f"{service}: pacesetter_broker_up 0")
            assert Api(metrics).get("/healthz").status == 200
    finally:
        supervised.proxy.restore()
