"""Publishing envelopes to the topic exchange with publisher confirms."""
from __future__ import annotations

import json
import threading

from kombu import Connection, Producer

from ..config import Settings
from .topology import Topology


def broker_connection(settings: Settings) -> Connection:
    """A kombu connection for the configured broker (RabbitMQ, or an embedded transport)."""
    if settings.is_embedded_broker:
        # polling_interval is a Connection argument; in transport_options the SQLAlchemy
        # transport would hand it on to create_engine, which refuses it.
        return Connection(settings.broker_url, polling_interval=settings.broker_polling_interval)
    return Connection(settings.broker_url, heartbeat=30, transport_options={"confirm_publish": True},
                      connect_timeout=5)


def topology_for(settings: Settings) -> Topology:
    return Topology(settings.exchange, native_retries=not settings.is_embedded_broker)


class EventPublisher:
    """One connection and channel, re-opened after a failure; ``publish`` returns once confirmed."""

    def __init__(self, settings: Settings, topology: Topology | None = None):
        self.settings = settings
        self.topology = topology or topology_for(settings)
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> Producer:
        if self._producer is None:
            self._connection = broker_connection(self.settings)
            self._connection.ensure_connection(max_retries=1)
            self.topology.declare(self._connection, self.settings.max_retries)
            self._producer = Producer(self._connection.channel(), exchange=self.topology.exchange)
        return self._producer

    def publish(self, envelope: dict) -> None:
        with self._lock:
            producer = self._ensure()
            producer.publish(
                json.dumps(envelope, ensure_ascii=False).encode(),
                routing_key=envelope["type"],
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=envelope["id"],
                correlation_id=envelope["correlation_id"],
                headers={"x-producer": envelope["producer"]},
                retry=False,  # the relay owns retries: it keeps the row and tries again later
            )

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
