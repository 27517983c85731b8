"""Issue #20, finding 7, in the deployed shape (every service its own process, through the gateway): without
login, a rating could name anyone as on duty — feeding their 服务标兵 figures and opening a case on them — and
be dated 1900-01-01; a kiosk could name anyone too. Now an online rating needs the window's current rating
link (评价二维码), names only someone on duty there, and is at most minutes old; a kiosk's at most two days."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from gateway.service.demo import _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .support import kiosk_api, login, rating_link, rows

pytestmark = pytest.mark.e2e

LONG_AGO = "1900-01-01T00:00:00+00:00"


def _ago(**span) -> str:
    return (datetime.now(timezone.utc) - timedelta(**span)).isoformat()


def test_forged_on_duty_and_back_dated_ratings_are_refused_online_and_from_a_kiosk(suite):
    org = login(suite, "zuzhibu")
    window = org.post("/api/directory/windows", {
        "name": f"诚信评价窗口{uuid.uuid4().hex[:6]}", "unit_id": str(_id("br-teachers")),
        "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("liuwei"))]}).json
    device = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": "诚信评价器"}).json
    wait_for(lambda: rows(suite, "evaluation", "SELECT 1 FROM dir_windows WHERE id = :w", w=window["id"]),
             timeout=30, message="evaluation-service to know the window")
    token = rating_link(suite, window)
    anonymous = Api(suite.gateway)
    kiosk, kiosk_headers = kiosk_api(suite, device)
    victim = str(_id("dangyuan"))  # a member who never served this window
    sent = []

    def rate(api, headers=None, **fields):
        body = {"client_id": uuid.uuid4().hex, "window_id": window["id"], "level": 1, **fields}
        sent.append(body["client_id"])
        return api.post("/api/ratings", body, headers=headers or {})

    refused = {
        "no link": rate(anonymous, on_duty_id=victim),
        "a made-up link": rate(anonymous, link_token="x" * 32, on_duty_id=victim),
        "forged on duty": rate(anonymous, link_token=token, on_duty_id=victim),
        "1900": rate(anonymous, link_token=token, rated_at=LONG_AGO),
        "an hour old online": rate(anonymous, link_token=token, rated_at=_ago(hours=1)),
        "from the future": rate(anonymous, link_token=token, rated_at=_ago(minutes=-30)),
        "kiosk forged on duty": rate(kiosk, kiosk_headers, on_duty_id=victim),
        "kiosk 1900": rate(kiosk, kiosk_headers, rated_at=LONG_AGO),
        "kiosk three days old": rate(kiosk, kiosk_headers, rated_at=_ago(days=3)),
    }
    assert {why: r.status for why, r in refused.items()} == {
        "no link": 403, "a made-up link": 403, "forged on duty": 422, "1900": 422, "an hour old online": 422,
        "from the future": 422, "kiosk forged on duty": 422, "kiosk 1900": 422, "kiosk three days old": 422}
    assert {r.json["error"]["code"] for r in list(refused.values())[:2]} == {"rating_link_invalid"}
    assert "on_duty_id" in refused["forged on duty"].json["error"]["details"]
    assert "rated_at" in refused["1900"].json["error"]["details"]

    # a kiosk's batch: the forged and the too old items refused with their reasons, the honest one kept
    batch = kiosk.post("/api/ratings/batch", {"ratings": [
        {"client_id": f"forged-{uuid.uuid4().hex}", "level": 1, "on_duty_id": victim},
        {"client_id": f"old-{uuid.uuid4().hex}", "level": 1, "rated_at": LONG_AGO},
        {"client_id": f"queued-{uuid.uuid4().hex}", "level": 5, "on_duty_id": str(_id("liuwei")),
         "rated_at": _ago(hours=20)}]}, headers=kiosk_headers).json
    assert [(i["status"], sorted((i.get("error") or {}).get("details", {}))) for i in batch["items"]] == [
        ("rejected", ["on_duty_id"]), ("rejected", ["rated_at"]), ("accepted", [])]

    # the honest ones are taken: online by the printed link, naming who is on duty (or the responsible person)
    assert rate(anonymous, link_token=token, on_duty_id=str(_id("liuwei"))).status == 201
    assert rate(anonymous, link_token=token, on_duty_id=str(_id("zhishu")), rated_at=_ago(minutes=5)).status == 201
    assert rate(kiosk, kiosk_headers, on_duty_id=str(_id("liuwei")), rated_at=_ago(hours=40),
                level=5).status == 201

    # nothing of the refused ones was stored, nobody's figures were fed, no case was opened on them
    stored = rows(suite, "evaluation", "SELECT client_id, on_duty_id, rated_at FROM window_ratings WHERE window_id = :w",
                  w=window["id"])
    assert len(stored) == 4 and not any(r.on_duty_id and str(r.on_duty_id) == victim for r in stored)
    assert min(r.rated_at for r in stored) > datetime.now(timezone.utc) - timedelta(hours=48)
    assert not {r.client_id for r in stored} & set(sent[:len(refused)])
    cases = rows(suite, "evaluation", "SELECT 1 FROM followup_cases WHERE window_id = :w", w=window["id"])
    assert len(cases) == 2  # the two honest bad ratings online; the kiosk's were good

    # renewed by the organisation department: the printed link is dead at once, for the page and the rating
    renewed = org.post(f"/api/ratings/windows/{window['id']}/link").json["token"]
    assert rate(anonymous, link_token=token).status == 403
    assert anonymous.get(f"/api/ratings/windows/{window['id']}/public?t={token}").status == 403
    page = anonymous.get(f"/api/ratings/windows/{window['id']}/public?t={renewed}")
    assert page.status == 200 and [p["name"] for p in page.json["on_duty"]] == ["刘伟"]
    assert rate(anonymous, link_token=renewed).status == 201
