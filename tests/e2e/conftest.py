import uuid

import pytest

from tests.conftest import drop_database
from tests.support.suite import LocalSuite


@pytest.fixture(scope="session")
def suite(pg_server, amqp_url, tmp_path_factory):
    """Every service under gunicorn and every worker as its own process, on free ports."""
    prefix = f"e2e{uuid.uuid4().hex[:8]}"
    running = LocalSuite(pg_server, amqp_url, prefix, tmp_path_factory.mktemp(prefix))
    try:
        yield running.start()
    finally:
        running.stop()
        for service in running.ports:
            drop_database(pg_server, f"{prefix}_{service}")
        from pacesetter_shared.config import load_settings
        from pacesetter_shared.messaging.publisher import broker_connection, topology_for
        settings = load_settings("gateway", running.env)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)
