"""The consumer handles prefetched events in batches, one transaction each (issue 10), and a batch that
fails or is redelivered loses and doubles nothing."""
from __future__ import annotations

import json

import sqlalchemy as sa

from pacesetter_shared.db import processed_events_table
from pacesetter_shared.events import new_envelope, prepare_data
from pacesetter_shared.messaging.consumer import REASON_HEADER
from pacesetter_shared.messaging.publisher import broker_connection, topology_for
from tests.support.broker import drain_queue, publish_raw, queue_depth
from tests.support.waiting import wait_for

from .conftest import consumer, pledge_data, record_effect, running

BATCH = {"consumer_batch": 10, "consumer_prefetch": 20, "consumer_linger_seconds": 0.5}


def _envelopes(titles) -> list[dict]:
    return [new_envelope("pledge.submitted", 1, "pledge", "s", prepare_data("pledge.submitted", 1, pledge_data(t)))
            .to_dict() for t in titles]


def _queued(bus, amqp_url, envelopes) -> None:
    """Publish before any consumer runs, so that the consumer finds a full batch waiting."""
    settings = bus.settings()
    with broker_connection(settings) as conn:
        topology_for(settings).declare(conn, settings.max_retries)
    for envelope in envelopes:
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", envelope)


def _commits(engine) -> list:
    seen = []
    sa.event.listen(engine, "commit", lambda conn: seen.append(conn))
    return seen


def test_waiting_events_are_handled_ten_to_a_transaction(bus, amqp_url):
    _queued(bus, amqp_url, _envelopes(f"承诺 {i}" for i in range(30)))
    commits = _commits(bus.engine)
    with running(consumer(bus, **BATCH)) as c:
        wait_for(lambda: c.handled == 30, message="30 events handled")
    print("batches:", c.batches, "commits:", len(commits))
    assert c.batches == 3
    assert len(commits) == 3
    assert bus.effect_count() == 30 and bus.distinct_effects() == 30


def test_a_batch_is_acknowledged_with_one_frame_and_none_of_it_comes_back(bus, amqp_url, monkeypatch):
    """One ack with "multiple" for a committed batch, also over a message acked alone in its midst (an event type
    the service ignores): every message is settled once, and none is handed back when the consumer stops."""
    from amqp.channel import Channel

    frames: list[tuple[int, bool]] = []
    basic_ack = Channel.basic_ack

    def counted(channel, delivery_tag, multiple=False, **kwargs):
        frames.append((delivery_tag, multiple))
        return basic_ack(channel, delivery_tag, multiple, **kwargs)

    monkeypatch.setattr(Channel, "basic_ack", counted)
    envelopes = _envelopes(f"承诺 {i}" for i in range(20))
    _queued(bus, amqp_url, envelopes[:5])
    ignored = new_envelope("pledge.withdrawn", 1, "pledge", "s", {}).to_dict()
    publish_raw(amqp_url, bus.namespace, "pledge.withdrawn", ignored)
    _queued(bus, amqp_url, envelopes[5:])
    with running(consumer(bus, **BATCH)) as c:
        wait_for(lambda: c.handled == 21, message="21 messages finished")
    print("ack frames (delivery tag, multiple):", frames)
    assert c.batches == 2
    # the ignored message alone when it came, then each batch of ten in one frame up to its last message
    assert frames == [(6, False), (11, True), (21, True)]
    assert queue_depth(amqp_url, f"{bus.namespace}.notification") == 0  # nothing unacked went back to the queue
    assert bus.effect_count() == 20 and bus.distinct_effects() == 20


def test_a_batch_is_read_ahead_once_with_its_new_events_before_its_handlers_run(bus, amqp_url):
    envelopes = _envelopes(f"承诺 {i}" for i in range(9))
    _queued(bus, amqp_url, envelopes + [envelopes[3]])  # a twin within the batch
    read: list[list[str]] = []
    found_in_memo: list[bool] = []

    def read_ahead(uow, events):
        read.append([str(envelope.id) for envelope, _ in events])
        uow.memo["titles"] = {envelope.id: data["title"] for envelope, data in events}

    def handler(uow, envelope, data):
        found_in_memo.append(uow.memo["titles"].get(envelope.id) == data["title"])
        record_effect(uow, envelope, data)

    with running(consumer(bus, {"pledge.submitted": handler}, read_ahead=read_ahead, **BATCH)) as c:
        wait_for(lambda: c.handled == 10, message="ten deliveries finished")
    assert c.batches == 1
    assert len(read) == 1 and sorted(read[0]) == sorted(e["id"] for e in envelopes)
    assert found_in_memo == [True] * 9
    assert bus.effect_count() == 9 and bus.distinct_effects() == 9


def test_a_poison_event_in_the_middle_of_a_batch_is_dead_lettered_alone_and_the_rest_handled_once(bus, amqp_url):
    envelopes = _envelopes(["好的 1", "好的 2", "好的 3", "好的 4", "毒", "好的 5", "好的 6", "好的 7", "好的 8",
                            "好的 9"])
    calls: list[str] = []

    def poisoned(uow, envelope, data):
        calls.append(data["title"])
        if data["title"] == "毒":
            raise RuntimeError("this event breaks its handler")
        record_effect(uow, envelope, data)

    _queued(bus, amqp_url, envelopes)
    with running(consumer(bus, {"pledge.submitted": poisoned}, consumer_max_retries=0, **BATCH)) as c:
        wait_for(lambda: c.handled == 10, message="ten events finished")
    print("handler calls:", calls)
    # the batch ran up to the poison and was rolled back; then each event alone
    assert calls[:5] == ["好的 1", "好的 2", "好的 3", "好的 4", "毒"]
    assert sorted(calls[5:]) == sorted(e["data"]["title"] for e in envelopes)
    assert c.batches == 0
    dead = drain_queue(amqp_url, f"{bus.namespace}.notification.dead")
    assert [json.loads(m.body)["id"] for m in dead] == [envelopes[4]["id"]]
    assert "this event breaks its handler" in dead[0].headers[REASON_HEADER]
    assert bus.effect_count() == 9 and bus.distinct_effects() == 9
    with bus.engine.connect() as conn:
        processed = set(conn.execute(sa.select(processed_events_table.c.event_id)).scalars())
    assert {str(p) for p in processed} == {e["id"] for i, e in enumerate(envelopes) if i != 4}
    assert queue_depth(amqp_url, f"{bus.namespace}.notification") == 0


def test_a_batch_redelivered_after_a_crash_between_commit_and_ack_has_no_second_effect(bus, amqp_url):
    from urllib.parse import urlsplit

    from tests.support.tcp_proxy import TcpProxy

    target = urlsplit(amqp_url)
    proxy = TcpProxy(target.hostname, target.port or 5672)
    via_proxy = amqp_url.replace(f"{target.hostname}:{target.port or 5672}", f"127.0.0.1:{proxy.port}")
    envelopes = _envelopes(f"崩溃前 {i}" for i in range(10))
    calls: list[str] = []

    def cut_before_the_ack(uow, envelope, data):
        calls.append(envelope.id)
        record_effect(uow, envelope, data)
        if len(calls) == 10:
            proxy.cut()  # the batch commits after this; its acks never reach the broker

    _queued(bus, amqp_url, envelopes)
    try:
        with running(consumer(bus, {"pledge.submitted": cut_before_the_ack}, broker_url=via_proxy, **BATCH)) as c:
            wait_for(lambda: c.connection_losses > 0, message="the consumer to lose the broker after the commit")
            assert bus.effect_count() == 10
            proxy.restore()
            # a second batch transaction: the broker handed the unacknowledged ten back
            wait_for(lambda: c.batches >= 2, timeout=40, message="the redelivered batch handled")
            wait_for(lambda: queue_depth(amqp_url, f"{bus.namespace}.notification") == 0,
                     message="nothing left in the queue")
    finally:
        proxy.close()
    assert len(calls) == 10  # the redelivered events found their ids processed: no handler ran again
    assert bus.effect_count() == 10 and bus.distinct_effects() == 10
