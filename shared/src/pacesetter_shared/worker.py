"""A service's worker process: event consumer, outbox relay and scheduler, each in a thread (a keeper process,
such as evaluation-figures, runs the scheduler alone).

SIGTERM (or Ctrl-C) lets the consumer finish the message in hand, then everything stops.
"""
from __future__ import annotations

import logging
import signal
import threading
import time

from typing import Callable

from .config import Settings, load_settings
from .db import make_engine, make_session_factory
from .messaging import EventConsumer, EventPublisher, Handler, ReadAhead
from .outbox import OutboxRelay
from .scheduler import JobsFactory, Scheduler
from .uow import UnitOfWorkFactory
from .web.logs import configure_logging

log = logging.getLogger(__name__)


class Worker:
    """What a service's ``build_worker`` returns: its handlers and jobs, wired to its database."""

    def __init__(self, settings: Settings, handlers: dict[str, Handler] | None = None,
                 jobs: JobsFactory | None = None, read_ahead: ReadAhead | None = None, relay: bool = True):
        self.settings = settings
        # No pre-ping (a round trip per transaction): every part of a worker already survives a dead
        # connection — the consumer holds its messages and tries again, the relay and the scheduler
        # retry on their next pass — and the first disconnect error makes SQLAlchemy drop every
        # pooled connection, so the next try starts on a fresh one.
        self.engine = engine = make_engine(settings.database_url, pool_pre_ping=False)
        uow_factory = UnitOfWorkFactory(make_session_factory(engine), settings.service)
        jobs = jobs(uow_factory) if jobs else None
        # A keeper publishes nothing, and a relay must not share its process with a keeper's long job: it goes without.
        self.publisher = EventPublisher(settings) if relay else None
        self.relay = (OutboxRelay(engine, self.publisher, batch=settings.relay_batch, interval=settings.relay_interval)
                      if relay else None)
        self.consumer = (EventConsumer(settings, settings.service, handlers, uow_factory, read_ahead=read_ahead)
                         if handlers else None)
        self.scheduler = Scheduler(engine, jobs) if jobs else None
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()

    def start(self) -> "Worker":
        parts = [("relay", self.relay.run)] if self.relay else []
        if self.consumer:
            parts.append(("consumer", self.consumer.run))
        if self.scheduler:
            parts.append(("scheduler", self.scheduler.run))
        for name, target in parts:
            thread = threading.Thread(target=target, name=f"{self.settings.service}-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("%s worker started: %s", self.settings.service, ", ".join(n for n, _ in parts))
        return self

    def stop(self, timeout: float = 15.0) -> None:
        if self.relay:
            self.relay.stop()
        if self.consumer:
            self.consumer.stop()
        if self.scheduler:
            self.scheduler.stop()
        # One deadline for all: a consumer stuck reconnecting to an absent broker must not
        # multiply the wait (its thread is a daemon and dies with the process).
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self.publisher:
            self.publisher.close()
        self.engine.dispose()
        self._stopped.set()

    def run_forever(self) -> None:
        """Entry point of the worker process."""
        def _terminate(signum, _frame):
            log.info("%s worker: signal %s, finishing the message in hand", self.settings.service, signum)
            threading.Thread(target=self.stop, daemon=True).start()

        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, _terminate)
        self.start()
        # Waking now and then: a signal the kernel hands to another thread runs its handler only when the main
        # thread runs Python again, which a wait without a timeout never does.
        while not self._stopped.wait(0.5):
            pass


def run_worker(service: str, build: Callable[[Settings], Worker]) -> None:
    """The ``<service>-worker`` command: settings, logs, then work until SIGTERM."""
    settings = load_settings(service)
    configure_logging(settings.service, settings.log_level, settings.log_json)
    build(settings).run_forever()
