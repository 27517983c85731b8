"""429 with Retry-After, counted per person, per kiosk and per client address."""
from __future__ import annotations

import pytest

from gateway.service.demo import seed
from tests.support.services import start_service


@pytest.fixture
def strict_gateway(fresh_database, make_settings):
    service = start_service("gateway", fresh_database("gwrl"), make_settings,
                            rate_limit_anonymous="3/minute", rate_limit_person="5/minute")
    seed(service.uow_factory)
    yield service
    service.engine.dispose()


def test_anonymous_callers_are_limited_per_address_and_people_per_person(strict_gateway):
    client = strict_gateway.client
    statuses = [client.get("/api/openapi.json", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get("/api/openapi.json", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert limited.status_code == 429
    assert limited.json["error"]["code"] == "too_many_requests"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # Another address has its own allowance.
    login = client.post("/api/auth/login", json={"username": "dangyuan", "password": "pacesetter2026"},
                        environ_base={"REMOTE_ADDR": "10.0.0.10"})
    assert login.status_code == 200
    bearer = {"Authorization": f"Bearer {login.json['access_token']}"}
    answers = [client.get("/api/auth/me", headers=bearer, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code
               for _ in range(6)]
    assert answers == [200] * 5 + [429]  # the person's own limit, whatever the address


def test_a_bad_rate_is_a_configuration_error_naming_the_variable(fresh_database, make_settings):
    from pacesetter_shared.config import ConfigurationError
    with pytest.raises(ConfigurationError, match="RATE_LIMIT_KIOSK"):
        start_service("gateway", fresh_database("gwbad"), make_settings, rate_limit_kiosk="lots")


def test_a_kiosk_device_has_its_own_allowance(fresh_database, make_settings):
    from gateway.service.demo import _id

    service = start_service("gateway", fresh_database("gwkiosk"), make_settings, rate_limit_kiosk="2/minute")
    seed(service.uow_factory)
    client = service.client
    org = client.post("/api/auth/login", json={"username": "zuzhibu", "password": "pacesetter2026"}).json
    bearer = {"Authorization": f"Bearer {org['access_token']}"}
    window = client.post("/api/directory/windows", headers=bearer,
                         json={"name": "窗口", "unit_id": str(_id("br-affairs"))}).json
    credential = client.post("/api/directory/kiosks", headers=bearer,
                             json={"window_id": window["id"], "name": "评价器"}).json["credential"]
    kiosk = {"Authorization": f"Kiosk {credential}"}
    answers = [client.get("/api/directory/kiosks/me", headers=kiosk).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert client.get("/api/auth/me", headers=bearer).status_code == 200  # people are counted apart
    service.engine.dispose()
