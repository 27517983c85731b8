"""The publisher sends a batch and waits once for the broker's confirms of all of it (issue 10)."""
from __future__ import annotations

import json
import uuid

from pacesetter_shared.events import new_envelope, prepare_data
from pacesetter_shared.events.evaluation import TARGET_KINDS
from pacesetter_shared.messaging import EventPublisher
from tests.support.broker import drain_queue

from .conftest import pledge_data


def test_a_batch_of_two_hundred_is_confirmed_whole_and_arrives_in_order(bus, amqp_url):
    envelopes = [new_envelope("pledge.submitted", 1, "pledge", "s", prepare_data("pledge.submitted", 1,
                                                                               pledge_data(f"承诺 {i}"))).to_dict()
                 for i in range(200)]
    publisher = EventPublisher(bus.settings())
    try:
        assert publisher.publish_many(envelopes[:150]) == 150
        assert publisher.publish_many(envelopes[150:]) == 50  # the channel's delivery tags go on from 151
    finally:
        publisher.close()
    arrived = [json.loads(m.body)["id"] for m in drain_queue(amqp_url, f"{bus.namespace}.notification")]
    assert arrived == [e["id"] for e in envelopes]


def test_a_finished_round_reaches_only_the_queues_that_keep_its_kind_of_target(bus, amqp_url):
    """evaluation.completed is routed by its target: pledge-service is handed a pledge's result only, grading a
    branch's only, notification every one (the old binding to the bare type took every round to all three)."""
    def completed(kind: str) -> dict:
        target = uuid.uuid4()
        data = prepare_data("evaluation.completed", 1, {
            "round_id": uuid.uuid4(), "target_kind": kind, "target_id": target, "unit_id": uuid.uuid4(),
            "year": 2026, "score": 90.0, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 90.0, "raters": 12}]})
        return new_envelope("evaluation.completed", 1, "evaluation", str(target), data).to_dict()

    rounds = {kind: completed(kind) for kind in TARGET_KINDS}
    publisher = EventPublisher(bus.settings())
    try:
        assert publisher.publish_many(list(rounds.values())) == len(rounds)
    finally:
        publisher.close()

    def kinds_in(service: str) -> list[str]:
        return sorted(json.loads(m.body)["data"]["target_kind"]
                      for m in drain_queue(amqp_url, f"{bus.namespace}.{service}"))

    assert kinds_in("pledge") == ["pledge"]
    assert kinds_in("grading") == ["branch"]
    assert kinds_in("notification") == sorted(TARGET_KINDS)
    delivered = drain_queue(amqp_url, f"{bus.namespace}.evaluation")
    assert delivered == []
