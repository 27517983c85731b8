"""The gateway's worker process: relays the directory events from its outbox."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.worker import Worker, run_worker


def build_worker(settings: Settings | None = None) -> Worker:
    return Worker(settings or load_settings("gateway"))


def main() -> None:
    run_worker("gateway", build_worker)


if __name__ == "__main__":
    main()
