"""evaluation-service's worker process: directory projection and outbox relay."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.worker import Worker, run_worker

from .consumers import HANDLERS


def build_worker(settings: Settings | None = None) -> Worker:
    return Worker(settings or load_settings("evaluation"), handlers=HANDLERS)


def main() -> None:
    run_worker("evaluation", build_worker)


if __name__ == "__main__":
    main()
