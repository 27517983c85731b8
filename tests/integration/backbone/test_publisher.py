"""The publisher sends a batch and waits once for the broker's confirms of all of it (issue 10)."""
from __future__ import annotations

import json

from pacesetter_shared.events import new_envelope, prepare_data
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
