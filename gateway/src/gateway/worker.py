"""The gateway's worker process: relays the directory events from its outbox, makes the yearly archives."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.worker import Worker, run_worker

from .service.archive import archive_jobs


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("gateway")
    # the units' yearly archives (年度归档), read from the services as whoever asked for each
    return Worker(settings, jobs=lambda uow_factory: archive_jobs(uow_factory, settings.service_urls,
                                                                  settings.identity_private_key))


def main() -> None:
    run_worker("gateway", build_worker)


if __name__ == "__main__":
    main()
