"""The outbox: recorded with the change, relayed with confirms, each row out once."""
from __future__ import annotations

import threading
from urllib.parse import urlsplit

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table
from pacesetter_shared.messaging import EventPublisher
from pacesetter_shared.outbox import OutboxRelay, pending_count
from tests.support.broker import queue_depth
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_for

from .conftest import consumer, pledge_data, running


def _record(bus, n: int) -> list:
    ids = []
    for i in range(n):
        with bus.uow_factory() as uow:
            ids.append(uow.record("pledge.submitted", i, pledge_data(f"承诺 {i}")).id)
    return ids


def test_an_event_exists_only_if_its_transaction_committed(bus):
    try:
        with bus.uow_factory() as uow:
            uow.record("pledge.submitted", "x", pledge_data())
            raise RuntimeError("the change fails after recording")
    except RuntimeError:
        pass
    assert pending_count(bus.engine) == 0
    _record(bus, 1)
    assert pending_count(bus.engine) == 1


def test_events_recorded_while_the_broker_is_unreachable_arrive_once_when_it_returns(bus, amqp_url):
    target = urlsplit(amqp_url)
    proxy = TcpProxy(target.hostname, target.port or 5672)
    proxy.cut()
    via_proxy = amqp_url.replace(f"{target.hostname}:{target.port or 5672}", f"127.0.0.1:{proxy.port}")
    relay = OutboxRelay(bus.engine, EventPublisher(bus.settings(broker_url=via_proxy)), interval=0.05, max_backoff=0.5)
    try:
        with running(consumer(bus)), running(relay):
            ids = _record(bus, 30)
            wait_for(lambda: _attempts(bus) > 0, message="the relay to try and fail")
            assert pending_count(bus.engine) == 30
            assert bus.effect_count() == 0
            proxy.restore()
            wait_for(lambda: pending_count(bus.engine) == 0, message="the outbox to drain")
            wait_for(lambda: bus.effect_count() >= 30, message="all 30 effects")
            assert bus.effect_count() == 30
            assert bus.distinct_effects() == len(set(ids)) == 30
    finally:
        proxy.close()


def _attempts(bus) -> int:
    with bus.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.sum(outbox_table.c.attempts), 0))).scalar_one()


def test_two_relays_at_once_publish_each_row_once(bus, amqp_url):
    settings = bus.settings()
    # Declare the topology (and so the queue the events will wait in) before any relay runs.
    EventPublisher(settings)._ensure()
    _record(bus, 300)
    relays = [OutboxRelay(bus.engine, EventPublisher(settings), batch=20, interval=0.01) for _ in range(2)]
    threads = [threading.Thread(target=r.run, daemon=True) for r in relays]
    for t in threads:
        t.start()
    wait_for(lambda: pending_count(bus.engine) == 0, message="both relays to drain the outbox")
    for r in relays:
        r.stop()
    for t in threads:
        t.join(10)
    queue = f"{bus.namespace}.notification"
    wait_for(lambda: queue_depth(amqp_url, queue) >= 300, message="300 messages in the queue")
    assert queue_depth(amqp_url, queue) == 300
