"""The whole suite as separate OS processes (an HTTP server per service, a worker per service)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from pacesetter_suite.local import local_environment, prepare, process_specs
from pacesetter_suite.services import SERVICES

from .waiting import wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSuite:
    def __init__(self, pg_server: str, amqp_url: str, prefix: str, workdir: Path, worker_replicas: int = 1,
                 extra_env: dict | None = None, gunicorn_workers: int = 1):
        self.ports = {entry.name: free_port() for entry in SERVICES}
        self.prefix = prefix
        self.workdir = workdir
        self.env = os.environ | local_environment(pg_server, amqp_url, prefix=prefix,
                                                  var_dir=str(workdir / "var"), ports=self.ports)
        # Tests log in often from one address; rate limits have their own tests.
        # A rating must show on the dashboards at once here; the background refresh has its own tests.
        self.env |= {"LOG_JSON": "true", "RELAY_INTERVAL": "0.05", "DISCLOSURE_REFRESH_SECONDS": "0",
                     "RATE_LIMIT_ANONYMOUS": "1000/minute",
                     "RATE_LIMIT_PERSON": "5000/minute", "RATE_LIMIT_KIOSK": "5000/minute",
                     # Each test grades a year of its own in one database (one cycle per year), beyond last, this
                     # and next year; that rule has its own tests (tests/integration/grading/test_cycle_years.py).
                     "GRADING_CYCLE_YEAR_SPAN": "100",
                     # this host is the campus network: a publicity list 组织部 opened is read here without login
                     # (tests/e2e/test_publicity_e2e.py puts the campus elsewhere, behind a trusted proxy)
                     "GRADING_PUBLICITY_OPEN_NETWORKS": "127.0.0.0/8,::1/128", **(extra_env or {})}
        specs = process_specs(self.env["PACESETTER_VAR_DIR"], self.ports, gunicorn_workers=gunicorn_workers,
                              threads=4, worker_replicas=worker_replicas)
        self.specs = {s.name: s for s in specs}
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def start(self) -> "LocalSuite":
        prepare(self.env)
        for name in self.specs:
            self.start_process(name)
        wait_for(self.ready, timeout=60, interval=0.3, message="every service to be ready behind the gateway")
        return self

    def start_process(self, name: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(self.specs[name].argv, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def stop_process(self, name: str, sig=signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.gateway}/readyz", timeout=3) as response:
                return json.load(response)["status"] == "ready"
        except Exception:
            return False

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_process(name)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def dead_processes(self) -> list[str]:
        return [n for n, p in self.processes.items() if p.poll() is not None]


@contextmanager
def running_suite(pg_server: str, amqp_url: str, label: str, tmp_path_factory, **options):
    """A started LocalSuite on databases, queues and an exchange of its own, all removed afterwards."""
    from pacesetter_shared.config import load_settings
    from pacesetter_shared.messaging.publisher import broker_connection, topology_for
    from tests.conftest import drop_database

    prefix = f"{label}{uuid.uuid4().hex[:8]}"
    running = LocalSuite(pg_server, amqp_url, prefix, tmp_path_factory.mktemp(prefix), **options)
    try:
        yield running.start()
    finally:
        running.stop()
        for service in running.ports:
            drop_database(pg_server, f"{prefix}_{service}")
        settings = load_settings("gateway", running.env)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)
