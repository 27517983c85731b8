"""Logins are throttled by the account tried and by the client address, whatever Authorization they carry: failed
attempts make the next ones wait, then lock the account; the right password does not get through a lock. Every
attempt is audited. The counters are in the database, so a second gateway process keeps the same lock."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from gateway.adapters.tables import login_audit
from gateway.app import create_app
from gateway.service.demo import DEMO_PASSWORD, seed
from tests.support.services import start_service

RIGHT = {"username": "dangyuan", "password": DEMO_PASSWORD}
WRONG = {"username": "dangyuan", "password": "not-the-password"}


@pytest.fixture
def strict_gateway(fresh_database, make_settings):
    """Three failures lock an account (or an address) for two seconds; no wait before that."""
    service = start_service("gateway", fresh_database("gwlogin"), make_settings, rate_limit_anonymous="1000/minute",
                            login_delay_after=3, login_lock_after=3, login_lock_seconds=2,
                            login_address_delay_after=5, login_address_lock_after=5)
    seed(service.uow_factory)
    yield service
    service.engine.dispose()


def _login(client, body, address="10.1.0.1", **headers):
    return client.post("/api/auth/login", json=body, headers=headers, environ_base={"REMOTE_ADDR": address})


def _audit(service, username):
    with service.engine.connect() as conn:
        return conn.execute(sa.select(login_audit.c.address, login_audit.c.purpose, login_audit.c.outcome)
                            .where(login_audit.c.username == username).order_by(login_audit.c.id)).all()


def test_after_repeated_failures_even_the_right_password_waits_for_the_lock_to_end(strict_gateway):
    client = strict_gateway.client
    assert [_login(client, WRONG).status_code for _ in range(3)] == [401, 401, 401]
    locked = _login(client, RIGHT)
    assert locked.status_code == 429
    assert locked.json["error"]["code"] == "too_many_requests"
    wait = int(locked.headers["Retry-After"])
    assert 1 <= wait <= 2
    assert locked.json["error"]["message"] == f"失败次数过多：登录已锁定，请 {wait} 秒后再试。"
    english = _login(client, RIGHT, **{"Accept-Language": "en"})
    assert english.status_code == 429 and "locked for" in english.json["error"]["message"]
    # the lock holds on every gateway process: the counters are in the database
    other_process = Client(create_app(strict_gateway.settings))
    assert _login(other_process, RIGHT).status_code == 429
    assert "password" not in str(locked.json)
    time.sleep(wait + 0.2)
    assert _login(client, RIGHT).status_code == 200
    # a successful login starts the account afresh (from another address: this one has five failures to go)
    assert [_login(client, WRONG, address="10.1.0.2").status_code for _ in range(2)] == [401, 401]
    assert _login(client, RIGHT, address="10.1.0.2").status_code == 200
    assert _audit(strict_gateway, "dangyuan") == [
        *[("10.1.0.1", "login", "failed")] * 3, *[("10.1.0.1", "login", "locked")] * 3,
        ("10.1.0.1", "login", "succeeded"), *[("10.1.0.2", "login", "failed")] * 2,
        ("10.1.0.2", "login", "succeeded")]


def test_a_bearer_token_sent_along_changes_nothing_about_the_login_limits(strict_gateway, fresh_database,
                                                                         make_settings):
    client = strict_gateway.client
    other = _login(client, {"username": "zhaomin", "password": DEMO_PASSWORD}, address="10.1.0.9").json
    bearer = {"Authorization": f"Bearer {other['access_token']}"}
    # the account's failures count, whoever's token the attempts carry
    assert [_login(client, WRONG, **bearer).status_code for _ in range(3)] == [401, 401, 401]
    assert _login(client, RIGHT, **bearer).status_code == 429
    # and so do the address's: five failures at five accounts from one address lock the address
    for username in ("zhishu", "zongzhi", "jiguan", "liuwei", "nobody"):
        assert _login(client, {"username": username, "password": "wrong"}, address="10.1.0.7", **bearer
                      ).status_code == 401
    assert _login(client, {"username": "sunli", "password": DEMO_PASSWORD}, address="10.1.0.7").status_code == 429
    assert _login(client, {"username": "sunli", "password": DEMO_PASSWORD}, address="10.1.0.8").status_code == 200

    # the request rate per address (RATE_LIMIT_ANONYMOUS) holds for logins with a token as without one
    service = start_service("gateway", fresh_database("gwloginrate"), make_settings, rate_limit_anonymous="2/minute",
                            rate_limit_person="1000/minute")
    seed(service.uow_factory)
    token = _login(service.client, {"username": "zhaomin", "password": DEMO_PASSWORD}, address="10.2.0.1").json
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    answers = [_login(service.client, RIGHT, address="10.2.0.2", **bearer).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert service.client.get("/api/auth/me", headers=bearer).status_code == 200  # the token itself is fine
    service.engine.dispose()


def test_growing_waits_come_before_the_lock(fresh_database, make_settings):
    service = start_service("gateway", fresh_database("gwdelay"), make_settings, rate_limit_anonymous="1000/minute",
                            login_delay_after=2, login_lock_after=10, login_delay_seconds=2)
    seed(service.uow_factory)
    client = service.client
    assert [_login(client, WRONG).status_code for _ in range(2)] == [401, 401]
    delayed = _login(client, RIGHT)
    wait = int(delayed.headers["Retry-After"])
    assert delayed.status_code == 429 and 1 <= wait <= 2
    assert delayed.json["error"]["message"] == f"失败次数过多，请 {wait} 秒后再试。"
    time.sleep(wait + 0.1)
    assert _login(client, WRONG).status_code == 401
    assert 3 <= int(_login(client, RIGHT).headers["Retry-After"]) <= 4  # twice as long after one failure more
    assert [row.outcome for row in _audit(service, "dangyuan")] == ["failed", "failed", "delayed", "failed",
                                                                    "delayed"]
    service.engine.dispose()
