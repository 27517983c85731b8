"""Real PostgreSQL and RabbitMQ for every test that needs them.

Where they come from, in order: the environment (PACESETTER_TEST_PG, PACESETTER_TEST_AMQP,
PACESETTER_TEST_REDIS; CI sets the first two to the local servers), testcontainers when a Docker engine answers, the local servers
at their usual ports. With none of these, a test that needs them is skipped with the reason —
except under CI=true, where the run fails loudly instead.
"""
from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine
from pacesetter_shared.messaging.publisher import broker_connection, topology_for

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432"
LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672//"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _docker_available() -> bool:
    try:
        import docker
        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _unavailable(what: str, hint: str):
    message = f"{what} is not reachable: {hint}"
    if IN_CI:
        pytest.fail(f"CI=true and {message}. Integration tests may not be skipped in CI.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL without a database name, e.g. postgresql://postgres@127.0.0.1:5432."""
    url = os.environ.get("PACESETTER_TEST_PG")
    if url:
        yield url.rstrip("/")
        return
    if _docker_available():
        from testcontainers.postgres import PostgresContainer
        with PostgresContainer("postgres:16-alpine", driver="psycopg") as pg:
            yield pg.get_connection_url().rsplit("/", 1)[0]
        return
    if _port_open("127.0.0.1", 5432):
        yield LOCAL_PG
        return
    _unavailable("PostgreSQL", "set PACESETTER_TEST_PG, or run Docker, or a local server on 5432")


@pytest.fixture(scope="session")
def amqp_url():
    url = os.environ.get("PACESETTER_TEST_AMQP")
    if url:
        yield url
        return
    if _docker_available():
        from testcontainers.rabbitmq import RabbitMqContainer
        with RabbitMqContainer("rabbitmq:3.13-management") as rabbit:
            params = rabbit.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}//"
        return
    if _port_open("127.0.0.1", 5672):
        yield LOCAL_AMQP
        return
    _unavailable("RabbitMQ", "set PACESETTER_TEST_AMQP, or run Docker, or a local server on 5672")


@pytest.fixture(scope="session")
def redis_url():
    """Redis for what several gateway processes share (their rate limits)."""
    url = os.environ.get("PACESETTER_TEST_REDIS")
    if url:
        yield url
        return
    if _docker_available():
        from testcontainers.redis import RedisContainer
        with RedisContainer("redis:7-alpine") as redis:
            yield f"redis://{redis.get_container_host_ip()}:{redis.get_exposed_port(6379)}/0"
        return
    if _port_open("127.0.0.1", 6379):
        yield LOCAL_REDIS
        return
    _unavailable("Redis", "set PACESETTER_TEST_REDIS, or run Docker, or a local server on 6379")


def create_database(pg_server: str, name: str) -> str:
    admin = make_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{pg_server}/{name}"


def drop_database(pg_server: str, name: str) -> None:
    admin = make_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_database(pg_server):
    """Factory: a new, empty PostgreSQL database per call, dropped after the test."""
    created = []

    def make(label: str = "t") -> str:
        name = f"t_{label}_{uuid.uuid4().hex[:10]}"
        created.append(name)
        return create_database(pg_server, name)

    yield make
    for name in created:
        drop_database(pg_server, name)


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    """One var dir per run: the identity keys every service and the gateway share."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture
def namespace(amqp_url, var_dir):
    """A unique exchange (and so unique queues) per test; all of it deleted afterwards."""
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    settings = load_settings("notification", {"BROKER_URL": amqp_url, "EVENTS_EXCHANGE": name,
                                              "PACESETTER_VAR_DIR": str(var_dir)})
    with broker_connection(settings) as conn:
        topology_for(settings).delete(conn, settings.max_retries)


@pytest.fixture
def make_settings(var_dir):
    """Factory: settings for a service from explicit values, never from the developer's environment."""

    def make(service: str, **values) -> object:
        # figures refreshed on read: a test rates, then reads (the background refresh has its own tests)
        environ = {"PACESETTER_VAR_DIR": str(var_dir), "LOG_JSON": "false", "DISCLOSURE_REFRESH_SECONDS": "0"}
        environ.update({k.upper(): str(v) for k, v in values.items()})
        return load_settings(service, environ)

    return make


@pytest.fixture(scope="session")
def suite(pg_server, amqp_url, tmp_path_factory):
    """Every service under its HTTP server and every worker as its own process, on free ports (e2e, browser)."""
    from tests.support.suite import running_suite

    with running_suite(pg_server, amqp_url, "e2e", tmp_path_factory) as running:
        yield running
