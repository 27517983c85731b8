"""SQLAlchemy engines, sessions and the tables every service has for its plumbing.

The plumbing tables (outbox, processed events, scheduled job runs, idempotency keys) are
the same in every service's database; each service's first migration creates them with
``create_plumbing_tables`` so that no service writes them out again.
"""
from __future__ import annotations

import functools
import time
from datetime import timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import sessionmaker

# JSONB on PostgreSQL, JSON text on SQLite.
JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, SQLite included
    (SQLite keeps no zone, so a plain DateTime comes back naive there)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: Pacesetter stores UTC-aware times only")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


# SQLite autoincrements only an INTEGER PRIMARY KEY.
BigIdType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here; SQLAlchemy would otherwise look for psycopg2."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    return url


def make_engine(url: str, **kwargs) -> sa.Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, open transactions (see "begin" below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE takes the write lock up front: two writers wait for each other instead
            # of both reading, then one failing with "database is locked" on upgrade.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
    ping = kwargs.pop("pool_pre_ping", True)
    engine = sa.create_engine(url, pool_recycle=1800, **kwargs)
    if ping:
        _ping_after_idle(engine)
    return engine


# A pooled connection back in the pool for less than this was alive a moment ago: used without a ping.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_after_idle(engine: sa.Engine) -> None:
    """SQLAlchemy's pool_pre_ping, but only for a connection idle in the pool for over a second (HikariCP's
    "alive bypass window"): under load connections come back within milliseconds, and a ping at every
    checkout was one of a kiosk rating's five round trips. A connection that dies within the window
    fails its request with a 503 and SQLAlchemy then drops every pooled connection, as without a ping."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_conn, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", float("-inf")) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:  # the pool drops it and checks out another (a fresh one after a restart)
            raise sa.exc.DisconnectionError("a pooled connection was closed by the server")


def make_session_factory(engine: sa.Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgres(bind) -> bool:
    return bind.dialect.name == "postgresql"


def dialect_insert(session, table: sa.Table):
    """An INSERT that takes ``on_conflict_do_nothing`` / ``_do_update`` on both PostgreSQL and SQLite."""
    return (postgresql.insert if is_postgres(session.get_bind()) else sqlite.insert)(table)


def insert_ignoring(session, table: sa.Table, *unique: str, returning: tuple[str, ...] = ()):
    """INSERT … ON CONFLICT (``unique``) DO NOTHING [RETURNING ``returning``], for rows given at execution.

    Built once per dialect: a consumer made it anew for every event, and building it and its cache key
    cost more CPU than sending its row."""
    return _insert_ignoring(session.get_bind().dialect.name, table, unique, returning)


@functools.cache
def _insert_ignoring(dialect: str, table: sa.Table, unique: tuple[str, ...], returning: tuple[str, ...]):
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).on_conflict_do_nothing(
        index_elements=list(unique))
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


plumbing_metadata = sa.MetaData()

outbox_table = sa.Table(
    "outbox",
    plumbing_metadata,
    sa.Column("id", BigIdType, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("envelope", JsonType, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("published_at", UtcDateTime()),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Index(
        "ix_outbox_pending", "id",
        postgresql_where=sa.text("published_at IS NULL"), sqlite_where=sa.text("published_at IS NULL"),
    ),
)

processed_events_table = sa.Table(
    "processed_events",
    plumbing_metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("processed_at", UtcDateTime(), nullable=False),
)

job_runs_table = sa.Table(
    "job_runs",
    plumbing_metadata,
    sa.Column("job", sa.String(100), primary_key=True),
    sa.Column("slot", sa.String(40), primary_key=True),
    sa.Column("claimed_by", sa.String(200), nullable=False),
    sa.Column("claimed_at", UtcDateTime(), nullable=False),
)

idempotency_keys_table = sa.Table(
    "idempotency_keys",
    plumbing_metadata,
    sa.Column("caller", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", JsonType, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)


def create_plumbing_tables(op) -> None:
    """Called by each service's first Alembic migration (plumbing schema version 1)."""
    plumbing_metadata.create_all(bind=op.get_bind())


def drop_plumbing_tables(op) -> None:
    plumbing_metadata.drop_all(bind=op.get_bind())
