"""Unit of work: one transaction, and the events recorded inside it."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from .events import Envelope
from .outbox import record_event


class UnitOfWork:
    """``with uow:`` commits on a clean exit and rolls back on an exception.

    Use cases take a unit of work, do their change through ``uow.session`` and announce it
    with ``uow.record``; the event and the change commit together or not at all.
    """

    def __init__(self, session_factory: sessionmaker, producer: str):
        self._session_factory = session_factory
        self.producer = producer
        self.session: Session | None = None
        self.recorded: list[Envelope] = []

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        self.session.begin()
        self.recorded = []
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def record(self, event_type: str, subject, data: dict, version: int | None = None) -> Envelope:
        envelope = record_event(self.session, self.producer, event_type, subject, data, version)
        self.recorded.append(envelope)
        return envelope


class UnitOfWorkFactory:
    def __init__(self, session_factory: sessionmaker, producer: str):
        self.session_factory = session_factory
        self.producer = producer

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.producer)
