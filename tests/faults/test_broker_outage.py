"""Fault: RabbitMQ stopped for 20 seconds under load, then started again (the scenario's own time).

The portal keeps answering reads; workers and relays reconnect without a restart.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e

OUTAGE_SECONDS = 20


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture
def broker_control():
    if not shutil.which("rabbitmqctl"):
        message = "rabbitmqctl is not here: this fault test stops and starts the local RabbitMQ"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield
    _rabbitmqctl("start_app")  # whatever happened, leave the broker running for what comes next


def test_an_outage_of_the_broker_loses_and_doubles_nothing(suite, broker_control):
    load = PledgeLoad(suite)

    def outage():
        _rabbitmqctl("stop_app")
        time.sleep(OUTAGE_SECONDS)  # the fault itself lasts this long: the scenario, not a wait

    load.run_with(outage, lambda: _rabbitmqctl("start_app"))
    load.assert_nothing_lost_or_doubled("broker stopped 20 s")
    assert load.reads_during_fault and set(load.reads_during_fault) == {200}
    assert not suite.dead_processes()
