"""The web pool pings a connection only after it sat idle, and replaces one the server closed meanwhile."""
from __future__ import annotations

import sqlalchemy as sa

from pacesetter_shared import db
from pacesetter_shared.db import make_engine
from tests.support.statements import DriverStatements


def _pings(sent: DriverStatements) -> int:
    # SQLAlchemy's ping on PostgreSQL is the empty statement
    return sum(1 for text in sent.texts if text in (";", "SELECT 1"))


def _terminate(engine: sa.Engine) -> None:
    """The server ends the pooled connection's backend, as a restart of PostgreSQL would."""
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with make_engine(engine.url.render_as_string(hide_password=False), poolclass=sa.pool.NullPool).connect() as other:
        assert other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()


def test_a_connection_back_in_the_pool_a_moment_ago_is_used_without_a_ping(fresh_database):
    engine = make_engine(fresh_database("ping"), pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:  # a new connection: alive, no ping
            conn.execute(sa.text("SELECT 2"))
        with DriverStatements() as sent:
            for _ in range(5):
                with engine.connect() as conn:
                    assert conn.execute(sa.text("SELECT 2")).scalar_one() == 2
        assert _pings(sent) == 0, sent.texts
    finally:
        engine.dispose()


def test_an_idle_connection_the_server_closed_is_replaced_before_use(fresh_database, monkeypatch):
    engine = make_engine(fresh_database("ping"), pool_size=1, max_overflow=0)
    try:
        _terminate(engine)
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # every checkout counts as after a long idle
        with DriverStatements() as sent, engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 2")).scalar_one() == 2
        assert _pings(sent) == 2, sent.texts  # the dead connection's, then the fresh one's
    finally:
        engine.dispose()


def test_without_the_ping_the_dead_connection_fails_its_first_use(fresh_database):
    """What the ping is for (and the worker's engines live with, retrying): the check above can fail."""
    engine = make_engine(fresh_database("ping"), pool_size=1, max_overflow=0, pool_pre_ping=False)
    try:
        _terminate(engine)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 2"))
            failed = False
        except sa.exc.OperationalError:
            failed = True
        assert failed
    finally:
        engine.dispose()
