"""The transactional outbox: events are written with the change that caused them, then relayed.

``UnitOfWork.record`` writes the event's row (``outbox_row``) in the caller's transaction, so an
event exists if and only if its change was committed. ``OutboxRelay`` publishes pending rows with
publisher confirms and marks them sent; replicas lock rows with SKIP LOCKED so that each row goes
out once in the normal case, and a crash between publish and mark is absorbed by idempotent consumers.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

import sqlalchemy as sa

from . import context, tracing
from .db import is_postgres, outbox_table
from .events import Envelope, latest_version, new_envelope, prepare_data

log = logging.getLogger(__name__)


# One statement for any number of rows: a unit of work sends all its events in one executemany.
INSERT_OUTBOX = sa.insert(outbox_table)


def outbox_row(producer: str, event_type: str, subject, data: dict, version: int | None = None
               ) -> tuple[Envelope, dict]:
    """Validate ``data`` against its registered schema: the event, and its outbox row to insert."""
    version = version or latest_version(event_type)
    payload = prepare_data(event_type, version, data)
    trace = tracing.current_context()  # the span recording it (the request's, a consumer's): {} when off
    envelope = new_envelope(event_type, version, producer, str(subject), payload,
                            correlation_id=context.correlation_id.get(), traceparent=trace.get("traceparent"),
                            tracestate=trace.get("tracestate"))
    return envelope, {"event_id": envelope.id, "event_type": event_type, "envelope": envelope.to_dict(),
                      "created_at": envelope.occurred_at}


def pending_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(outbox_table).where(outbox_table.c.published_at.is_(None))
        ).scalar_one()


class OutboxRelay:
    """Publishes pending outbox rows in order of recording; marks each batch sent in one commit."""

    def __init__(self, engine: sa.Engine, publisher, batch: int = 200, interval: float = 0.1,
                 max_backoff: float = 5.0):
        self.engine = engine
        self.publisher = publisher
        self.batch = batch
        self.interval = interval
        self.max_backoff = max_backoff
        self._stopping = False

    def stop(self) -> None:
        self._stopping = True

    def publish_pending(self) -> int:
        """Publish one batch; return how many rows were sent."""
        query = (
            sa.select(outbox_table.c.id, outbox_table.c.envelope)
            .where(outbox_table.c.published_at.is_(None))
            .order_by(outbox_table.c.id)
            .limit(self.batch)
        )
        failure: Exception | None = None
        with self.engine.begin() as conn:
            if is_postgres(conn):
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if not rows:
                return 0
            # The whole batch out, then one wait for the broker's confirms of all of it.
            try:
                confirmed = self.publisher.publish_many([row.envelope for row in rows])
                if confirmed < len(rows):
                    failure = RuntimeError(f"the broker confirmed {confirmed} of {len(rows)} events")
            except Exception as exc:
                # nothing counts as confirmed: what did reach the broker goes again, and consumers drop the twins
                confirmed, failure = 0, exc
            if failure is not None:
                # Keep what the broker confirmed; the rest waits for the next pass.
                conn.execute(sa.update(outbox_table).where(outbox_table.c.id == rows[confirmed].id)
                             .values(attempts=outbox_table.c.attempts + 1, last_error=str(failure)[:500]))
            self._mark_sent(conn, [row.id for row in rows[:confirmed]])
        if failure is not None:
            raise failure
        return confirmed

    @staticmethod
    def _mark_sent(conn, ids: list[int]) -> None:
        if ids:
            conn.execute(sa.update(outbox_table).where(outbox_table.c.id.in_(ids))
                         .values(published_at=datetime.now(timezone.utc)))

    def run(self) -> None:
        backoff = self.interval
        while not self._stopping:
            try:
                sent = self.publish_pending()
                backoff = self.interval
            except Exception as exc:  # broker or database away: wait, then try again
                log.warning("outbox relay: %s; retrying in %.1fs", exc, backoff)
                self.publisher.reset()
                self._sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            if sent < self.batch:
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < deadline:
            time.sleep(min(0.05, seconds))
