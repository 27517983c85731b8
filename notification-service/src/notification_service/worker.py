"""notification-service's worker process: the consumer that fills the inboxes (no jobs, nothing published yet)."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory
from pacesetter_shared.web.logs import configure_logging
from pacesetter_shared.worker import Worker

from .consumers import HANDLERS


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("notification")
    engine = make_engine(settings.database_url)
    uow_factory = UnitOfWorkFactory(make_session_factory(engine), settings.service)
    return Worker(settings, engine, uow_factory, handlers=HANDLERS)


def main() -> None:
    settings = load_settings("notification")
    configure_logging(settings.service, settings.log_level, settings.log_json)
    build_worker(settings).run_forever()


if __name__ == "__main__":
    main()
