"""Two replicas of every worker and two web processes per service: the same final counts as one —
replicas compete on each queue, relays lock outbox rows, scheduled jobs claim each slot once."""
from __future__ import annotations

import uuid

import pytest

from pacesetter_shared.config import load_settings
from pacesetter_shared.messaging.publisher import broker_connection, topology_for
from tests.conftest import drop_database
from tests.support.suite import LocalSuite

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def replicated(pg_server, amqp_url, tmp_path_factory):
    prefix = f"rep{uuid.uuid4().hex[:8]}"
    running = LocalSuite(pg_server, amqp_url, prefix, tmp_path_factory.mktemp(prefix), worker_replicas=2,
                         gunicorn_workers=2)
    try:
        yield running.start()
    finally:
        running.stop()
        for service in running.ports:
            drop_database(pg_server, f"{prefix}_{service}")
        settings = load_settings("gateway", running.env)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)


def test_two_of_everything_gives_the_same_counts_as_one(replicated):
    assert sum(name.endswith("-worker2") for name in replicated.processes) == 5
    load = PledgeLoad(replicated)
    load.run_with(lambda: None, lambda: None)
    load.assert_nothing_lost_or_doubled("two replicas of every worker")
    assert not replicated.dead_processes()
