"""Fault 3: an outbox relay killed between publishing and marking. The events it had published but not
yet marked go out again when it restarts — every consumer must take the duplicate without effect.

The kill itself lands in that gap only by chance (test_killed_workers.py kills the relay at random);
here the gap is made certain: the relays are killed, and the rows they published last are put back
as "not yet marked", exactly what a kill after the broker's confirm and before the UPDATE leaves.
"""
from __future__ import annotations

import signal

import pytest
import sqlalchemy as sa

from pacesetter_shared.db import make_engine
from tests.support.waiting import wait_for

from .harness import SuiteLoad

pytestmark = pytest.mark.e2e

RELAYS = ("pledge-worker", "evaluation-worker")
REPLAYED_PER_SERVICE = 40


def _unmark_last_published(database_url: str, count: int) -> list[int]:
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            return list(conn.execute(sa.text(
                "UPDATE outbox SET published_at = NULL WHERE id IN (SELECT id FROM outbox "
                "WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT :n) RETURNING id"), {"n": count}).scalars())
    finally:
        engine.dispose()


def _still_pending(database_url: str, ids: list[int]) -> int:
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM outbox WHERE id = ANY(:ids) AND published_at IS NULL"),
                                {"ids": ids}).scalar_one()
    finally:
        engine.dispose()


def test_a_relay_killed_between_publish_and_mark_sends_duplicates_without_effect(suite):
    load = SuiteLoad(suite)
    replayed: dict[str, list[int]] = {}

    def kill_between_publish_and_mark():
        for worker in RELAYS:
            process = suite.processes[worker]
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        for worker in RELAYS:
            service = worker.removesuffix("-worker")
            replayed[service] = _unmark_last_published(suite.env[f"{service.upper()}_DATABASE_URL"],
                                                       REPLAYED_PER_SERVICE)

    def restart():
        for worker in RELAYS:
            suite.start_process(worker)

    load.run_with(kill_between_publish_and_mark, restart)
    for service, ids in replayed.items():
        url = suite.env[f"{service.upper()}_DATABASE_URL"]
        wait_for(lambda: _still_pending(url, ids) == 0, timeout=60, message=f"{service}'s relay to send them again")
    load.assert_nothing_lost_or_doubled("relay killed between publish and mark")
    print(f"  published twice: { {s: len(ids) for s, ids in replayed.items()} }")
    assert all(ids for ids in replayed.values())
    assert not suite.dead_processes()
