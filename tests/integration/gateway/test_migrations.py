"""The gateway's migrations build exactly the tables its code maps; sessions from before chains become chains of
their own, on PostgreSQL and on the embedded mode's SQLite."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from gateway.adapters.tables import auth_sessions, metadata, persons
from gateway.app import MIGRATIONS
from pacesetter_shared import migrations
from pacesetter_shared.db import make_engine
from tests.support.migrations import schema_differences


def test_the_migrated_schema_matches_the_tables(gateway):
    assert schema_differences(gateway.engine, metadata) == []


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_sessions_from_before_chains_each_start_their_own(backend, fresh_database, tmp_path):
    url = fresh_database("gwmig") if backend == "postgresql" else f"sqlite:///{tmp_path}/gateway.sqlite"
    migrations.upgrade(MIGRATIONS, url, "0002")
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    person, sessions, now = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()], datetime.now(timezone.utc)
    with engine.begin() as conn:  # only the columns 0002 has
        conn.execute(sa.insert(persons).values(id=person, name="甲", language="zh", category="member",
                                               member_status="full", exemptions=[], active=True, revision=1,
                                               created_at=now))
        for number, session in enumerate(sessions):
            conn.execute(sa.insert(auth_sessions).values(id=session, person_id=person, refresh_hash=f"{number:064d}",
                                                         created_at=now, expires_at=now + timedelta(days=14)))
    migrations.upgrade(MIGRATIONS, url)
    with engine.connect() as conn:
        chains = dict(conn.execute(sa.select(auth_sessions.c.id, auth_sessions.c.chain_id)).all())
    assert chains == {session: session for session in sessions}
    engine.dispose()
