"""The gateway's worker process: relays the directory events from its outbox."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory
from pacesetter_shared.web.logs import configure_logging
from pacesetter_shared.worker import Worker


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("gateway")
    engine = make_engine(settings.database_url)
    return Worker(settings, engine, UnitOfWorkFactory(make_session_factory(engine), settings.service))


def main() -> None:
    settings = load_settings("gateway")
    configure_logging(settings.service, settings.log_level, settings.log_json)
    build_worker(settings).run_forever()


if __name__ == "__main__":
    main()
