"""Two gateway processes against one Redis (RATE_LIMIT_STORAGE=redis://…, as docker-compose sets it) count against
one limit; with memory:// (the embedded mode) each process counts its own. Shown twice: with the gateway's rate
limiter alone in two processes, and with two whole gateway servers taking turns at one client's calls."""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from tests.support.waiting import wait_for

# One gateway process's share of the calls: its own RateLimits, as the gateway's app factory makes it, hit three
# times by the same person; prints how many it let through.
PROCESS = """
import sys
from gateway.adapters.ratelimit import RateLimits
limits = RateLimits(sys.argv[1], person="5/minute", kiosk="5/minute", anonymous="5/minute")
print(sum(limits.retry_after("person", sys.argv[2]) is None for _ in range(3)))
"""


def _let_through(storage: str, person: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROCESS, storage, person], capture_output=True, text=True,
                          timeout=60, check=True)
    return int(done.stdout.strip())


def test_two_gateway_processes_share_one_limit_in_redis_and_not_in_memory(redis_url):
    person = f"person-{uuid.uuid4()}"
    assert [_let_through(redis_url, person) for _ in range(2)] == [3, 2]  # 5 a minute, between the two of them
    assert [_let_through("memory://", person) for _ in range(2)] == [3, 3]  # each process its own 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _statuses_through_two_gateways(storage: str, database_url: str, var_dir, rate: str) -> list[int]:
    """Eight anonymous calls from one address, taking turns between two gateway servers (granian, as the image
    runs it) behind it; the service behind them is down, so a call let through gets its 503."""
    down = f"http://127.0.0.1:{_free_port()}"
    env = os.environ | {"GATEWAY_DATABASE_URL": database_url, "PACESETTER_VAR_DIR": str(var_dir),
                        "BROKER_URL": "amqp://guest:guest@127.0.0.1:1//", "RATE_LIMIT_STORAGE": storage,
                        "RATE_LIMIT_ANONYMOUS": rate, "LOG_LEVEL": "WARNING",
                        **{f"{name}_URL": down for name in ("PLEDGE", "EVALUATION", "GRADING", "NOTIFICATION")}}
    subprocess.run([str(Path(sys.executable).parent / "gateway-migrate")], env=env, check=True, timeout=120,
                   capture_output=True)
    ports = [_free_port(), _free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--factory",
                                 "gateway.app:create_app", "--host", "127.0.0.1", "--port", str(port), "--workers",
                                 "1", "--no-ws", "--log-level", "warning"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
    try:
        for port in ports:
            wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=60, interval=0.2,
                     message=f"the gateway on {port} to start")
        return [_status(f"http://127.0.0.1:{ports[n % 2]}/api/pledges") for n in range(8)]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)


def _answers(url: str) -> bool:
    try:
        return _status(url) == 200
    except OSError:
        return False


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


def test_two_gateway_servers_count_an_address_against_one_limit_in_redis(redis_url, fresh_database, tmp_path):
    # a window of its own (5 per 300–900 s): no other test's counts for 127.0.0.1 share its key in Redis
    rate = f"5/{random.randint(300, 900)}seconds"
    shared = _statuses_through_two_gateways(redis_url, fresh_database("gw2"), tmp_path / "redis", rate)
    assert shared == [503] * 5 + [429] * 3, shared
    apart = _statuses_through_two_gateways("memory://", fresh_database("gw2"), tmp_path / "memory", rate)
    assert apart == [503] * 8, apart  # four calls each, under each server's own five
