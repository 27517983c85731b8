"""``pacesetter-jobs``: list the scheduled jobs and run one now, from a shell (ops, training, repairs).

    pacesetter-jobs list
    pacesetter-jobs run pledge.mark_overdue
    pacesetter-jobs --clock-offset 7d run pledge.mark_overdue     (the embedded data only)

It lives here, beside ``pacesetter-dlq``, because every service image installs this package and its own
service only: inside a container (``docker compose exec pledge-worker pacesetter-jobs list``) it finds
that service's jobs, in a development checkout every service's. Services make their jobs known by the
``pacesetter.jobs`` entry point (their worker's ``scheduled_jobs``), so this package imports none of them
by name. Settings come from the environment exactly as the worker reads them: in a deployment, the
service's own database; with nothing set, the embedded mode's files under ./var. The job runs in this
process and writes its events to the service's outbox, which the service's worker relays.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from . import clock
from .config import ConfigurationError, load_settings
from .db import make_engine, make_session_factory
from .scheduler import Scheduler
from .uow import UnitOfWorkFactory

ENTRY_POINTS = "pacesetter.jobs"
CHINA = ZoneInfo("Asia/Shanghai")
USAGE_ERROR = 2


@dataclass
class ServiceJobs:
    service: str
    scheduler: Scheduler


def installed_jobs() -> list[ServiceJobs]:
    """Every installed service's jobs, wired to its database from the environment."""
    found, shifted = [], False
    for entry in sorted(entry_points(group=ENTRY_POINTS), key=lambda e: e.name):
        settings = load_settings(entry.name)
        if settings.clock_offset is not None and not shifted:
            clock.shift(settings.clock_offset)  # before any job runs: they read the shifted time like the suite
            shifted = True
        engine = make_engine(settings.database_url)
        jobs = entry.load()(settings)(UnitOfWorkFactory(make_session_factory(engine), settings.service))
        found.append(ServiceJobs(entry.name, Scheduler(engine, jobs)))
    return found


def _every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def list_jobs(services: list[ServiceJobs]) -> int:
    rows = [("JOB", "EVERY", "LAST RUN (Asia/Shanghai)")]
    for service in services:
        try:
            last = service.scheduler.last_runs()
        except SQLAlchemyError as exc:  # a database not migrated yet, or away: the names still help
            print(f"{service.service}: last runs unknown ({exc.__class__.__name__})", file=sys.stderr)
            last = {}
        for job in service.scheduler.jobs:
            at = last.get(job.name)
            rows.append((job.name, _every(job.every_seconds),
                         at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if at else "never"))
    width = max(len(r[0]) for r in rows)
    for name, every, at in rows:
        print(f"{name:<{width}}  {every:>5}  {at}")
    return 0


def run_job(services: list[ServiceJobs], name: str) -> int:
    owner = next((s for s in services if any(j.name == name for j in s.scheduler.jobs)), None)
    if owner is None:
        known = ", ".join(j.name for s in services for j in s.scheduler.jobs)
        print(f"pacesetter-jobs: no scheduled job is called {name!r}. The jobs: {known}", file=sys.stderr)
        return USAGE_ERROR
    try:
        run = owner.scheduler.run_now(name, by=f"pacesetter-jobs ({os.environ.get('USER') or 'shell'})")
    except SQLAlchemyError as exc:  # its database not migrated, or away
        print(f"{name}: not run: {owner.service}'s database: {exc.__class__.__name__}: {exc.args[0] if exc.args else ''}",
              file=sys.stderr)
        return 1
    if not run.ok:
        print(f"{name}: failed: {run.message}", file=sys.stderr)
        return 1
    print(f"{name}: ok" + (f" ({run.message})" if run.message else ""))
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pacesetter-jobs", description="List the scheduled jobs; run one now.")
    parser.add_argument("--clock-offset", metavar="SPAN",
                        help="the embedded data only: run on a shifted clock, e.g. 7d, 12h, -3d (CLOCK_OFFSET)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every job, how often it runs and when it last ran")
    run = commands.add_parser("run", help="run one job now")
    run.add_argument("name", help="e.g. pledge.mark_overdue (see list)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.clock_offset:
        os.environ["CLOCK_OFFSET"] = args.clock_offset
    try:
        services = installed_jobs()
    except ConfigurationError as exc:
        print(f"pacesetter-jobs: {exc}", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    if not services:
        print("pacesetter-jobs: no service with scheduled jobs is installed here", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    try:
        code = list_jobs(services) if args.command == "list" else run_job(services, args.name)
    finally:
        for service in services:
            service.scheduler.engine.dispose()
    sys.exit(code)


if __name__ == "__main__":
    main()
