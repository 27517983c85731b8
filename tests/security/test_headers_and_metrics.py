"""Security headers, the Server header and /metrics, against the deployed shape (issue 20, finding 9).

The suite here runs behind one trusted proxy (TRUSTED_PROXIES=1, as behind a TLS terminator) with an operators'
network that is not this host (METRICS_NETWORKS=192.0.2.0/24), so that a request from 127.0.0.1 is an outsider's
and a request the "proxy" says came from 192.0.2.7 is an operator's.
"""
from __future__ import annotations

import base64
import hashlib
import re
import threading
import urllib.request

import pytest

from tests.support.http import Api
from tests.support.suite import running_suite

from .support import login

pytestmark = pytest.mark.e2e

METRICS_TOKEN = "operators-scrape-token-4f1c"
COMMON = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
          "Cross-Origin-Opener-Policy": "same-origin"}


@pytest.fixture(scope="module")
def suite(pg_server, amqp_url, tmp_path_factory):
    with running_suite(pg_server, amqp_url, "hdr", tmp_path_factory, extra_env={
            "METRICS_NETWORKS": "192.0.2.0/24", "METRICS_TOKEN": METRICS_TOKEN, "TRUSTED_PROXIES": "1"}) as running:
        yield running


def _policy(headers) -> dict[str, str]:
    value = headers.get("Content-Security-Policy")
    assert value, "no Content-Security-Policy"
    return {d.split()[0]: d.split(None, 1)[1] if " " in d.strip() else "" for d in
            (part.strip() for part in value.split(";")) if d}


def _common_headers(label: str, response) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (label, name, response.headers.get(name))
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), label
    assert response.headers.get("Strict-Transport-Security") is None, (label, "HSTS over plain HTTP")


def test_every_page_and_every_api_answer_carries_the_security_headers(suite):
    member = login(suite, "dangyuan")
    anonymous = Api(suite.gateway)
    pages = {"/": anonymous.get("/"), "/kiosk": anonymous.get("/kiosk"), "/display": anonymous.get("/display"),
             "/pledges/mine (a route of the portal)": anonymous.get("/pledges/mine")}
    for label, response in pages.items():
        assert response.status == 200, label
        _common_headers(label, response)
        policy = _policy(response.headers)
        assert policy["script-src"] == "'self'", (label, policy)  # no inline script, no eval, no other origin
        assert "'unsafe-inline'" not in policy["style-src"], (label, policy)
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'", label
        assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'", label
        assert policy["form-action"] == "'self'" and policy["connect-src"] == "'self'", label

    answers = {
        "proxied to pledge-service": member.get("/api/pledges"),
        "the gateway's own": member.get("/api/auth/me"),
        "an error of a service": member.get("/api/pledges/00000000-0000-0000-0000-000000000000"),
        "an error of the gateway's Flask part": member.get("/api/directory/nothing-here"),
        "an error of the gateway's front": Api(suite.gateway, "not-a-token").get("/api/pledges"),
        "the combined OpenAPI document": anonymous.get("/api/openapi.json"),
    }
    assert [answers[k].status for k in answers] == [200, 200, 404, 404, 401, 200]
    for label, response in answers.items():
        _common_headers(label, response)
        assert _policy(response.headers) == {"default-src": "'none'", "frame-ancestors": "'none'",
                                             "base-uri": "'none'", "form-action": "'none'"}, label
    assert answers["an error of a service"].json["error"]["code"] == "not_found"


def test_the_api_documents_allow_only_their_own_inline_script(suite):
    docs = Api(suite.gateway).get("/api/docs/")
    assert docs.status == 200 and b"swagger-ui" in docs.body
    _common_headers("/api/docs/", docs)
    policy = _policy(docs.headers)
    scripts = re.findall(r"<script>(.*?)</script>", docs.body.decode(), re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    # the same script on every request, whatever Host the browser sends
    again = Api(suite.gateway).get("/api/docs/", headers={"Host": "pacesetter.example.edu.cn"})
    assert _policy(again.headers) == policy and again.body == docs.body


def test_hsts_only_when_the_trusted_proxy_says_the_request_came_over_https(suite):
    anonymous = Api(suite.gateway)
    for path in ("/", "/api/auth/me", "/api/pledges/wall"):
        assert anonymous.get(path).headers.get("Strict-Transport-Security") is None, path
        over_tls = anonymous.get(path, headers={"X-Forwarded-Proto": "https"})
        assert over_tls.headers.get("Strict-Transport-Security") == "max-age=31536000", path


def test_no_server_names_its_version(suite):
    for name, port in suite.ports.items():
        for path in ("/healthz", "/api/nothing", "/"):
            server = Api(f"http://127.0.0.1:{port}").get(path).headers.get("Server", "")
            assert not re.search(r"\d|werkzeug|python", server, re.I), (name, path, server)


def test_the_embedded_servers_name_no_version():
    from pacesetter_suite.embedded import http_server

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/") as response:
            assert response.headers.get_all("Server") == ["pacesetter"]
    finally:
        server.shutdown()


def test_metrics_answer_the_operators_network_and_the_token_only(suite):
    outsider = Api(suite.gateway)
    refused = {
        "from this host, outside the operators' network": outsider.get("/metrics"),
        "with a wrong token": outsider.get("/metrics", headers={"Authorization": "Bearer guessed"}),
        "with the token in another scheme": outsider.get("/metrics", headers={"Authorization": f"Basic {METRICS_TOKEN}"}),
        "with a person's access token": outsider.get("/metrics", headers={
            "Authorization": f"Bearer {login(suite, 'zuzhibu').token}"}),
    }
    for label, response in refused.items():
        assert response.status == 404, label
        assert response.json["error"]["code"] == "not_found", label
        assert b"pacesetter_http_request" not in response.body, label
        _common_headers(label, response)

    allowed = {
        "with the token": outsider.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}),
        "from the operators' network, behind the proxy": outsider.get("/metrics", headers={
            "X-Forwarded-For": "192.0.2.7"}),
    }
    for label, response in allowed.items():
        assert response.status == 200, label
        assert b"pacesetter_http_request_duration_seconds" in response.body, label

    # A service's own /metrics likewise, and a service believes no X-Forwarded-For (only the gateway calls it).
    for name in ("pledge", "evaluation", "grading", "notification"):
        direct = Api(f"http://127.0.0.1:{suite.ports[name]}")
        assert direct.get("/metrics").status == 404, name
        assert direct.get("/metrics", headers={"X-Forwarded-For": "192.0.2.7"}).status == 404, name
        answered = direct.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert answered.status == 200 and b"pacesetter_" in answered.body, name
