"""Tokens and credentials against the deployed shape: what the gateway and every service refuse.

Covered elsewhere and not repeated here: expired, forged and ``alg: none`` access tokens on every
route family (tests/e2e/test_gateway_e2e.py), refresh rotation and logout (tests/integration/gateway/
test_auth.py). Here: keys that are real but not the right ones, identities a service gets without the
gateway, revoked refresh tokens and chains, sessions ended on one gateway process seen from another, and kiosks.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from contextlib import contextmanager

import jwt
import pytest

from gateway.service.identity import REVOCATION_REFRESH
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, RoleGrant, generate_keypair, sign_identity
from tests.support.http import Api
from tests.support.suite import free_port
from tests.support.waiting import wait_for

from .support import gateway_secret, identity_private_key, kiosk_api, login, rows, window_with_kiosk

pytestmark = pytest.mark.e2e

# A read every service answers for a logged-in member: the service itself, not the gateway, decides.
SERVICE_READS = {"pledge": "/api/pledges", "evaluation": "/api/evaluations/rounds",
                 "grading": "/api/grading/cycles", "notification": "/api/notifications"}
ORG = Identity(subject=str(uuid.uuid4()), kind="person", name="冒名者",
               roles=(RoleGrant("org_department", None), RoleGrant("ops_admin", None)))


def test_access_tokens_signed_with_another_key_or_algorithm_are_refused(suite):
    member = login(suite, "dangyuan")
    claims = jwt.decode(member.token, options={"verify_signature": False})
    _public, other_private = generate_keypair()
    refused = {
        # the services' Ed25519 identity key is not the access-token key
        "identity key (EdDSA)": jwt.encode(claims, identity_private_key(suite), algorithm="EdDSA"),
        "another Ed25519 key": jwt.encode(claims, other_private, algorithm="EdDSA"),
        "right secret, other HMAC": jwt.encode(claims, gateway_secret(suite), algorithm="HS512"),
        "promoted with a guessed secret": jwt.encode(
            claims | {"idn": claims["idn"] | {"roles": [["org_department", None]]}}, "x" * 40, algorithm="HS256"),
        "not yet issued": jwt.encode(claims | {"iat": int(time.time()) + 3600, "nbf": int(time.time()) + 3600},
                                     gateway_secret(suite), algorithm="HS256"),
    }
    assert member.get("/api/auth/me").status == 200
    for label, token in refused.items():
        for path in ("/api/auth/me", *SERVICE_READS.values()):
            response = Api(suite.gateway, token).get(path)
            assert response.status == 401, (label, path, response.status)
            assert response.json["error"]["code"] == "unauthorized"


def test_a_service_called_directly_accepts_only_the_gateways_signed_identity(suite):
    _public, other_private = generate_keypair()
    real = identity_private_key(suite)
    for service, path in SERVICE_READS.items():
        direct = Api(f"http://127.0.0.1:{suite.ports[service]}")
        member = login(suite, "dangyuan")
        me = member.get("/api/auth/me").json
        person = Identity(subject=me["id"], kind="person", name=me["name"], unit_id=me.get("unit_id"),
                          roles=tuple(RoleGrant(r["role"], r.get("unit_id")) for r in me["roles"]))
        attempts = {
            "no identity": {},
            "a bearer token instead": {"Authorization": f"Bearer {member.token}"},
            "signed with another service's key": {IDENTITY_HEADER: sign_identity(ORG, other_private)},
            "expired": {IDENTITY_HEADER: sign_identity(person, real, ttl_seconds=-10)},
            "unsigned": {IDENTITY_HEADER: jwt.encode(ORG.to_claims() | {
                "aud": "pacesetter-services", "iss": "pacesetter-gateway", "exp": int(time.time()) + 60},
                None, algorithm="none")},
            "for another audience": {IDENTITY_HEADER: jwt.encode(ORG.to_claims() | {
                "aud": "somewhere-else", "iss": "pacesetter-gateway", "exp": int(time.time()) + 60},
                real, algorithm="EdDSA")},
        }
        for label, headers in attempts.items():
            response = direct.get(path, headers=headers)
            assert response.status == 401, (service, label, response.status, response.json)
            assert response.json["error"]["code"] == "unauthorized"
        # The control: the same call with an identity the gateway's key signed is answered.
        assert direct.get(path, headers={IDENTITY_HEADER: sign_identity(person, real)}).status == 200, service


def test_a_rotated_refresh_token_shown_again_ends_its_chain_and_nothing_else(suite):
    first = Api(suite.gateway).post("/api/auth/login", {"username": "liuwei", "password": "pacesetter2026"}).json
    rotated = Api(suite.gateway).post("/api/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert rotated.status == 200
    elsewhere = login(suite, "liuwei")  # another login: another chain
    again = Api(suite.gateway).post("/api/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert again.status == 401 and again.json["error"]["code"] == "unauthorized"
    # RFC 9700: the newer token of the chain ends with it, refresh and access token alike
    assert Api(suite.gateway).post("/api/auth/refresh", {"refresh_token": rotated.json["refresh_token"]}).status == 401
    assert Api(suite.gateway, rotated.json["access_token"]).get("/api/pledges").status == 401
    assert elsewhere.get("/api/pledges").status == 200
    assert elsewhere.post("/api/auth/logout").status == 204
    assert elsewhere.get("/api/auth/me").status == 401
    forged = jwt.encode({"sub": first["person"]["id"], "typ": "refresh"}, gateway_secret(suite), algorithm="HS256")
    assert Api(suite.gateway).post("/api/auth/refresh", {"refresh_token": forged}).status == 401
    assert Api(suite.gateway).post("/api/auth/refresh", {"refresh_token": "x" * 4000}).status in (401, 422)


def _answers(base: str) -> bool:
    try:
        return Api(base).get("/readyz").status == 200
    except OSError:  # not listening yet
        return False


@contextmanager
def another_gateway_process(suite):
    """A second gateway process beside the suite's, on its database: its own token cache and revocation list."""
    argv = list(suite.specs["gateway-web"].argv)
    port = free_port()
    argv[argv.index("--port") + 1] = str(port)
    log = open(suite.workdir / "gateway-web-2.log", "ab")
    process = subprocess.Popen(argv, env=suite.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), timeout=60, interval=0.3, message="the second gateway process")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
        log.close()


def test_a_password_reset_on_one_gateway_process_ends_the_session_on_another_within_seconds(suite):
    org = login(suite, "zuzhibu")
    username = f"reset-{uuid.uuid4().hex[:8]}"
    person = org.post("/api/directory/persons", {"username": username, "password": "first-lantern-2041",
                                                 "name": "重置测试", "roles": []})
    assert person.status == 201, person.json
    tokens = Api(suite.gateway).post("/api/auth/login", {"username": username, "password": "first-lantern-2041"}).json
    with another_gateway_process(suite) as other:
        there = Api(other, tokens["access_token"])
        assert there.get("/api/auth/me").status == 200  # known, and cached, over there
        reset = org.request("PATCH", f"/api/directory/persons/{person.json['id']}", {"password": "second-meadow-7310"})
        assert reset.status == 200, reset.json
        started = time.monotonic()
        wait_for(lambda: there.get("/api/auth/me").status == 401, timeout=REVOCATION_REFRESH + 2, interval=0.1,
                 message="the other gateway process to end the session")
        assert time.monotonic() - started <= REVOCATION_REFRESH + 1
        assert there.get("/api/pledges").status == 401  # no service is reached with it either
        assert Api(other).post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status == 401
        assert Api(other).login(username, "second-meadow-7310").get("/api/auth/me").status == 200


def test_a_kiosk_rates_only_its_own_window_and_not_once_revoked(suite):
    window, device = window_with_kiosk(suite)
    other_window, _other = window_with_kiosk(suite)
    api, headers = kiosk_api(suite, device)
    own = {"client_id": uuid.uuid4().hex, "level": 5}
    assert api.post("/api/ratings", own, headers=headers).status == 201
    foreign = {"client_id": uuid.uuid4().hex, "level": 1, "window_id": other_window["id"]}
    refused = api.post("/api/ratings", foreign, headers=headers)
    assert refused.status == 403 and refused.json["error"]["code"] == "forbidden", refused.json
    batch = api.post("/api/ratings/batch", {"ratings": [foreign, {"client_id": uuid.uuid4().hex, "level": 4}]},
                     headers=headers)
    assert batch.status == 200
    assert [i["status"] for i in batch.json["items"]] == ["rejected", "accepted"]
    assert batch.json["items"][0]["error"]["code"] == "forbidden"
    # Nothing of the foreign rating was stored, for either window.
    assert rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE client_id = :c", c=foreign["client_id"]) == []
    assert len(rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE window_id = :w", w=window["id"])) == 2

    org = login(suite, "zuzhibu")
    assert org.post(f"/api/directory/kiosks/{device['id']}/revoke").status == 200
    # Refused by every gateway process within the cache's few seconds; this suite runs one.
    late = {"client_id": uuid.uuid4().hex, "level": 5}
    for path, body in (("/api/ratings", late), ("/api/ratings/batch", {"ratings": [late]})):
        response = api.post(path, body, headers=headers | {"Accept-Language": "en"})
        assert response.status == 401, (path, response.status)
        assert "revoked" in response.json["error"]["message"]
        assert "吊销" in api.post(path, body, headers=headers).json["error"]["message"]  # Chinese by default
    assert rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE client_id = :c", c=late["client_id"]) == []
    # A wrong secret for a real device is no better.
    wrong = {"Authorization": f"Kiosk {device['id']}.not-the-secret"}
    assert api.post("/api/ratings", late, headers=wrong).status == 401
