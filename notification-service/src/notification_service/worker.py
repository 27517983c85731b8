"""notification-service's worker process: the consumer that fills the inboxes."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.worker import Worker, run_worker

from .consumers import HANDLERS


def build_worker(settings: Settings | None = None) -> Worker:
    return Worker(settings or load_settings("notification"), handlers=HANDLERS)


def main() -> None:
    run_worker("notification", build_worker)


if __name__ == "__main__":
    main()
