"""Two replicas of every worker and two web processes per service: the same final counts as one —
replicas compete on each queue, relays lock outbox rows, scheduled jobs claim each slot once."""
from __future__ import annotations


import pytest

from tests.support.suite import running_suite

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def replicated(pg_server, amqp_url, tmp_path_factory):
    with running_suite(pg_server, amqp_url, "rep", tmp_path_factory, worker_replicas=2,
                       gunicorn_workers=2) as running:
        yield running


def test_two_of_everything_gives_the_same_counts_as_one(replicated):
    assert sum(name.endswith("-worker2") for name in replicated.processes) == 5
    load = PledgeLoad(replicated)
    load.run_with(lambda: None, lambda: None)
    load.assert_nothing_lost_or_doubled("two replicas of every worker")
    assert not replicated.dead_processes()
