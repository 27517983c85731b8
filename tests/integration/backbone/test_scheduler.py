"""Periodic jobs run once per slot however many replicas race for it."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from pacesetter_shared.scheduler import PeriodicJob, Scheduler


def test_two_replicas_racing_for_the_same_slot_run_the_job_once(bus):
    runs = []
    lock = threading.Lock()

    def job(now):
        with lock:
            runs.append(now)

    fixed = datetime(2026, 11, 25, 8, 0, 30, tzinfo=timezone.utc)
    replicas = [Scheduler(bus.engine, [PeriodicJob("due-soon", 60, job)], clock=lambda: fixed) for _ in range(4)]
    barrier = threading.Barrier(len(replicas))

    def race(scheduler):
        barrier.wait()
        scheduler.run_due()

    threads = [threading.Thread(target=race, args=(s,)) for s in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(runs) == 1
    # The next slot is a new run.
    later = datetime(2026, 11, 25, 8, 1, 5, tzinfo=timezone.utc)
    assert Scheduler(bus.engine, [PeriodicJob("due-soon", 60, job)], clock=lambda: later).run_due() == ["due-soon"]
    assert len(runs) == 2
