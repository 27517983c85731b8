"""Against PostgreSQL, honest ratings (issue #20, finding 7): an online rating needs the window's current rating
link (评价二维码), rotated by the organisation department; only someone on duty at the window may be named,
from a kiosk as online; a rating is neither from the future nor older than a kiosk's queue (48 h) or a phone's
minutes (10 min); a window takes only so many online ratings in a span, counted in the database."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import window_ratings
from evaluation_service.config import load_config
from pacesetter_shared.config import ConfigurationError
from pacesetter_shared.identity import ANONYMOUS
from tests.integration.evaluation.conftest import org_with_windows
from tests.integration.evaluation.test_window_ratings import kiosk, stored
from tests.support.services import start_service

RATINGS = "/api/ratings"


def link(s, who, window_id):
    response = s.client.get(f"{RATINGS}/windows/{window_id}/link", headers=s.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def online(s, window_id, token, who=ANONYMOUS, **rating):
    body = {"client_id": uuid.uuid4().hex, "level": 5, "window_id": str(window_id), **rating}
    if token is not None:
        body["link_token"] = token
    return s.client.post(RATINGS, json=body, headers=s.headers(who))


def ago(**span) -> str:
    return (datetime.now(timezone.utc) - timedelta(**span)).isoformat()


def test_an_online_rating_needs_the_windows_current_link_and_a_rotated_one_stops_at_once(evaluation_service, org):
    s = evaluation_service
    # as today's finding was: no login, no link, any window
    refused = online(s, org.window, None)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "rating_link_invalid"
    assert "link_token" in refused.json["error"]["details"] and "二维码" in refused.json["error"]["message"]
    assert online(s, org.window, "guessed-token").status_code == 403
    surrogate = s.client.post(RATINGS, data='{"client_id": "s", "level": 5, "window_id": "%s", "link_token": "a\\ud800"}'
                              % org.window, content_type="application/json", headers=s.headers(ANONYMOUS))
    for malformed in (surrogate, online(s, org.window, "a b"), online(s, org.window, "x" * 65)):
        # never one of ours: said beside the field, never a 500
        assert malformed.status_code == 422 and "link_token" in malformed.json["error"]["details"], malformed.json
    assert stored(s) == []

    # who manages the window reads its link: its secretary, the general branch above, 组织部, ops
    ops = org.add_person("孙运维", None, [("ops_admin", None)])
    first = link(s, org.secretary, org.window)
    assert first["url"] == f"/rate/{org.window}?t={first['token']}" and len(first["token"]) >= 24
    assert [link(s, who, org.window)["token"] for who in (org.reviewer, org.org, ops)] == [first["token"]] * 3
    for outsider in (org.member, org.peer, org.outsider_reviewer, kiosk(org.window)):
        assert s.client.get(f"{RATINGS}/windows/{org.window}/link", headers=s.headers(outsider)).status_code == 403
    assert s.client.get(f"{RATINGS}/windows/{uuid.uuid4()}/link", headers=s.headers(org.org)).status_code == 404
    other = link(s, org.secretary, org.other_window)
    assert other["token"] != first["token"]

    taken = online(s, org.window, first["token"], reasons=["热情周到"])
    assert taken.status_code == 201 and taken.json["status"] == "accepted", taken.json
    by_member = online(s, org.window, first["token"], who=org.masses[0])  # logged in: the link all the same
    assert by_member.status_code == 201
    assert online(s, org.window, None, who=org.masses[0]).status_code == 403
    assert online(s, org.window, other["token"]).status_code == 403  # another window's link
    assert {(r.source, r.window_id) for r in stored(s)} == {("online", org.window)} and len(stored(s)) == 2

    # the public page reads the window and who is on duty, with the link only
    page = s.client.get(f"{RATINGS}/windows/{org.window}/public", query_string={"t": first["token"]},
                        headers=s.headers(ANONYMOUS))
    assert page.status_code == 200, page.json
    assert (page.json["name"], sorted((p["name"], p["id"]) for p in page.json["on_duty"])) == (
        "教务服务窗口", sorted([("刘伟", org.peer.subject), ("赵敏", org.peer2.subject)]))
    assert set(page.json["on_duty"][0]) == {"id", "name"}  # names only: no party status, unit or account
    assert s.client.get(f"{RATINGS}/windows/{org.window}/public", query_string={"t": other["token"]},
                        headers=s.headers(ANONYMOUS)).status_code == 403

    # rotated by 组织部 (not by a secretary): the printed link stops working at once, the new one works
    assert s.client.post(f"{RATINGS}/windows/{org.window}/link", headers=s.headers(org.secretary)).status_code == 403
    rotated = s.client.post(f"{RATINGS}/windows/{org.window}/link", headers=s.headers(org.org))
    assert rotated.status_code == 200 and rotated.json["token"] != first["token"]
    assert link(s, org.secretary, org.window)["token"] == rotated.json["token"]
    old = online(s, org.window, first["token"])
    assert old.status_code == 403 and old.json["error"]["code"] == "rating_link_invalid"
    assert "失效" in old.json["error"]["message"]
    assert s.client.get(f"{RATINGS}/windows/{org.window}/public", query_string={"t": first["token"]},
                        headers=s.headers(ANONYMOUS)).status_code == 403
    assert online(s, org.window, rotated.json["token"]).status_code == 201
    # a batch from a phone is held to the same link, item by item
    batch = s.client.post(f"{RATINGS}/batch", json={"ratings": [
        {"client_id": "p-1", "level": 4, "window_id": str(org.window), "link_token": first["token"]},
        {"client_id": "p-2", "level": 4, "window_id": str(org.window), "link_token": rotated.json["token"]}]},
        headers=s.headers(ANONYMOUS)).json
    assert [(i["status"], (i.get("error") or {}).get("code")) for i in batch["items"]] == [
        ("rejected", "rating_link_invalid"), ("accepted", None)]
    # a kiosk proves its window by its credential: no link
    assert s.client.post(RATINGS, json={"client_id": "k-1", "level": 5},
                         headers=s.headers(kiosk(org.window))).status_code == 201


def test_only_someone_on_duty_at_the_window_may_be_named_from_a_kiosk_or_online(evaluation_service, org):
    s = evaluation_service
    device = kiosk(org.window)
    # today anyone could be named, and their 服务标兵 figures filled, and a case opened on them
    for stranger in (org.member, org.masses[0], org.outsider_reviewer):
        from_kiosk = s.client.post(RATINGS, json={"client_id": uuid.uuid4().hex, "level": 1,
                                                  "on_duty_id": stranger.subject}, headers=s.headers(device))
        assert from_kiosk.status_code == 422 and "on_duty_id" in from_kiosk.json["error"]["details"], from_kiosk.json
    token = link(s, org.secretary, org.window)["token"]
    for stranger in (org.member, org.masses[0], org.outsider_reviewer):
        from_phone = online(s, org.window, token, level=1, on_duty_id=stranger.subject)
        assert from_phone.status_code == 422 and "on_duty_id" in from_phone.json["error"]["details"]
    assert online(s, org.window, token, on_duty_id=str(uuid.uuid4())).status_code == 422
    assert stored(s) == [] and s.client.get("/api/feedback/cases", headers=s.headers(org.org)).json["total"] == 0

    # those on duty and the window's responsible person may be named
    for named in (org.peer, org.peer2, org.secretary):
        assert s.client.post(RATINGS, json={"client_id": uuid.uuid4().hex, "level": 5, "on_duty_id": named.subject},
                             headers=s.headers(device)).status_code == 201
    assert online(s, org.window, token, on_duty_id=org.peer.subject).status_code == 201

    # a batch says which item named whom it may not, and keeps the others
    answer = s.client.post(f"{RATINGS}/batch", json={"ratings": [
        {"client_id": "d-1", "level": 5, "on_duty_id": org.peer.subject},
        {"client_id": "d-2", "level": 2, "on_duty_id": org.member.subject}]}, headers=s.headers(device)).json
    assert (answer["accepted"], answer["rejected"]) == (1, 1)
    assert "on_duty_id" in answer["items"][1]["error"]["details"]

    # 赵敏 leaves the window's duty: a rating the kiosk queued while she served still names her; a new one cannot
    s.deliver("directory.window_upserted", {
        "window_id": org.window, "name": "教务服务窗口", "unit_id": org.branch,
        "responsible_id": uuid.UUID(org.secretary.subject), "revision": 2, "on_duty_ids": [uuid.UUID(org.peer.subject)],
        "standards": {"items": [], "workflow": "", "time_limit": ""}})
    queued = s.client.post(RATINGS, json={"client_id": "q-1", "level": 5, "on_duty_id": org.peer2.subject,
                                          "rated_at": ago(hours=3)}, headers=s.headers(device))
    assert queued.status_code == 201, queued.json
    fresh = s.client.post(RATINGS, json={"client_id": "q-2", "level": 5, "on_duty_id": org.peer2.subject},
                          headers=s.headers(device))
    assert fresh.status_code == 422 and "on_duty_id" in fresh.json["error"]["details"]
    assert online(s, org.window, token, on_duty_id=org.peer2.subject).status_code == 422
    # nor at another window where she never served
    other = s.client.post(RATINGS, json={"client_id": "q-3", "level": 5, "on_duty_id": org.peer2.subject,
                                         "rated_at": ago(hours=3), "window_id": str(org.other_window)},
                          headers=s.headers(kiosk(org.other_window)))
    assert other.status_code == 201  # she is still on duty there


def test_a_rating_is_neither_from_the_future_nor_older_than_its_way_allows(evaluation_service, org):
    s = evaluation_service
    device = kiosk(org.window)

    def from_kiosk(rated_at, **extra):
        return s.client.post(RATINGS, json={"client_id": uuid.uuid4().hex, "level": 5, "rated_at": rated_at},
                             headers=s.headers(device, **extra))

    future = (datetime.now(timezone.utc) + timedelta(minutes=10)).isoformat()
    for too_old in ("1900-01-01T00:00:00+00:00", ago(hours=49), future):
        refused = from_kiosk(too_old)
        assert refused.status_code == 422 and "rated_at" in refused.json["error"]["details"], (too_old, refused.json)
    english = from_kiosk(ago(hours=49), **{"Accept-Language": "en"})
    assert english.json["error"]["message"] == "A rating is taken at most 48 h after it was given."
    assert from_kiosk(ago(hours=49)).json["error"]["message"] == "评价须在作出后 48 小时内提交。"
    assert from_kiosk(ago(hours=47)).status_code == 201  # a kiosk's queue from the day before yesterday
    assert from_kiosk(ago(seconds=-60)).status_code == 201  # a clock a minute ahead

    token = link(s, org.secretary, org.window)["token"]
    for too_old in ("1900-01-01T00:00:00+00:00", ago(minutes=11), future):
        refused = online(s, org.window, token, rated_at=too_old)
        assert refused.status_code == 422 and "rated_at" in refused.json["error"]["details"], too_old
    assert online(s, org.window, token, rated_at=ago(minutes=9)).status_code == 201
    assert len(stored(s)) == 3

    # a kiosk's batch: the too old item refused with its reason, the others taken
    answer = s.client.post(f"{RATINGS}/batch", json={"ratings": [
        {"client_id": "o-1", "level": 4, "rated_at": ago(hours=47)},
        {"client_id": "o-2", "level": 1, "rated_at": ago(hours=49)},
        {"client_id": "o-3", "level": 5, "rated_at": "1900-01-01T00:00:00+00:00"},
        {"client_id": "o-4", "level": 3}]}, headers=s.headers(device)).json
    assert [i["status"] for i in answer["items"]] == ["accepted", "rejected", "rejected", "accepted"]
    assert answer["items"][1]["error"]["code"] == "rating_rejected"
    assert "rated_at" in answer["items"][1]["error"]["details"]
    assert min(r.rated_at for r in stored(s)) > datetime.now(timezone.utc) - timedelta(hours=48)


def test_a_windows_online_ratings_are_capped_in_the_database_for_every_process(fresh_database, make_settings):
    database = fresh_database("evaluation")
    settings = {"rating_window_online_max": 5, "rating_window_online_span": "10m"}
    first = start_service("evaluation", database, make_settings, **settings)
    second = start_service("evaluation", database, make_settings, **settings)  # another process, same database
    try:
        org = org_with_windows(first)
        token = link(first, org.secretary, org.window)["token"]
        other = link(first, org.secretary, org.other_window)["token"]
        for s in (first, second, first, second, first):
            assert online(s, org.window, token).status_code == 201
        over = online(second, org.window, token)
        assert over.status_code == 429 and over.json["error"]["code"] == "too_many_requests", over.json
        assert 590 <= int(over.headers["Retry-After"]) <= 600
        assert online(first, org.window, token).status_code == 429
        # the window's own kiosk and the other window are not held up
        assert online(first, org.other_window, other).status_code == 201
        assert first.client.post(RATINGS, json={"client_id": "k", "level": 5},
                                 headers=first.headers(kiosk(org.window))).status_code == 201
        # the oldest of the five nine minutes back: a minute to wait; eleven: room again
        with first.engine.begin() as conn:
            conn.execute(sa.update(window_ratings).where(window_ratings.c.source == "online",
                                                         window_ratings.c.window_id == org.window)
                         .values(received_at=sa.func.now() - timedelta(minutes=9)))
        wait = online(first, org.window, token)
        assert wait.status_code == 429 and 55 <= int(wait.headers["Retry-After"]) <= 61
        with first.engine.begin() as conn:
            conn.execute(sa.update(window_ratings).where(window_ratings.c.source == "online",
                                                         window_ratings.c.window_id == org.window)
                         .values(received_at=sa.func.now() - timedelta(minutes=11)))
        assert online(second, org.window, token).status_code == 201
        # a phone's batch counts item by item
        batch = second.client.post(f"{RATINGS}/batch", json={"ratings": [
            {"client_id": f"b-{i}", "level": 5, "window_id": str(org.window), "link_token": token}
            for i in range(6)]}, headers=second.headers(ANONYMOUS)).json
        assert [i["status"] for i in batch["items"]] == ["accepted"] * 4 + ["rejected"] * 2
        assert batch["items"][4]["error"]["code"] == "too_many_requests"
    finally:
        first.engine.dispose()
        second.engine.dispose()


@pytest.mark.parametrize("values, named", [
    ({"rating_max_age_kiosk": "forever"}, "RATING_MAX_AGE_KIOSK"),
    ({"rating_max_age_online": "0"}, "RATING_MAX_AGE_ONLINE"),
    ({"rating_window_online_max": 0}, "RATING_WINDOW_ONLINE_MAX"),
    ({"rating_window_online_span": "-5m"}, "RATING_WINDOW_ONLINE_SPAN"),
])
def test_a_bad_rating_setting_stops_the_service_with_its_name(make_settings, values, named):
    with pytest.raises(ConfigurationError, match=named):
        load_config(make_settings("evaluation", **values))


def test_the_rating_settings_take_seconds_or_a_unit(make_settings):
    intake = load_config(make_settings("evaluation", rating_max_age_kiosk="2d", rating_max_age_online="900",
                                       rating_window_online_span="90m")).intake
    assert (intake.kiosk_max_age, intake.online_max_age, intake.window_online_span) == (
        timedelta(days=2), timedelta(seconds=900), timedelta(minutes=90))
    default = load_config(make_settings("evaluation")).intake
    assert (default.kiosk_max_age, default.online_max_age, default.window_online_max, default.window_online_span) == (
        timedelta(hours=48), timedelta(minutes=10), 60, timedelta(minutes=10))
