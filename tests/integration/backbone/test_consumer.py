"""The consumer runner: idempotent, dead-letters what it cannot read, retries with growing delays."""
from __future__ import annotations

import time
import uuid

from pacesetter_shared.events import new_envelope, prepare_data
from pacesetter_shared.messaging.consumer import REASON_HEADER, RETRY_HEADER
from tests.support.broker import drain_queue, publish_raw, queue_depth
from tests.support.waiting import wait_for

from .conftest import consumer, pledge_data, running


def _envelope(title="承诺") -> dict:
    return new_envelope("pledge.submitted", 1, "pledge", "s", prepare_data("pledge.submitted", 1, pledge_data(title))).to_dict()


def test_the_same_event_delivered_twice_has_its_effect_once(bus, amqp_url):
    envelopes = [_envelope(f"承诺 {i}") for i in range(40)]
    # Two competing consumers on the same queue, every event published twice.
    with running(consumer(bus)) as first, running(consumer(bus)) as second:
        for envelope in envelopes:
            publish_raw(amqp_url, bus.namespace, "pledge.submitted", envelope)
            publish_raw(amqp_url, bus.namespace, "pledge.submitted", envelope)
        wait_for(lambda: first.handled + second.handled >= 80, message="80 deliveries handled")
    assert bus.effect_count() == 40
    assert bus.distinct_effects() == 40
    assert queue_depth(amqp_url, f"{bus.namespace}.notification") == 0


def test_malformed_and_invalid_messages_are_dead_lettered_with_a_reason_while_the_consumer_serves(bus, amqp_url):
    invalid_data = _envelope()
    del invalid_data["data"]["title"]
    unknown_version = _envelope() | {"version": 99}
    not_an_envelope = {"hello": "world"}
    with running(consumer(bus)) as c:
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", b"{not json", content_type="application/json")
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", invalid_data)
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", unknown_version)
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", not_an_envelope)
        good = _envelope("好的承诺")
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", good)
        wait_for(lambda: bus.effect_count() == 1, message="the good message to be handled after the bad ones")
        wait_for(lambda: c.handled >= 5, message="all five messages finished")
    dead = drain_queue(amqp_url, f"{bus.namespace}.notification.dead")
    reasons = sorted(m.headers[REASON_HEADER] for m in dead)
    print("dead-letter reasons:", *reasons, sep="\n  ")
    assert len(dead) == 4
    assert any("undecodable" in r for r in reasons)
    assert any("title" in r and "invalid" in r for r in reasons)
    assert any("v99" in r for r in reasons)
    assert any("invalid envelope" in r for r in reasons)
    assert all(m.headers["x-pacesetter-routing-key"] == "pledge.submitted" for m in dead)


def test_a_failing_handler_is_retried_with_growing_delays_then_dead_lettered(bus, amqp_url):
    attempts: list[float] = []

    def always_fails(uow, envelope, data):
        attempts.append(time.monotonic())
        raise RuntimeError("the projection is broken")

    with running(consumer(bus, {"pledge.submitted": always_fails})):
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", _envelope())
        dead_queue = f"{bus.namespace}.notification.dead"
        wait_for(lambda: queue_depth(amqp_url, dead_queue) == 1, timeout=30, message="the message to be dead-lettered")
    gaps = [b - a for a, b in zip(attempts, attempts[1:])]
    print("attempts:", len(attempts), "gaps (s):", [round(g, 2) for g in gaps])
    assert len(attempts) == 4  # the first try and three retries
    assert gaps[0] >= 0.2 and gaps[1] >= 0.8 and gaps[2] >= 3.2
    assert gaps[0] < gaps[1] < gaps[2]
    [dead] = drain_queue(amqp_url, dead_queue)
    assert "failed after 3 retries" in dead.headers[REASON_HEADER]
    assert "the projection is broken" in dead.headers[REASON_HEADER]
    assert dead.headers[RETRY_HEADER] == 3
    assert bus.effect_count() == 0


def test_a_redelivered_event_after_a_crash_before_ack_has_no_second_effect(bus, amqp_url):
    """The relay's crash between publish and mark sends the same event again: no second effect."""
    envelope = _envelope()
    with running(consumer(bus)) as c:
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", envelope)
        wait_for(lambda: c.handled == 1)
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", envelope)
        wait_for(lambda: c.handled == 2)
    assert bus.effect_count() == 1
    assert uuid.UUID(envelope["id"])


def test_the_consumer_reconnects_by_itself_after_losing_the_broker(bus, amqp_url):
    from urllib.parse import urlsplit

    from tests.support.tcp_proxy import TcpProxy

    target = urlsplit(amqp_url)
    proxy = TcpProxy(target.hostname, target.port or 5672)
    via_proxy = amqp_url.replace(f"{target.hostname}:{target.port or 5672}", f"127.0.0.1:{proxy.port}")
    try:
        with running(consumer(bus, broker_url=via_proxy)) as c:
            for i in range(5):
                publish_raw(amqp_url, bus.namespace, "pledge.submitted", _envelope(f"断线前 {i}"))
            wait_for(lambda: bus.effect_count() == 5, message="five effects before the cut")
            proxy.cut()
            for i in range(5):  # the durable queue keeps these while the consumer is cut off
                publish_raw(amqp_url, bus.namespace, "pledge.submitted", _envelope(f"断线中 {i}"))
            wait_for(lambda: c.connection_losses > 0, message="the consumer to notice the loss")
            assert bus.effect_count() == 5
            proxy.restore()
            wait_for(lambda: bus.effect_count() == 10, timeout=40, message="the consumer to reconnect and catch up")
    finally:
        proxy.close()
    assert bus.distinct_effects() == 10


def test_stopping_finishes_the_message_in_hand(bus, amqp_url):
    import threading

    started, release = threading.Event(), threading.Event()

    def slow(uow, envelope, data):
        started.set()
        assert release.wait(10)
        from .conftest import record_effect
        record_effect(uow, envelope, data)

    c = consumer(bus, {"pledge.submitted": slow})
    thread = threading.Thread(target=c.run, daemon=True)
    thread.start()
    assert c.ready.wait(15)
    publish_raw(amqp_url, bus.namespace, "pledge.submitted", _envelope("处理中"))
    assert started.wait(10)
    c.stop()  # what the worker does on SIGTERM
    release.set()
    thread.join(15)
    assert not thread.is_alive()
    assert bus.effect_count() == 1
    assert queue_depth(amqp_url, f"{bus.namespace}.notification") == 0  # acknowledged, not redelivered


def test_ops_see_dead_letters_with_their_reason_and_send_them_back_after_a_fix(bus, amqp_url):
    from pacesetter_shared.messaging.dead_letters import list_dead, requeue_dead

    from .conftest import record_effect

    broken = {"on": True}

    def sometimes_broken(uow, envelope, data):
        if broken["on"]:
            raise RuntimeError("template missing for this event")
        record_effect(uow, envelope, data)

    stuck, fine = _envelope("卡住的"), _envelope("正常的")
    with running(consumer(bus, {"pledge.submitted": sometimes_broken}, consumer_max_retries=0)) as c:
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", stuck)
        wait_for(lambda: c.handled >= 1, message="the poison message dead-lettered")
        broken["on"] = False
        publish_raw(amqp_url, bus.namespace, "pledge.submitted", fine)  # the queue keeps flowing
        wait_for(lambda: bus.effect_count() == 1, message="the next message handled")

        settings = bus.settings()
        [dead] = list_dead(settings, "notification")
        assert dead["event_id"] == stuck["id"] and "template missing" in dead["reason"]
        assert len(list_dead(settings, "notification")) == 1  # listing leaves it there
        assert requeue_dead(settings, "notification", {"not-this-one"}) == 0
        assert requeue_dead(settings, "notification") == 1
        wait_for(lambda: bus.effect_count() == 2, message="the requeued message handled after the fix")
    assert list_dead(bus.settings(), "notification") == []
    assert bus.distinct_effects() == 2


def test_ops_hear_that_a_dead_letter_queue_is_empty(bus, amqp_url, capsys):
    from pacesetter_shared.messaging.dead_letters import main
    from pacesetter_shared.messaging.publisher import topology_for

    from .conftest import record_effect

    with running(consumer(bus, {"pledge.submitted": record_effect})):  # the service's queues, declared
        pass
    main(["list", "notification"], environ={"BROKER_URL": amqp_url, "EVENTS_EXCHANGE": bus.namespace})
    said = capsys.readouterr()
    assert said.out == ""  # stdout keeps one JSON object a line, for scripts
    assert said.err == f"0 dead letters in {topology_for(bus.settings()).dead_letter_name('notification')}\n"
