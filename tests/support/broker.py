"""Reading queues directly, to see what the broker holds (dead letters, raw duplicates)."""
from __future__ import annotations

import json

from kombu import Connection, Exchange, Producer

from pacesetter_shared.events import routing_key


def drain_queue(amqp_url: str, queue_name: str, limit: int = 10000) -> list:
    """Take every message out of ``queue_name``; returns kombu messages (already acked)."""
    messages = []
    with Connection(amqp_url) as conn:
        channel = conn.channel()
        while len(messages) < limit:
            message = channel.basic_get(queue_name, no_ack=True)
            if message is None:
                break
            messages.append(message)
    return messages


def queue_depth(amqp_url: str, queue_name: str) -> int:
    with Connection(amqp_url) as conn:
        _name, count, _consumers = conn.channel().queue_declare(queue_name, passive=True)
        return count


def publish_raw(amqp_url: str, exchange: str, routing_key: str, body, content_type="application/json") -> None:
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    with Connection(amqp_url) as conn:
        Producer(conn.channel()).publish(body, exchange=Exchange(exchange, type="topic", durable=True),
                                         routing_key=routing_key, content_type=content_type,
                                         content_encoding="utf-8", delivery_mode=2)


def publish_event(amqp_url: str, exchange: str, envelope: dict) -> None:
    """An event as a relay publishes it: routed by its type and, for some types, a field (events.routing_key)."""
    publish_raw(amqp_url, exchange, routing_key(envelope["type"], envelope["data"]), envelope)


def consuming(amqp_url: str, queue_name: str) -> bool:
    """Someone consumes the queue — so its bindings are declared and a message published now arrives."""
    try:
        with Connection(amqp_url) as conn:
            return conn.channel().queue_declare(queue_name, passive=True)[2] > 0
    except Exception:  # not declared yet
        return False
