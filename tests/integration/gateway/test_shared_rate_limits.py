"""Two gateway processes against one Redis (RATE_LIMIT_STORAGE=redis://…, as docker-compose sets it) count against
one limit; with memory:// (the embedded mode) each process counts its own."""
from __future__ import annotations

import subprocess
import sys
import uuid

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
