"""Pairing a kiosk or a display by a short code, as a television pairs (issue 22; RFC 8628): the device asks and
shows a code, a person confirms it in the portal and says what the device serves, the device collects its
credential once. Codes expire, are single-use and cannot be guessed quickly; a display reads with its own
credential and its own limit; revoking a device stops it."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from gateway.adapters.tables import device_pairings
from gateway.domain.pairing import POLL_INTERVAL

from .conftest import DEMO, bearer


def _start(gateway, kind="kiosk") -> dict:
    answer = gateway.client.post("/api/devices/pairings", json={"kind": kind})
    assert answer.status_code == 201, answer.json
    return answer.json


def _poll(gateway, device_code):
    return gateway.client.post("/api/devices/pairings/token", json={"device_code": device_code})


def _age(gateway, seconds: float, **where) -> None:
    """Moves a pairing's clock back (its last poll, or its whole life), as if time had passed."""
    with gateway.engine.begin() as conn:
        row = conn.execute(sa.select(device_pairings).where(
            *(getattr(device_pairings.c, k) == v for k, v in where.items()))).one()
        changes = {c: getattr(row, c) - timedelta(seconds=seconds) for c in ("created_at", "expires_at",
                                                                                "last_polled_at")
                   if getattr(row, c) is not None}
        conn.execute(sa.update(device_pairings).where(device_pairings.c.id == row.id).values(**changes))


def _window(gateway, org, unit="br-affairs") -> dict:
    return gateway.client.post("/api/directory/windows", headers=org, json={
        "name": "教务窗口", "unit_id": str(DEMO(unit))}).json


def test_a_kiosk_pairs_by_its_code_and_collects_its_credential_once(gateway, login):
    org = bearer(login("zuzhibu"))
    window = _window(gateway, org)
    started = _start(gateway)
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", started["user_code"])
    assert started["verification_uri_complete"].endswith(f"/devices/pair?code={started['user_code']}")
    assert (started["expires_in"], started["interval"]) == (600, POLL_INTERVAL)
    waiting = _poll(gateway, started["device_code"])
    assert waiting.status_code == 400 and waiting.json["error"]["code"] == "authorization_pending"
    # polled again at once: told to slow down
    assert _poll(gateway, started["device_code"]).json["error"]["code"] == "slow_down"

    # a person types the code as they read it (lower case, no dash) and sees what waits
    typed = started["user_code"].replace("-", "").lower()
    seen = gateway.client.get(f"/api/devices/pairings/{typed}", headers=org)
    assert seen.status_code == 200 and seen.json["kind"] == "kiosk"
    approved = gateway.client.post(f"/api/devices/pairings/{typed}/approve", headers=org,
                                   json={"name": "2号评价器", "window_id": window["id"]})
    assert approved.status_code == 201, approved.json
    assert (approved.json["kind"], approved.json["window_id"]) == ("kiosk", window["id"])
    assert "credential" not in approved.json  # the person never sees the device's secret

    _age(gateway, POLL_INTERVAL, user_code=started["user_code"].replace("-", ""))
    collected = _poll(gateway, started["device_code"])
    assert collected.status_code == 200, collected.json
    credential = collected.json["credential"]
    assert credential.startswith(f"{approved.json['id']}.")
    kiosk = {"Authorization": f"Kiosk {credential}"}
    assert gateway.client.get("/api/directory/kiosks/me", headers=kiosk).json["name"] == "教务窗口"
    me = gateway.client.get("/api/devices/me", headers=kiosk).json
    assert (me["kind"], me["window_id"]) == ("kiosk", window["id"])

    # single use: neither the device code nor the user code works again
    _age(gateway, POLL_INTERVAL, user_code=started["user_code"].replace("-", ""))
    again = _poll(gateway, started["device_code"])
    assert again.status_code == 400 and again.json["error"]["code"] == "expired_token"
    assert gateway.client.get(f"/api/devices/pairings/{typed}", headers=org).status_code == 404
    # the stored secret is a hash: the device code is nowhere in the clear
    with gateway.engine.connect() as conn:
        stored = [str(v) for row in conn.execute(sa.text("SELECT * FROM kiosk_devices")).all() for v in row]
    assert not any(started["device_code"] in v for v in stored)


def test_an_expired_code_is_refused_to_the_person_and_to_the_device(gateway, login):
    org = bearer(login("zuzhibu"))
    window = _window(gateway, org)
    started = _start(gateway)
    code = started["user_code"]
    _age(gateway, 601, user_code=code.replace("-", ""))
    gone = gateway.client.post(f"/api/devices/pairings/{code}/approve", headers=org,
                               json={"name": "迟到的评价器", "window_id": window["id"]})
    assert gone.status_code == 404 and gone.json["error"]["code"] == "not_found"
    assert "显示新的配对码" in gateway.client.get(f"/api/devices/pairings/{code}", headers=org).json["error"]["message"]
    expired = _poll(gateway, started["device_code"])
    assert expired.status_code == 400 and expired.json["error"]["code"] == "expired_token"
    assert _poll(gateway, "never-given").json["error"]["code"] == "invalid_grant"


def test_guessing_codes_is_slowed_down_per_person(gateway, login):
    member = bearer(login("zhishu"))
    answers = [gateway.client.get("/api/devices/pairings/BBBB-BBBB", headers=member).status_code for _ in range(12)]
    assert answers[:10] == [404] * 10
    assert answers[10:] == [429, 429]
    # someone else is not held back by it
    assert gateway.client.get("/api/devices/pairings/BBBB-BBBB", headers=bearer(login("zuzhibu"))).status_code == 404


def test_only_the_window_s_secretaries_or_the_organisation_department_confirm(gateway, login):
    org = bearer(login("zuzhibu"))
    window = _window(gateway, org, unit="br-affairs")
    started = _start(gateway)
    member = bearer(login("dangyuan"))
    refused = gateway.client.post(f"/api/devices/pairings/{started['user_code']}/approve", headers=member,
                                  json={"name": "评价器", "window_id": window["id"]})
    assert refused.status_code == 403
    # a kiosk serves a window; a unit is refused with the reason
    wrong = gateway.client.post(f"/api/devices/pairings/{started['user_code']}/approve", headers=org,
                                json={"name": "评价器", "unit_id": str(DEMO("br-affairs"))})
    assert wrong.status_code == 409 and "请选择服务窗口" in wrong.json["error"]["message"]
    # the code is still there for the right person after those refusals
    assert gateway.client.get(f"/api/devices/pairings/{started['user_code']}", headers=org).status_code == 200


def test_a_display_pairs_to_a_unit_reads_with_its_own_credential_and_stops_when_revoked(gateway, login):
    org = bearer(login("zuzhibu"))
    started = _start(gateway, "display")
    approved = gateway.client.post(f"/api/devices/pairings/{started['user_code']}/approve", headers=org,
                                   json={"name": "一楼大厅显示屏", "unit_id": str(DEMO("br-affairs"))})
    assert approved.status_code == 201, approved.json
    assert (approved.json["kind"], approved.json["unit_id"], approved.json["window_id"]) == (
        "display", str(DEMO("br-affairs")), None)
    _age(gateway, POLL_INTERVAL, user_code=started["user_code"].replace("-", ""))
    display = {"Authorization": f"Kiosk {_poll(gateway, started['device_code']).json['credential']}"}
    me = gateway.client.get("/api/devices/me", headers=display)
    assert me.status_code == 200 and me.json["unit_id"] == str(DEMO("br-affairs"))
    # a display reads what it shows, and does nothing else: no person's route, no kiosk's
    assert gateway.client.get("/api/directory/kiosks/me", headers=display).status_code == 403
    assert gateway.client.get("/api/directory/persons", headers=display).status_code == 403
    public = gateway.client.get(f"/api/directory/units/{DEMO('br-affairs')}/public", headers=display)
    assert public.status_code == 200
    # revoked in the portal: refused at once by this process
    assert gateway.client.post(f"/api/directory/kiosks/{approved.json['id']}/revoke", headers=org).status_code == 200
    stopped = gateway.client.get("/api/devices/me", headers=display)
    assert stopped.status_code == 401 and stopped.json["error"]["code"] == "kiosk_revoked"


def test_a_display_has_its_own_rate_limit_not_the_anonymous_one(fresh_database, make_settings):
    from gateway.service.demo import seed
    from tests.support.services import start_service

    gateway = start_service("gateway", fresh_database("gw"), make_settings, rate_limit_anonymous="3/minute",
                            rate_limit_display="50/minute")
    seed(gateway.uow_factory)
    try:
        tokens = gateway.client.post("/api/auth/login", json={"username": "zuzhibu", "password": "pacesetter2026"})
        org = bearer(tokens.json)
        started = _start(gateway, "display")
        gateway.client.post(f"/api/devices/pairings/{started['user_code']}/approve", headers=org,
                            json={"name": "显示屏", "unit_id": str(DEMO("br-affairs"))})
        _age(gateway, POLL_INTERVAL, user_code=started["user_code"].replace("-", ""))
        display = {"Authorization": f"Kiosk {_poll(gateway, started['device_code']).json['credential']}"}
        path = f"/api/directory/units/{DEMO('br-affairs')}/public"
        # several screens behind one campus address: anonymous readers run out, the display does not
        anonymous = [gateway.client.get(path).status_code for _ in range(5)]
        assert 429 in anonymous
        assert {gateway.client.get(path, headers=display).status_code for _ in range(20)} == {200}
    finally:
        gateway.engine.dispose()


def test_a_pairing_started_lives_ten_minutes(gateway):
    before = datetime.now(timezone.utc)
    started = _start(gateway)
    with gateway.engine.connect() as conn:
        expires = conn.execute(sa.select(device_pairings.c.expires_at).where(
            device_pairings.c.user_code == started["user_code"].replace("-", ""))).scalar_one()
    assert timedelta(minutes=10) <= expires - before <= timedelta(minutes=10, seconds=5)
