"""pledge-service's worker process: events it consumes, the outbox relay and the reminder jobs."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.scheduler import JobsFactory
from pacesetter_shared.worker import Worker, run_worker

from .consumers import HANDLERS
from .service.jobs import DUE_SOON_DAYS, build_jobs


def scheduled_jobs(settings: Settings) -> JobsFactory:
    """The reminder jobs, for the worker and for ops' "run now" (the web process)."""
    due_soon_days = settings.env.read("int", "DUE_SOON_DAYS", DUE_SOON_DAYS)
    return lambda uow_factory: build_jobs(uow_factory, due_soon_days)


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("pledge")
    return Worker(settings, handlers=HANDLERS, jobs=scheduled_jobs(settings))


def main() -> None:
    run_worker("pledge", build_worker)


if __name__ == "__main__":
    main()
