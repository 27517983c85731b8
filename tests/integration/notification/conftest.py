"""notification-service on its own fresh PostgreSQL database, migrated, fed events by hand."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.events import Envelope, load_data, new_envelope, prepare_data
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from pacesetter_shared.uow import UnitOfWorkFactory
from notification_service.app import create_app, migrate
from notification_service.consumers import HANDLERS

PG = os.environ.get("PACESETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def notification_database():
    """A new, empty database for one test, dropped afterwards."""
    name = f"t_notif_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and PostgreSQL at {PG} is not reachable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL at {PG} is not reachable (set PACESETTER_TEST_PG): {exc}")
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield urlsplit(PG)._replace(path=f"/{name}").geturl()
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass
class NotificationUnderTest:
    client: object
    uow_factory: UnitOfWorkFactory
    private_key: str

    def deliver(self, event_type: str, data: dict) -> Envelope:
        """Run the handler for a new event as the consumer would, minus the broker."""
        payload = prepare_data(event_type, 1, data)
        return self.redeliver(new_envelope(event_type, 1, "test", "subject", payload))

    def redeliver(self, envelope: Envelope) -> Envelope:
        with self.uow_factory() as uow:
            HANDLERS[envelope.type](uow, envelope, load_data(envelope.type, envelope.version, envelope.data))
        return envelope

    def headers(self, person_id: uuid.UUID) -> dict:
        identity = Identity(subject=str(person_id), kind="person")
        return {IDENTITY_HEADER: sign_identity(identity, self.private_key)}


@pytest.fixture
def notification(notification_database, tmp_path):
    environ = {"DATABASE_URL": notification_database, "PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false"}
    settings = load_settings("notification", environ=environ)
    migrate(settings)
    app = create_app(settings)
    engine = make_engine(settings.database_url)
    # only the gateway's settings carry the private key; keys are made once per var dir
    private_key = load_settings("gateway", environ={"PACESETTER_VAR_DIR": str(tmp_path)}).identity_private_key
    yield NotificationUnderTest(app.test_client(), UnitOfWorkFactory(make_session_factory(engine), "notification"),
                                private_key)
    engine.dispose()
    app.extensions["pacesetter"].engine.dispose()
