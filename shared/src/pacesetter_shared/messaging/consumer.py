"""The idempotent consumer runner.

For each message: decode and validate (anything malformed goes straight to the dead-letter
queue with the reason), then run the handler in one transaction that also stores the event id
in ``processed_events`` — a redelivered event finds its id there and has no effect — and ack
only after that transaction commits. A handler that raises is retried with growing delays,
then dead-lettered with the reason. When the database itself is away the message is held
and the handler retried until it comes back: an outage is not the message's fault.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from kombu.mixins import ConsumerProducerMixin
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from .. import context
from ..config import Settings
from ..db import processed_events_table
from ..events import Envelope, EnvelopeSchema, InvalidEvent, UnknownEvent, load_data
from ..uow import UnitOfWork, UnitOfWorkFactory
from .publisher import broker_connection, topology_for
from .topology import Topology

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope, dict], None]

RETRY_HEADER = "x-pacesetter-retries"
REASON_HEADER = "x-pacesetter-dead-reason"


class Rejected(Exception):
    """The message can never be handled: dead-letter it without retrying."""


class EventConsumer(ConsumerProducerMixin):
    def __init__(self, settings: Settings, service: str, handlers: dict[str, Handler],
                 uow_factory: UnitOfWorkFactory, topology: Topology | None = None):
        self.settings = settings
        self.service = service
        self.handlers = handlers
        self.uow_factory = uow_factory
        self.topology = topology or topology_for(settings)
        self.connection = broker_connection(settings)
        self._envelope_schema = EnvelopeSchema()
        self.handled = 0  # messages finished (handled, skipped as duplicates, or dead-lettered)
        self.ready = threading.Event()  # set once the queue is declared and consuming
        self.connection_losses = 0

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
        token = context.correlation_id.set(envelope.correlation_id)
        try:
            self._handle_holding_through_outages(handler, envelope, data)
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

    def _handle_holding_through_outages(self, handler: Handler, envelope: Envelope, data: dict) -> None:
        pause = 0.5
        while True:
            try:
                self._handle_once(handler, envelope, data)
                return
            except IntegrityError as exc:
                if self._already_processed(envelope):
                    return  # a twin delivery committed first: its effect stands, ours is dropped
                raise exc
            except DBAPIError as exc:
                if not exc.connection_invalidated and not _is_connection_error(exc):
                    raise
                if self.should_stop:
                    raise
                log.warning("database unavailable (%s); holding event %s", exc.orig, envelope.id)
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    def _handle_once(self, handler: Handler, envelope: Envelope, data: dict) -> None:
        with self.uow_factory() as uow:
            # Claim the event id first: a concurrent twin blocks here until we commit, then fails.
            exists = uow.session.execute(
                sa.select(processed_events_table.c.event_id).where(processed_events_table.c.event_id == envelope.id)
            ).first()
            if exists:
                return
            uow.session.execute(sa.insert(processed_events_table).values(
                event_id=envelope.id, event_type=envelope.type, processed_at=datetime.now(timezone.utc)))
            handler(uow, envelope, data)

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
