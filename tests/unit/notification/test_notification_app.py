"""notification-service's app on SQLite (the embedded mode): wiring, OpenAPI, and a notice end to end."""
import uuid
from datetime import date

import pytest

from pacesetter_shared.config import VARIABLES, load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.events import load_data, new_envelope, prepare_data
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from pacesetter_shared.messaging.topology import SUBSCRIPTIONS
from pacesetter_shared.uow import UnitOfWorkFactory
from notification_service.app import create_app, migrate
from notification_service.config import NotificationConfig, SmtpConfig, load_config
from notification_service.consumers import HANDLERS


def _bound(event_type: str, pattern: str) -> bool:
    return pattern == event_type or (pattern.endswith(".#") and event_type.startswith(pattern[:-1]))


def test_every_handled_event_is_bound_to_the_services_queue():
    unbound = [t for t in HANDLERS if not any(_bound(t, p) for p in SUBSCRIPTIONS["notification"])]
    assert unbound == []


@pytest.fixture
def service(tmp_path):
    settings = load_settings("notification", environ={"PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false"})
    migrate(settings)
    engine = make_engine(settings.database_url)
    gateway = load_settings("gateway", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    yield create_app(settings).test_client(), UnitOfWorkFactory(make_session_factory(engine), "notification"), \
        gateway.identity_private_key
    engine.dispose()


def _deliver(uow_factory, envelope):
    with uow_factory() as uow:
        HANDLERS[envelope.type](uow, envelope, load_data(envelope.type, envelope.version, envelope.data))


def test_a_notice_end_to_end_on_sqlite(service):
    client, uow_factory, private_key = service
    member = uuid.uuid4()
    data = {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": member, "unit_id": uuid.uuid4(),
            "kind": "instant", "title": "迎新服务", "year": 2025, "due_date": date(2025, 9, 10)}
    envelope = new_envelope("pledge.approved", 1, "test", "subject", prepare_data("pledge.approved", 1, data))
    _deliver(uow_factory, envelope)
    _deliver(uow_factory, envelope)  # SQLite keeps the one-notice-per-event-and-person guard too

    headers = {IDENTITY_HEADER: sign_identity(Identity(subject=str(member), kind="person"), private_key)}
    page = client.get("/api/notifications", headers=headers).get_json()
    assert page["total"] == 1
    assert page["items"][0]["title"] == "承诺已通过审核：《迎新服务》"
    assert page["items"][0]["created_at"].endswith("+00:00")


def test_a_kiosk_has_no_inbox(service):
    client, _, private_key = service
    kiosk = Identity(subject=str(uuid.uuid4()), kind="kiosk", window_id=str(uuid.uuid4()))
    response = client.get("/api/notifications/unread-count",
                          headers={IDENTITY_HEADER: sign_identity(kiosk, private_key)})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_openapi_lists_the_inbox(service):
    client, _, _ = service
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/api/notifications", "/api/notifications/unread-count", "/api/notifications/read-all",
            "/api/notifications/{notice_id}/read", "/api/notifications/preferences",
            "/api/notifications/deliveries/failed", "/api/notifications/deliveries/{delivery_id}/retry",
            "/api/notifications/robots", "/api/notifications/robots/{unit_id}"} <= set(paths)


def test_a_setting_is_read_from_the_environment_once_documented_and_defaults_until_then(tmp_path):
    settings = load_settings("notification", environ={"PACESETTER_VAR_DIR": str(tmp_path),
                                                      "NOTIFICATION_SMTP_HOST": "smtp.example.edu.cn"})
    expected = "smtp.example.edu.cn" if "SMTP_HOST" in VARIABLES else SmtpConfig.host
    assert load_config(settings).smtp.host == expected
    assert load_config(settings).retry == NotificationConfig().retry
