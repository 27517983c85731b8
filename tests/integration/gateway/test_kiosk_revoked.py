"""A revoked kiosk is told so (#21 gap 11): 401 with its own code, the device named and when it was revoked, in
the caller's language, whatever route it calls; a kiosk whose window closed is told that instead."""
from __future__ import annotations

import re

from .conftest import DEMO, bearer

PATHS = ("/api/directory/kiosks/me", "/api/ratings/tags")  # the gateway's own part, and a proxied service


def _paired_kiosk(gateway, org) -> tuple[dict, dict, dict]:
    window = gateway.client.post("/api/directory/windows", headers=org, json={
        "name": "教务窗口", "unit_id": str(DEMO("br-affairs"))}).json
    device = gateway.client.post("/api/directory/kiosks", headers=org,
                                 json={"window_id": window["id"], "name": "1号评价器"}).json
    return window, device, {"Authorization": f"Kiosk {device['credential']}"}


def test_a_revoked_kiosk_is_told_it_was_revoked_and_when_in_both_languages(gateway, login):
    org = bearer(login("zuzhibu"))
    _window, device, kiosk = _paired_kiosk(gateway, org)
    assert gateway.client.get(PATHS[0], headers=kiosk).status_code == 200
    assert gateway.client.post(f"/api/directory/kiosks/{device['id']}/revoke", headers=org).status_code == 200
    for path in PATHS:
        zh = gateway.client.get(path, headers=kiosk | {"Accept-Language": "zh-CN"})
        en = gateway.client.get(path, headers=kiosk | {"Accept-Language": "en"})
        for answer in (zh, en):
            assert answer.status_code == 401, (path, answer.json)
            assert answer.json["error"]["code"] == "kiosk_revoked"
            assert answer.headers["WWW-Authenticate"].startswith("Kiosk ")
        assert re.fullmatch(r"该设备（1号评价器）已于 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）被吊销，请重新配对。",
                            zh.json["error"]["message"]), zh.json
        assert re.fullmatch(r"This device \(1号评价器\) was revoked on \d{4}-\d\d-\d\d \d\d:\d\d \(Beijing time\): "
                            r"pair it again\.", en.json["error"]["message"]), en.json
    # a credential that never was is still just not valid
    unknown = gateway.client.get(PATHS[0], headers={"Authorization": f"Kiosk {device['id']}.wrong-secret"})
    assert unknown.status_code == 401 and unknown.json["error"]["code"] == "unauthorized"


def test_a_kiosk_whose_window_closed_is_told_so_not_that_it_was_revoked(gateway, login):
    org = bearer(login("zuzhibu"))
    window, device, kiosk = _paired_kiosk(gateway, org)
    closed = gateway.client.patch(f"/api/directory/windows/{window['id']}", headers=org, json={"active": False})
    assert closed.status_code == 200, closed.json
    gateway.app.kiosks.forget(device["id"])  # as the revoking process would: no 5 s cache to wait out
    refused = gateway.client.get(PATHS[0], headers=kiosk | {"Accept-Language": "en"})
    assert refused.status_code == 401 and refused.json["error"]["code"] == "kiosk_revoked"
    assert refused.json["error"]["message"] == "The window of this device (1号评价器) is closed: pair it to an open window."
