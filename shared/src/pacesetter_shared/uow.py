"""Unit of work: one transaction, and the events recorded inside it."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import Executable

from .events import Envelope
from .outbox import INSERT_OUTBOX, outbox_row


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
        self._later: dict[str, tuple[Executable, list[dict]]] = {}
        self._before_commit: dict[str, Callable[[], None]] = {}
        # What handlers read and may read again within this transaction (a consumer's batch of events):
        # whoever fills an entry also drops it when something in the transaction changes what it holds.
        self.memo: dict = {}

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        self.session.begin()
        self.recorded = []
        self._later = {}
        self._before_commit = {}
        self.memo = {}
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                for work in self._before_commit.values():
                    work()
                for statement, rows in self._later.values():
                    self.session.execute(statement, rows)
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def insert_later(self, key: str, statement: Executable, rows: list[dict]) -> None:
        """Rows for an INSERT that nothing in this unit of work reads back, sent just before the commit
        together with every other batch of rows under the same ``key`` (the same statement): a consumer's
        batch of events then costs one INSERT per table, not one per event."""
        if rows:
            self._later.setdefault(key, (statement, []))[1].extend(rows)

    def send_waiting(self, key: str) -> None:
        """The rows waiting under ``key`` sent now, because something in this unit of work is about to read
        them back."""
        statement, rows = self._later.pop(key, (None, []))
        if rows:
            self.session.execute(statement, rows)

    def before_commit(self, key: str, work: Callable[[], None]) -> None:
        """``work`` done once, just before the commit (and the rows of ``insert_later``), however many times it
        is asked for under ``key``: what a batch of events' handlers collected in ``memo`` is written at once."""
        self._before_commit.setdefault(key, work)

    def record(self, event_type: str, subject, data: dict, version: int | None = None) -> Envelope:
        """The event, validated now and written to the outbox with the commit: all of this transaction's
        events in one INSERT (a kiosk's batch with five bad ratings sent five, one round trip each)."""
        envelope, row = outbox_row(self.producer, event_type, subject, data, version)
        self.insert_later("outbox", INSERT_OUTBOX, [row])
        self.recorded.append(envelope)
        return envelope


class UnitOfWorkFactory:
    def __init__(self, session_factory: sessionmaker, producer: str):
        self.session_factory = session_factory
        self.producer = producer

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.producer)
