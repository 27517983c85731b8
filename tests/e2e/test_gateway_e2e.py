"""The gateway in front of the real services, each its own process: every route family refuses
what it must, and the caller's identity (person or kiosk) reaches the service that decides."""
from __future__ import annotations

import time

import jwt
import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api

pytestmark = pytest.mark.e2e

ROUTE_FAMILIES = ["/api/auth/me", "/api/directory/units", "/api/pledges", "/api/evaluations/rounds",
                  "/api/grading/cycles",
                  "/api/feedback/cases", "/api/notifications"]


def _secret(suite) -> str:
    return (suite.workdir / "var" / "keys" / "gateway-secret").read_text().strip()


def test_every_route_family_refuses_missing_forged_expired_and_revoked_tokens(suite):
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    claims = jwt.decode(member.token, options={"verify_signature": False})
    bad = {
        "missing": None,
        "forged": jwt.encode(claims, "another-key-entirely-0123456789abcdef", algorithm="HS256"),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "expired": jwt.encode(claims | {"exp": int(time.time()) - 1}, _secret(suite), algorithm="HS256"),
    }
    for path in ROUTE_FAMILIES:
        assert member.get(path).status == 200, path
        for label, token in bad.items():
            response = Api(suite.gateway, token).get(path)
            assert response.status == 401, (path, label, response.status)
            assert response.json["error"]["code"] == "unauthorized"
    assert member.post("/api/auth/logout").status == 204
    for path in ROUTE_FAMILIES:
        assert member.get(path).status == 401, path


def test_scope_is_decided_by_the_service_with_the_identity_the_gateway_signed(suite):
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    assert member.post("/api/directory/units", {"name": "x", "kind": "committee"}).status == 403
    window = org.post("/api/directory/windows", {"name": "学生事务窗口", "unit_id": str(_id("br-students"))}).json
    device = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": "评价器"}).json
    kiosk = Api(suite.gateway)
    kiosk_headers = {"Authorization": f"Kiosk {device['credential']}"}
    # The notification service recognises the kiosk and refuses it an inbox: 403, not 401.
    assert kiosk.get("/api/notifications", headers=kiosk_headers).status == 403
    assert org.post(f"/api/directory/kiosks/{device['id']}/revoke").status == 200
    assert kiosk.get("/api/notifications", headers=kiosk_headers).status == 401


def test_the_api_documents_are_browsable_without_a_cdn(suite):
    page = Api(suite.gateway).get("/api/docs/")
    assert page.status == 200
    html = page.body.decode()
    assert "swagger-ui" in html and "/api/openapi.json" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_someone_not_logged_in_may_rate_online_only_through_the_gateway(suite):
    import uuid

    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    window = org.post("/api/directory/windows", {"name": "图书借阅窗口", "unit_id": str(_id("br-affairs"))}).json
    from tests.support.waiting import wait_for
    # online, a rating carries the token of the QR code printed at the window (finding 7 of issue #20)
    link = wait_for(lambda: (r := org.get(f"/api/ratings/windows/{window['id']}/link")).status == 200 and r.json,
                    timeout=30, message="evaluation-service to know the window")
    rating = {"client_id": str(uuid.uuid4()), "window_id": window["id"], "level": 5, "link_token": link["token"]}
    anonymous = Api(suite.gateway)
    without = anonymous.post("/api/ratings", {k: v for k, v in rating.items() if k != "link_token"})
    assert without.status == 403 and without.json["error"]["code"] == "rating_link_invalid"
    answer = anonymous.post("/api/ratings", rating)
    assert answer.status == 201 and answer.json["status"] == "accepted", answer.json
    assert anonymous.post("/api/ratings", rating).json["status"] == "duplicate"
    # Straight to the service, with no identity signed by the gateway: refused.
    direct = Api(f"http://127.0.0.1:{suite.ports['evaluation']}")
    assert direct.post("/api/ratings", rating | {"client_id": str(uuid.uuid4())}).status == 401
    # Not logged in is not enough for what needs a person.
    assert anonymous.get("/api/feedback/cases").status == 401
