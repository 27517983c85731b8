"""Fault: a poison message in every service's queue, under load. Each is dead-lettered with its
reason, every queue keeps flowing, and the ops command shows it."""
from __future__ import annotations

import pytest

from pacesetter_shared.config import load_settings
from pacesetter_shared.messaging.dead_letters import list_dead
from pacesetter_shared.messaging.topology import SUBSCRIPTIONS
from tests.support.broker import publish_raw
from tests.support.waiting import wait_for

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e


def test_a_poison_message_in_every_queue_is_dead_lettered_and_the_queues_keep_flowing(suite, amqp_url):
    settings = load_settings("gateway", suite.env)
    load = PledgeLoad(suite)

    def poison():
        # directory.* is bound by every consuming service: one malformed copy reaches each queue.
        publish_raw(amqp_url, suite.prefix, "directory.unit_upserted", b"{not json at all")
        publish_raw(amqp_url, suite.prefix, "directory.unit_upserted",
                    {"id": "not-a-uuid", "type": "directory.unit_upserted"})

    load.run_with(poison, lambda: None)
    load.assert_nothing_lost_or_doubled("poison in every queue")
    for service in SUBSCRIPTIONS:
        dead = wait_for(lambda: len(list_dead(settings, service)) >= 2 and list_dead(settings, service),
                        timeout=30, message=f"{service}'s dead letters")
        reasons = [d["reason"] for d in dead]
        print(service, reasons)
        assert any("undecodable" in r for r in reasons) and any("invalid envelope" in r for r in reasons)
