"""notification-service on its own fresh PostgreSQL database, migrated, fed events by hand."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.events import Envelope, load_data, new_envelope, prepare_data
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from pacesetter_shared.uow import UnitOfWorkFactory
from notification_service.app import create_app, migrate
from notification_service.consumers import HANDLERS

@pytest.fixture
def notification_database(fresh_database):
    """A new, empty database for one test, dropped afterwards (the shared fixture)."""
    return fresh_database("notif")


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
