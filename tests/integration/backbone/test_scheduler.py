"""Periodic jobs run once per slot however many replicas race for it."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from pacesetter_shared.db import job_runs_table
from pacesetter_shared.scheduler import KEPT_CLAIMS, PeriodicJob, Scheduler


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


def test_a_jobs_claims_older_than_a_week_are_forgotten_by_the_next_winner(bus):
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    clock = [start]
    jobs = [PeriodicJob("every-hour", 3600, lambda now: None), PeriodicJob("other", 3600, lambda now: None)]
    scheduler = Scheduler(bus.engine, jobs, clock=lambda: clock[0])
    for hour in range(9 * 24):  # nine days of hourly slots
        clock[0] = start + timedelta(hours=hour)
        assert scheduler.run_due() == ["every-hour", "other"]
    with bus.engine.connect() as conn:
        kept = conn.execute(sa.select(job_runs_table.c.job, sa.func.count(), sa.func.min(job_runs_table.c.claimed_at))
                            .group_by(job_runs_table.c.job)).all()
    oldest_allowed = clock[0] - KEPT_CLAIMS
    assert {row[0]: row[1] for row in kept} == {"every-hour": 7 * 24 + 1, "other": 7 * 24 + 1}
    assert all(row[2] >= oldest_allowed for row in kept)
