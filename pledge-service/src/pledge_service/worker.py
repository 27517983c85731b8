"""pledge-service's worker process: directory projection, outbox relay (reminder jobs come with the full pledge service)."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.worker import Worker, run_worker

from .consumers import HANDLERS


def build_worker(settings: Settings | None = None) -> Worker:
    return Worker(settings or load_settings("pledge"), handlers=HANDLERS)


def main() -> None:
    run_worker("pledge", build_worker)


if __name__ == "__main__":
    main()
