"""Publishing envelopes to the topic exchange with publisher confirms."""
from __future__ import annotations

import json
import socket
import threading
import time

from kombu import Connection, Producer

from ..config import Settings
from ..events import routing_key
from .topology import Topology


def broker_connection(settings: Settings, confirm_each: bool = True) -> Connection:
    """A kombu connection for the configured broker (RabbitMQ, or an embedded transport).

    ``confirm_each``: every publish on RabbitMQ waits for the broker's confirm; without it, the
    channel's user enables confirms itself and waits for a batch's (``EventPublisher``).
    """
    if settings.is_embedded_broker:
        # polling_interval is a Connection argument; in transport_options the SQLAlchemy
        # transport would hand it on to create_engine, which refuses it.
        return Connection(settings.broker_url, polling_interval=settings.broker_polling_interval)
    return Connection(settings.broker_url, heartbeat=30, transport_options={"confirm_publish": confirm_each},
                      connect_timeout=5)


def topology_for(settings: Settings) -> Topology:
    return Topology(settings.exchange, native_retries=not settings.is_embedded_broker)


class EventPublisher:
    """One connection and channel, re-opened after a failure (``reset``).

    ``publish_many`` sends a batch, then waits once for the broker's confirms of all of it — publisher
    confirms are asynchronous in AMQP. Waiting for each confirm before the next publish capped the
    outbox relay at one broker round trip per event (199/s on a loaded 2-core machine, issue 10).
    Embedded transports have no confirms: what they accept is stored.
    """

    def __init__(self, settings: Settings, topology: Topology | None = None, confirm_timeout: float = 30.0):
        self.settings = settings
        self.topology = topology or topology_for(settings)
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._lock = threading.Lock()
        self._confirms = not settings.is_embedded_broker
        self._forget_confirms()

    def _forget_confirms(self) -> None:
        # a channel's delivery tags run 1, 2, ... from its confirm.select
        self._published = 0
        self._confirmed = 0  # every tag up to here is confirmed
        self._confirmed_upto = 0  # ... by acks with "multiple"
        self._acked: set[int] = set()
        self._refused: int | None = None

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._confirmed_upto = max(self._confirmed_upto, delivery_tag)
        else:
            self._acked.add(delivery_tag)
        while self._confirmed < self._confirmed_upto or self._confirmed + 1 in self._acked:
            self._confirmed += 1
            self._acked.discard(self._confirmed)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._refused = min(delivery_tag, self._refused or delivery_tag)

    def _ensure(self) -> Producer:
        if self._producer is None:
            self._connection = broker_connection(self.settings, confirm_each=False)
            self._connection.ensure_connection(max_retries=1)
            self.topology.declare(self._connection, self.settings.max_retries)
            channel = self._connection.channel()
            if self._confirms:
                channel.confirm_select()
                channel.events["basic_ack"].add(self._on_ack)
                channel.events["basic_nack"].add(self._on_nack)
            self._forget_confirms()
            self._producer = Producer(channel, exchange=self.topology.exchange)
        return self._producer

    def publish(self, envelope: dict) -> None:
        if self.publish_many([envelope]) != 1:
            raise PublishNotConfirmed("the broker did not confirm the event")

    def publish_many(self, envelopes: list[dict]) -> int:
        """Publish ``envelopes`` in order; return how many of them, from the first, the broker confirmed."""
        with self._lock:
            producer = self._ensure()
            first = self._published + 1
            for envelope in envelopes:
                producer.publish(
                    json.dumps(envelope, ensure_ascii=False).encode(),
                    routing_key=routing_key(envelope["type"], envelope["data"]),
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=envelope["id"],
                    correlation_id=envelope["correlation_id"],
                    headers={"x-producer": envelope["producer"]},
                    retry=False,  # the relay owns retries: it keeps the row and tries again later
                )
                self._published += 1
            if not self._confirms:
                return len(envelopes)
            deadline = time.monotonic() + self.confirm_timeout
            while self._confirmed < self._published and self._refused is None and time.monotonic() < deadline:
                try:
                    self._connection.drain_events(timeout=min(1.0, max(0.01, deadline - time.monotonic())))
                except socket.timeout:
                    pass
            confirmed = self._confirmed if self._refused is None else min(self._confirmed, self._refused - 1)
            return max(0, min(confirmed, self._published) - first + 1)

    def reset(self) -> None:
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.release()
                except Exception:
                    pass
            self._connection = None
            self._producer = None

    close = reset


class PublishNotConfirmed(Exception):
    """The broker refused an event or did not confirm it in time: it stays in the outbox."""
