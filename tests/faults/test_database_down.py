"""Fault: one service's database goes away (connections cut and refused), then comes back.
That service answers 503 with the standard body meanwhile, the others keep working, and it
recovers by itself — its consumer holds its messages and loses none."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .harness import PledgeLoad

pytestmark = pytest.mark.e2e


def _allow(admin, database: str, allowed: bool) -> None:
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                         {"d": database})


def test_one_service_without_its_database_answers_503_and_recovers(suite, pg_server):
    database = f"{suite.prefix}_notification"
    admin = make_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    load = PledgeLoad(suite)
    answers = {"notifications": [], "pledges": []}

    def cut():
        _allow(admin, database, False)
        for _ in range(20):
            answers["notifications"].append(member.get("/api/notifications"))
            answers["pledges"].append(member.get("/api/pledges?limit=1").status)

    try:
        load.run_with(cut, lambda: _allow(admin, database, True))
    finally:
        _allow(admin, database, True)
        admin.dispose()
    down = [r for r in answers["notifications"] if r.status == 503]
    assert down, [r.status for r in answers["notifications"]]
    assert all(r.json["error"]["code"] == "service_unavailable" for r in down)
    assert all(r.status in (200, 503) for r in answers["notifications"])
    assert set(answers["pledges"]) == {200}
    wait_for(lambda: member.get("/api/notifications").status == 200, timeout=30, message="recovery by itself")
    load.assert_nothing_lost_or_doubled("notification database cut")
