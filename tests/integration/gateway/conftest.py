import pytest

from gateway.service.demo import _id, seed
from tests.support.services import start_service


@pytest.fixture
def gateway(fresh_database, make_settings):
    """The gateway with the demo directory, its front (proxy + auth) under test; services are not running."""
    service = start_service("gateway", fresh_database("gw"), make_settings, rate_limit_anonymous="1000/minute")
    seed(service.uow_factory)
    yield service
    service.engine.dispose()


@pytest.fixture
def login(gateway):
    def as_user(username: str) -> dict:
        response = gateway.client.post("/api/auth/login", json={"username": username, "password": "pacesetter2026"})
        assert response.status_code == 200, response.json
        return response.json
    return as_user


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


DEMO = _id
