"""Faults: a worker killed with SIGKILL in the middle of its work — the consumer (notification-worker)
and the outbox relays (pledge-worker, evaluation-worker: killed between publishing and marking as often as not).
Restarted, neither loses an event nor doubles an effect."""
from __future__ import annotations

import signal

import pytest

from tests.support.waiting import wait_for

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("worker", ["notification-worker", "pledge-worker", "evaluation-worker"])
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(suite, worker):
    load = PledgeLoad(suite)
    process = suite.processes[worker]

    def kill():
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        # Work piles up while it is dead: the relay's outbox or the consumer's queue.
        at_kill = len(load.accepted)
        wait_for(lambda: len(load.accepted) >= at_kill + 15, timeout=30, message="load while the worker is dead")

    load.run_with(kill, lambda: suite.start_process(worker))
    load.assert_nothing_lost_or_doubled(f"{worker} killed")
