"""The gateway answers in the caller's language too: its own errors (login, the directory), and those of its
front — 401, 429, a service that is down — that never reach a service. Chinese unless English is asked for."""
from __future__ import annotations

import socket

from gateway.service.demo import seed
from tests.support.services import start_service

EN = {"Accept-Language": "en"}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_login_and_the_directory_answer_in_the_callers_language(gateway, login):
    client = gateway.client
    wrong = {"username": "dangyuan", "password": "not-the-password"}
    zh, en = (client.post("/api/auth/login", json=wrong, headers=h) for h in ({}, EN))
    assert zh.status_code == en.status_code == 401
    assert (zh.json["error"]["message"], zh.headers["Content-Language"]) == ("用户名或密码错误。", "zh-CN")
    assert (en.json["error"]["message"], en.headers["Content-Language"]) == ("Wrong username or password.", "en")

    org = {"Authorization": f"Bearer {login('zuzhibu')['access_token']}"}
    unit = {"name": "", "kind": "branch"}
    zh, en = (client.post("/api/directory/units", json=unit, headers=org | h) for h in ({}, EN))
    assert zh.status_code == en.status_code == 422
    assert zh.json["error"]["message"] == "请求有误，请查看各字段的说明。"
    assert en.json["error"]["message"] == "The request is not valid; see details for each field."
    assert set(zh.json["error"]["details"]) == set(en.json["error"]["details"])
    assert all("须" in m or "必填" in m or "长度" in m for msgs in zh.json["error"]["details"].values() for m in msgs)


def test_the_front_speaks_the_callers_language(fresh_database, make_settings):
    service = start_service("gateway", fresh_database("gwlang"), make_settings, rate_limit_anonymous="2/minute",
                            pledge_url=f"http://127.0.0.1:{_closed_port()}")
    seed(service.uow_factory)
    client = service.client

    scheme = {"Authorization": "Basic eDp5"}
    zh, en = (client.get("/api/auth/me", headers=scheme | h) for h in ({}, EN))
    assert zh.status_code == en.status_code == 401
    assert zh.json["error"] == {"code": "unauthorized", "message": "不支持的认证方式：人员请用 Bearer，评价器请用 Kiosk。",
                                "details": {}}
    assert en.json["error"]["message"] == "Unknown authorization scheme: use Bearer (people) or Kiosk (devices)."
    assert (zh.headers["Content-Language"], en.headers["Content-Language"]) == ("zh-CN", "en")

    # anonymous, so through to pledge-service, which is not there
    zh, en = (client.get("/api/pledges/wall", headers=h, environ_base={"REMOTE_ADDR": "10.0.0.1"})
              for h in ({}, EN))
    assert zh.status_code == en.status_code == 503 and zh.headers["Retry-After"] == "5"
    assert zh.json["error"]["message"] == "承诺服务暂不可用，其他功能不受影响。"
    assert en.json["error"]["message"] == "pledge is unavailable; other parts keep working."

    limited = client.get("/api/pledges/wall", headers={"Accept-Language": "zh-CN"},
                         environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert limited.status_code == 429
    seconds = limited.headers["Retry-After"]
    assert limited.json["error"]["message"] == f"请求过于频繁，请 {seconds} 秒后再试。"
    limited = client.get("/api/pledges/wall", headers=EN, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert limited.json["error"]["message"].startswith("Too many requests; try again in ")
    service.engine.dispose()
