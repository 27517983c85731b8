"""grading-service's worker process: inputs from events, the directory projection, the outbox relay and
the overdue job of rectification tasks."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.scheduler import JobsFactory, PeriodicJob
from pacesetter_shared.uow import UnitOfWorkFactory
from pacesetter_shared.worker import Worker, run_worker

from .consumers import HANDLERS
from .service import rectification

OVERDUE_EVERY_SECONDS = 600  # deadlines are dates; ten minutes late is soon enough


def jobs(uow_factory: UnitOfWorkFactory) -> list[PeriodicJob]:
    def mark_overdue(now):
        with uow_factory() as uow:
            return rectification.mark_overdue_tasks(uow, now)

    return [PeriodicJob("grading.rectification_overdue", OVERDUE_EVERY_SECONDS, mark_overdue)]


def scheduled_jobs(_settings: Settings) -> JobsFactory:
    """The jobs, for the worker and for ops' "run now" (the web process)."""
    return jobs


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("grading")
    return Worker(settings, handlers=HANDLERS, jobs=scheduled_jobs(settings))


def main() -> None:
    run_worker("grading", build_worker)


if __name__ == "__main__":
    main()
