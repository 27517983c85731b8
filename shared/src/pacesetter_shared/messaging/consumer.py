"""The idempotent consumer runner.

Each message is decoded and validated as it arrives (anything malformed goes straight to the
dead-letter queue with the reason). Valid events are handled in batches: up to
``CONSUMER_BATCH`` of the prefetched messages, taken as they come and waiting at most
``CONSUMER_LINGER_SECONDS`` for a batch to fill, run in one transaction that also stores every
event id in ``processed_events`` — a redelivered event finds its id there and has no effect —
and are acked only after that transaction commits. One commit per batch instead of one per
event is what lets a consumer keep up with hundreds of events a second.

When a batch fails, its events are taken again one by one, each in its own transaction, so
that one bad event cannot hold back or double the others: a handler that raises is retried
with growing delays, then dead-lettered with the reason. When the database itself is away
the batch is held and retried until it comes back: an outage is not the messages' fault.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from kombu.mixins import ConsumerProducerMixin
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from .. import context, tracing
from ..config import Settings
from ..db import insert_ignoring, processed_events_table
from ..events import Envelope, EnvelopeSchema, InvalidEvent, UnknownEvent, load_data
from ..uow import UnitOfWork, UnitOfWorkFactory
from .publisher import broker_connection, topology_for
from .topology import Topology

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope, dict], None]
# Given a batch's events before its handlers run, in its unit of work: reads in one query each what the
# handlers would read event by event, into ``uow.memo``. Only an optimisation: a handler that finds
# nothing there reads for itself, so events handled one by one need none.
ReadAhead = Callable[[UnitOfWork, list[tuple[Envelope, dict]]], None]

RETRY_HEADER = "x-pacesetter-retries"
REASON_HEADER = "x-pacesetter-dead-reason"


class Rejected(Exception):
    """The message can never be handled: dead-letter it without retrying."""


@dataclass
class _Delivery:
    """A valid event waiting in the batch, with the message to ack once its transaction commits."""

    message: object
    envelope: Envelope
    data: dict
    handler: Handler


class EventConsumer(ConsumerProducerMixin):
    def __init__(self, settings: Settings, service: str, handlers: dict[str, Handler],
                 uow_factory: UnitOfWorkFactory, topology: Topology | None = None,
                 read_ahead: ReadAhead | None = None):
        self.settings = settings
        self.service = service
        self.handlers = handlers
        self.read_ahead = read_ahead
        self.uow_factory = uow_factory
        self.topology = topology or topology_for(settings)
        self.connection = broker_connection(settings)
        self._envelope_schema = EnvelopeSchema()
        self.handled = 0  # messages finished (handled, skipped as duplicates, or dead-lettered)
        self.ready = threading.Event()  # set once the queue is declared and consuming
        self.connection_losses = 0
        self.batches = 0  # transactions that handled a whole batch (for tests and figures)
        self._pending: list[_Delivery] = []
        self._pending_since = 0.0
        self._tracer = tracing.tracer_for(settings)  # None when tracing is off

    # -- kombu wiring ------------------------------------------------------------------
    def get_consumers(self, Consumer, channel):
        self.topology.declare(self.connection, self.settings.max_retries)
        consumer = Consumer(queues=[self.topology.queue(self.service)], callbacks=[self.on_message],
                            accept=["json"], prefetch_count=self.settings.prefetch)
        return [consumer]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.ready.set()

    def on_decode_error(self, message, exc):
        self._dead_letter(message, f"undecodable message: {exc}")

    def on_connection_error(self, exc, interval):
        self.connection_losses += 1
        log.warning("broker connection lost (%s); reconnecting in %ss", exc, interval)

    def stop(self) -> None:
        self.should_stop = True

    def consume(self, limit=None, timeout=None, safety_interval=1, **kwargs):
        """kombu's loop, plus the batch: handled when full, when its linger is over, and on stopping."""
        with self.consumer_context(**kwargs) as (conn, _channel, _consumers):
            # Messages held when an earlier connection broke were never acked: the broker redelivers them.
            self._pending = []
            while not self.should_stop:
                try:
                    conn.drain_events(timeout=self._wait(safety_interval))
                except socket.timeout:
                    conn.heartbeat_check()
                except OSError:
                    if not self.should_stop:
                        raise
                if self._pending and (len(self._pending) >= self.settings.batch
                                      or time.monotonic() >= self._pending_since + self.settings.linger_seconds):
                    self._flush()
                yield
            self._flush()  # stopping: finish the messages in hand

    def _wait(self, idle: float) -> float:
        if not self._pending:
            return idle
        # never 0: a non-blocking read could stop in the middle of a frame
        return max(0.001, self._pending_since + self.settings.linger_seconds - time.monotonic())

    # -- one message -------------------------------------------------------------------
    def on_message(self, body, message) -> None:
        try:
            envelope = self._envelope(body)
            handler = self.handlers.get(envelope.type)
            if handler is None:
                message.ack()  # bound by a wildcard but not of interest here
                self.handled += 1
                return
            data = load_data(envelope.type, envelope.version, envelope.data)
        except (Rejected, InvalidEvent, UnknownEvent) as exc:
            self._dead_letter(message, str(exc))
            return
        if not self._pending:
            self._pending_since = time.monotonic()
        self._pending.append(_Delivery(message, envelope, data, handler))
        if len(self._pending) >= self.settings.batch:
            self._flush()

    # -- a batch -----------------------------------------------------------------------
    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        if len(batch) > 1:
            try:
                self._hold_through_outages(lambda: self._handle_batch(batch), batch[0].envelope)
            except Exception as exc:
                # One bad event must not decide for the others: each is taken again on its own.
                log.warning("a batch of %s events failed (%s: %s); handling them one by one",
                            len(batch), type(exc).__name__, exc)
            else:
                self.batches += 1
                self._ack_all([delivery.message for delivery in batch])
                self.handled += len(batch)
                return
        for delivery in batch:
            self._handle_alone(delivery)

    def _ack_all(self, messages: list) -> None:
        """Acks a committed batch. On RabbitMQ one frame with "multiple" acks it all: every message this channel
        delivered before the batch's last was acked already or is in the batch (none is set aside), and a quorum
        queue settling one ack per batch spends a third to a half of the CPU per message it spent on one ack each
        (66–77 µs → 24–30 µs, three queues per evaluation.completed). kombu's embedded transports ignore
        "multiple": each message is acked there."""
        if not self.settings.is_embedded_broker:
            max(messages, key=lambda message: message.delivery_tag).ack(multiple=True)
            return
        for message in messages:
            message.ack()

    def _handle_batch(self, batch: list[_Delivery]) -> None:
        with self.uow_factory() as uow:
            fresh: dict = {}
            for delivery in batch:
                fresh.setdefault(delivery.envelope.id, delivery)  # a twin within the batch counts once
            # Every event id claimed in one statement: an id already processed comes back unclaimed, and one a
            # concurrent consumer holds waits for that consumer's commit, then comes back unclaimed too (its
            # effect stands) — or is claimed here, if that consumer rolled back. Ids in order, so that two
            # consumers holding the same twins wait for each other in one order, never in a deadlock.
            now = datetime.now(timezone.utc)
            claimed = set(uow.session.execute(
                insert_ignoring(uow.session, processed_events_table, "event_id", returning=("event_id",)),
                [{"event_id": event_id, "event_type": fresh[event_id].envelope.type, "processed_at": now}
                 for event_id in sorted(fresh)]).scalars())
            fresh = {event_id: d for event_id, d in fresh.items() if event_id in claimed}
            if not fresh:
                return
            if self.read_ahead is not None:
                self.read_ahead(uow, [(d.envelope, d.data) for d in fresh.values()])
            for delivery in fresh.values():
                token = context.correlation_id.set(delivery.envelope.correlation_id)
                try:
                    self._run(delivery, uow)
                finally:
                    context.correlation_id.reset(token)

    def _run(self, delivery: _Delivery, uow: UnitOfWork) -> None:
        """One event's handler; traced, in a span under the context its envelope carries, when tracing is on."""
        envelope, data = delivery.envelope, delivery.data
        if self._tracer is None:
            delivery.handler(uow, envelope, data)
            return
        with tracing.consuming(self._tracer, envelope, self.topology.queue_name(self.service),
                               (delivery.message.delivery_info or {}).get("routing_key", "")):
            delivery.handler(uow, envelope, data)

    def _handle_alone(self, delivery: _Delivery) -> None:
        envelope, message = delivery.envelope, delivery.message
        token = context.correlation_id.set(envelope.correlation_id)
        try:
            self._handle_holding_through_outages(delivery)
        except Exception as exc:
            log.exception("handler for %s failed on event %s", envelope.type, envelope.id)
            self._retry_or_dead_letter(message, f"{type(exc).__name__}: {exc}")
            return
        finally:
            context.correlation_id.reset(token)
        message.ack()
        self.handled += 1

    def _envelope(self, body) -> Envelope:
        if not isinstance(body, dict):
            raise Rejected("message body is not a JSON object")
        try:
            return self._envelope_schema.load(body)
        except ValidationError as exc:
            raise Rejected(f"invalid envelope: {exc.messages}") from None

    def _handle_holding_through_outages(self, delivery: _Delivery) -> None:
        envelope = delivery.envelope

        def once() -> None:
            try:
                self._handle_once(delivery)
            except IntegrityError:
                if not self._already_processed(envelope):
                    raise
                # a twin delivery committed first: its effect stands, ours is dropped

        self._hold_through_outages(once, envelope)

    def _hold_through_outages(self, work: Callable[[], None], envelope: Envelope) -> None:
        """Run ``work``; while the database is unreachable, wait and run it again (the messages stay held).

        Also what makes a stale pooled connection harmless without a pre-ping: the first statement on
        it fails as a disconnect, SQLAlchemy discards the pool's connections, and the next try opens a new one.
        """
        pause = 0.5
        while True:
            try:
                work()
                return
            except DBAPIError as exc:
                if not exc.connection_invalidated and not _is_connection_error(exc):
                    raise
                if self.should_stop:
                    raise
                log.warning("database unavailable (%s); holding event %s", exc.orig, envelope.id)
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    def _handle_once(self, delivery: _Delivery) -> None:
        envelope = delivery.envelope
        with self.uow_factory() as uow:
            # Claim the event id first: a concurrent twin blocks here until we commit, then fails.
            exists = uow.session.execute(
                sa.select(processed_events_table.c.event_id).where(processed_events_table.c.event_id == envelope.id)
            ).first()
            if exists:
                return
            uow.session.execute(sa.insert(processed_events_table).values(
                event_id=envelope.id, event_type=envelope.type, processed_at=datetime.now(timezone.utc)))
            self._run(delivery, uow)

    def _already_processed(self, envelope: Envelope) -> bool:
        with self.uow_factory() as uow:
            return uow.session.execute(
                sa.select(processed_events_table.c.event_id).where(processed_events_table.c.event_id == envelope.id)
            ).first() is not None

    # -- failure paths -----------------------------------------------------------------
    def _retry_or_dead_letter(self, message, reason: str) -> None:
        retries = int((message.headers or {}).get(RETRY_HEADER, 0))
        if retries >= self.settings.max_retries:
            self._dead_letter(message, f"failed after {retries} retries: {reason}")
            return
        attempt = retries + 1
        delay = self.settings.retry_base_seconds * (4 ** retries)
        headers = dict(message.headers or {}) | {RETRY_HEADER: attempt, "x-pacesetter-last-error": reason[:500]}
        if self.topology.native_retries:
            self._republish(message, self.topology.retry_name(self.service, attempt), headers,
                            expiration=delay)
        else:
            # Embedded transports cannot delay a message; hold this consumer instead.
            time.sleep(delay)
            self._republish(message, self.topology.queue_name(self.service), headers)
        message.ack()

    def _dead_letter(self, message, reason: str) -> None:
        log.error("dead-lettering a message from %s: %s", self.topology.queue_name(self.service), reason)
        headers = dict(message.headers or {}) | {
            REASON_HEADER: reason[:1000],
            "x-pacesetter-dead-at": datetime.now(timezone.utc).isoformat(),
            "x-pacesetter-routing-key": (message.delivery_info or {}).get("routing_key", ""),
        }
        self._republish(message, self.topology.dead_letter_name(self.service), headers)
        message.ack()
        self.handled += 1

    def _republish(self, message, queue_name: str, headers: dict, expiration: float | None = None) -> None:
        self.producer.publish(
            message.body, exchange="", routing_key=queue_name, headers=headers,
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2, expiration=expiration, retry=True,
            retry_policy={"max_retries": 5, "interval_start": 0.2, "interval_step": 0.5},
        )


def _is_connection_error(exc: DBAPIError) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))
