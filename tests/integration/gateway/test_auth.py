"""Login, expiry, refresh, logout, forged tokens — the gateway's door."""
from __future__ import annotations

import time

import jwt

from .conftest import bearer


def test_login_refresh_and_logout(gateway, login):
    client = gateway.client
    assert client.post("/api/auth/login", json={"username": "dangyuan", "password": "wrong"}).status_code == 401
    assert client.post("/api/auth/login", json={"username": "nobody", "password": "wrong"}).status_code == 401
    tokens = login("dangyuan")
    assert tokens["person"]["name"] == "陈党员"
    assert client.get("/api/auth/me", headers=bearer(tokens)).json["name"] == "陈党员"

    renewed = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200
    # Refresh tokens rotate: the used one's session is ended (shown again it ends the chain: test_sessions.py).
    assert client.get("/api/auth/me", headers=bearer(tokens)).status_code == 401

    assert client.post("/api/auth/logout", headers=bearer(renewed.json)).status_code == 204
    assert client.get("/api/auth/me", headers=bearer(renewed.json)).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": renewed.json["refresh_token"]}).status_code == 401


def _secret(gateway) -> str:
    return (gateway.settings.var_dir / "keys" / "gateway-secret").read_text().strip()


def test_expired_forged_and_algorithm_none_tokens_are_refused(gateway, login):
    tokens = login("dangyuan")
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    expired = jwt.encode(claims | {"exp": int(time.time()) - 10}, _secret(gateway), algorithm="HS256")
    forged = jwt.encode(claims, "not-the-gateway-secret-at-all-0123456789", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    promoted = jwt.encode(claims | {"idn": claims["idn"] | {"roles": [["org_department", None]]}},
                          "guessing-the-secret-fails-0123456789", algorithm="HS256")
    for token, words in ((expired, "expired"), (forged, "not valid"), (unsigned, "not valid"),
                         (promoted, "not valid")):
        response = gateway.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}",
                                                               "Accept-Language": "en"})
        assert response.status_code == 401, token
        assert words in response.json["error"]["message"]
        assert response.json["error"]["code"] == "unauthorized"


def test_a_client_cannot_speak_for_itself_with_an_identity_header(gateway, login):
    tokens = login("zuzhibu")
    # Even a real, validly signed identity is stripped when a client sends it: only the gateway's counts.
    from pacesetter_shared.identity import sign_identity, Identity, RoleGrant
    smuggled = sign_identity(Identity(subject="x", kind="person", roles=(RoleGrant("org_department", None),)),
                             gateway.private_key)
    response = gateway.client.post("/api/directory/units", json={"name": "冒名", "kind": "committee"},
                                   headers={"X-Pacesetter-Identity": smuggled})
    assert response.status_code == 401
    assert gateway.client.get("/api/auth/me", headers=bearer(tokens)).status_code == 200


def test_unknown_schemes_and_empty_credentials_are_401(gateway):
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Kiosk not-a-credential", "Kiosk 00000000-0000-0000-0000-000000000000.x"):
        assert gateway.client.get("/api/auth/me", headers={"Authorization": header}).status_code == 401, header
