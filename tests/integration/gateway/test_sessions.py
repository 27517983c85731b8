"""Sessions end when they must: a password reset, disabling, a role change; a rotated refresh token shown again.

Each gateway process refuses an ended session at once when it ended it, and within REVOCATION_REFRESH seconds
when another process did: here a second gateway app on the same database stands for the other process.
"""
from __future__ import annotations

import time

import pytest
from werkzeug.test import Client

from gateway.app import create_app
from gateway.service.identity import REVOCATION_REFRESH

from .conftest import DEMO, bearer


@pytest.fixture
def other_process(gateway):
    """A second gateway (its own token cache and revocation list) on the first one's database."""
    return Client(create_app(gateway.settings))


def _refreshes(client, tokens) -> int:
    return client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code


def _refused_within(client, tokens, seconds: float) -> float:
    """Seconds until the other process refused the access token; fails after ``seconds``."""
    started = time.monotonic()
    while client.get("/api/auth/me", headers=bearer(tokens)).status_code == 200:
        assert time.monotonic() - started < seconds, "the other process still answers the ended session"
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_password_reset_ends_every_session_of_the_person_on_every_process(gateway, login, other_process):
    org = bearer(login("zuzhibu"))
    phone, laptop = login("liuwei"), login("liuwei")
    assert other_process.get("/api/auth/me", headers=bearer(laptop)).status_code == 200  # cached over there
    reset = gateway.client.patch(f"/api/directory/persons/{DEMO('liuwei')}", headers=org,
                                 json={"password": "violet-harbour-1987"})
    assert reset.status_code == 200, reset.json
    # at once on the process that made the change
    assert gateway.client.get("/api/auth/me", headers=bearer(phone)).status_code == 401
    assert _refreshes(gateway.client, phone) == 401 and _refreshes(gateway.client, laptop) == 401
    # within REVOCATION_REFRESH seconds on the other
    _refused_within(other_process, laptop, REVOCATION_REFRESH + 1)
    assert gateway.client.post("/api/auth/login", json={"username": "liuwei",
                                                        "password": "violet-harbour-1987"}).status_code == 200
    # the organisation department's own session, and other people's, go on
    assert gateway.client.get("/api/auth/me", headers=org).status_code == 200


def test_disabling_a_person_ends_their_sessions_at_once(gateway, login, other_process):
    org = bearer(login("zuzhibu"))
    member = login("zhaomin")
    assert other_process.get("/api/auth/me", headers=bearer(member)).status_code == 200
    disabled = gateway.client.patch(f"/api/directory/persons/{DEMO('zhaomin')}", headers=org, json={"active": False})
    assert disabled.status_code == 200 and disabled.json["active"] is False
    assert gateway.client.get("/api/auth/me", headers=bearer(member)).status_code == 401
    assert _refreshes(gateway.client, member) == 401
    _refused_within(other_process, member, REVOCATION_REFRESH + 1)
    # a change that is none of these (a new e-mail address) ends nothing
    other = login("dangyuan")
    assert gateway.client.patch(f"/api/directory/persons/{DEMO('dangyuan')}", headers=org,
                                json={"email": "chen@example.edu.cn"}).status_code == 200
    assert gateway.client.get("/api/auth/me", headers=bearer(other)).status_code == 200


def test_a_demoted_secretary_is_refused_on_the_next_request_and_logs_in_as_a_member(gateway, login):
    org = bearer(login("zuzhibu"))
    secretary = login("zhishu")
    assert {r["role"] for r in secretary["person"]["roles"]} == {"member", "branch_secretary"}
    demoted = gateway.client.patch(f"/api/directory/persons/{DEMO('zhishu')}", headers=org, json={
        "roles": [{"role": "member", "unit_id": str(DEMO("br-teachers"))}]})
    assert demoted.status_code == 200, demoted.json
    # the token that says branch_secretary is dead: a read of the branch's members is refused at the gateway
    members = f"/api/directory/units/{DEMO('br-teachers')}/members"
    assert gateway.client.get(members, headers=bearer(secretary)).status_code == 401
    again = login("zhishu")
    assert {r["role"] for r in again["person"]["roles"]} == {"member"}
    assert gateway.client.get(members, headers=bearer(again)).status_code == 403
    # sending the roles a person already has changes nothing and ends nothing
    assert gateway.client.patch(f"/api/directory/persons/{DEMO('zhishu')}", headers=org, json={
        "roles": [{"role": "member", "unit_id": str(DEMO("br-teachers"))}]}).status_code == 200
    assert gateway.client.get("/api/auth/me", headers=bearer(again)).status_code == 200


def test_a_rotated_refresh_token_shown_again_ends_the_whole_chain(gateway, login, other_process):
    client = gateway.client
    first = login("dangyuan")
    second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]}).json
    third = client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]}).json
    elsewhere = login("dangyuan")  # another login of the same person: another chain
    assert other_process.get("/api/auth/me", headers=bearer(third)).status_code == 200
    # the thief (or the victim) shows the first, long rotated, token
    assert _refreshes(client, first) == 401
    assert _refreshes(client, third) == 401  # the newest token of the chain is dead too
    assert client.get("/api/auth/me", headers=bearer(third)).status_code == 401
    _refused_within(other_process, third, REVOCATION_REFRESH + 1)
    assert client.get("/api/auth/me", headers=bearer(elsewhere)).status_code == 200
    assert _refreshes(client, elsewhere) == 200
