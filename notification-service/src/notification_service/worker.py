"""notification-service's worker process: the consumer that fills the inboxes, the jobs that send the rest."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.scheduler import JobsFactory
from pacesetter_shared.worker import Worker, run_worker

from .config import NotificationConfig, load_config
from .consumers import READ_AHEAD, build_handlers
from .service.jobs import delivery_jobs


def scheduled_jobs(settings: Settings, config: NotificationConfig | None = None) -> JobsFactory:
    """The delivery jobs, for the worker and for ops' "run now" (the web process)."""
    config = config or load_config(settings)
    return lambda uow_factory: delivery_jobs(uow_factory, config)


def build_worker(settings: Settings | None = None, config: NotificationConfig | None = None) -> Worker:
    settings = settings or load_settings("notification")
    config = config or load_config(settings)
    return Worker(settings, handlers=build_handlers(config), read_ahead=READ_AHEAD,
                  jobs=scheduled_jobs(settings, config))


def main() -> None:
    run_worker("notification", build_worker)


if __name__ == "__main__":
    main()
