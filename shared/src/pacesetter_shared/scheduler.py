"""Periodic jobs that run once per time slot however many replicas are running.

Each replica wakes up, and for every due job tries to insert ``(job, slot)`` into ``job_runs``;
the primary key lets exactly one insert win, and only the winner runs the job. Jobs are
written to catch up (they act on everything due, not on what changed since the last run), so
a slot lost to a crash is made good by the next one; row-level effects stay idempotent. The winner
also forgets its job's claims older than a week (or two slots), so ``job_runs`` does not grow forever.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .db import job_runs_table

if TYPE_CHECKING:
    from .uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

KEPT_CLAIMS = timedelta(days=7)  # enough to see when a job last ran, and long past any racing replica


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    run: Callable[[datetime], object]  # receives "now" (UTC)


# What a service hands its worker (and the ops API): its jobs, given a way into its database.
JobsFactory = Callable[["UnitOfWorkFactory"], list[PeriodicJob]]


class UnknownJob(LookupError):
    """No job of that name runs here."""


@dataclass(frozen=True)
class JobRun:
    """The outcome of a job run by hand: ok, or failed with the error's message; ``message`` also
    carries what the job returned (most return how many things they did)."""
    job: str
    started_at: datetime
    ok: bool
    message: str


class Scheduler:
    def __init__(self, engine: sa.Engine, jobs: list[PeriodicJob], tick: float = 1.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.engine = engine
        self.jobs = jobs
        self.tick = tick
        self.clock = clock
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True

    def claim(self, job: PeriodicJob, now: datetime) -> bool:
        slot = str(int(now.timestamp()) // job.every_seconds)
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(job_runs_table).values(job=job.name, slot=slot, claimed_by=self.me,
                                                              claimed_at=now))
                kept = max(KEPT_CLAIMS, timedelta(seconds=2 * job.every_seconds))
                conn.execute(sa.delete(job_runs_table).where(job_runs_table.c.job == job.name,
                                                             job_runs_table.c.claimed_at < now - kept))
            return True
        except IntegrityError:
            return False

    def run_due(self) -> list[str]:
        """Run every job whose current slot nobody has claimed yet; return the names run here."""
        ran = []
        for job in self.jobs:
            now = self.clock()
            if not self.claim(job, now):
                continue
            try:
                job.run(now)
                ran.append(job.name)
            except Exception:
                log.exception("scheduled job %s failed", job.name)
        return ran

    def run_now(self, name: str, by: str) -> JobRun:
        """Run one job at once, whatever its slot (ops' "run now"), and keep the run in ``job_runs``.

        Safe beside the scheduled runs: jobs catch up and their row-level effects are idempotent."""
        job = next((j for j in self.jobs if j.name == name), None)
        if job is None:
            raise UnknownJob(name)
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(sa.insert(job_runs_table).values(
                job=job.name, slot=f"manual:{now:%Y%m%dT%H%M%S.%f}", claimed_by=f"{by} ({self.me})"[:200],
                claimed_at=now))
        try:
            result = job.run(now)
        except Exception as exc:
            log.exception("job %s run by %s failed", job.name, by)
            return JobRun(job.name, now, ok=False, message=str(exc) or exc.__class__.__name__)
        return JobRun(job.name, now, ok=True, message="" if result is None else str(result))

    def last_runs(self) -> dict[str, datetime]:
        """When each job last started here or in any replica (scheduled or by hand), from ``job_runs``."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(job_runs_table.c.job, sa.func.max(job_runs_table.c.claimed_at))
                                .group_by(job_runs_table.c.job)).all()
        return {job: at for job, at in rows}

    def run(self) -> None:
        while not self._stopping:
            try:
                self.run_due()
            except Exception as exc:  # database away: try again next tick
                log.warning("scheduler: %s", exc)
            deadline = time.monotonic() + self.tick
            while not self._stopping and time.monotonic() < deadline:
                time.sleep(0.05)
