"""The working calendar (工作日历, #21 gap 8): anyone logged in reads a year's holidays and make-up workdays;
the organisation department changes days for the university's own calendar, each change published with the
whole list; everyone else is refused and a bad day is a clear 422."""
from __future__ import annotations

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table

from .conftest import bearer

DAYS, OVERRIDES = "/api/calendar/days", "/api/calendar/overrides"
EN = {"Accept-Language": "en"}


def _published(gateway) -> list[dict]:
    with gateway.engine.connect() as conn:
        return [e["data"] for e in conn.execute(sa.select(outbox_table.c.envelope)
                                                 .where(outbox_table.c.event_type == "calendar.days_changed")
                                                 .order_by(outbox_table.c.id)).scalars()]


def _days(gateway, who: dict, year: int, **headers) -> dict:
    response = gateway.client.get(DAYS, query_string={"year": year}, headers=who | headers)
    assert response.status_code == 200, response.json
    return response.json


def test_anyone_logged_in_reads_the_year_s_holidays_and_make_up_workdays(gateway, login):
    member = bearer(login("dangyuan"))
    year = _days(gateway, member, 2026)
    days = {d["day"]: d for d in year["days"]}
    assert (year["published"], year["warning"], year["end_of_day"]) == (True, None, "17:30")
    assert days["2026-10-01"] == {"day": "2026-10-01", "working": False, "holiday": "national_day", "note": "",
                                  "overridden": False, "usually_working": False}
    assert days["2026-10-10"]["working"] and days["2026-10-10"]["holiday"] == "national_day"  # the make-up Saturday
    assert "2026-10-09" not in days
    assert gateway.client.get(DAYS, query_string={"year": 2026}).status_code == 401


def test_a_year_not_yet_published_says_monday_to_friday_are_counted(gateway, login):
    member = bearer(login("dangyuan"))
    zh, en = _days(gateway, member, 2027), _days(gateway, member, 2027, **EN)
    assert (zh["published"], zh["days"]) == (False, [])
    assert "2027" in zh["warning"] and "周一至周五" in zh["warning"]
    assert en["warning"].startswith("The official holidays of 2027 are not published")


def test_the_organisation_department_changes_a_day_and_the_whole_list_is_published(gateway, login):
    org = bearer(login("zuzhibu"))
    created = gateway.client.post(OVERRIDES, json={"day": "2027-01-01", "working": False, "note": "元旦"}, headers=org)
    assert created.status_code == 201, created.json
    assert created.json == {"day": "2027-01-01", "working": False, "note": "元旦"}
    assert gateway.client.post(OVERRIDES, json={"day": "2026-10-08", "working": False, "note": "校庆"},
                               headers=org).status_code == 201
    year = _days(gateway, org, 2027)
    assert year["days"] == [{"day": "2027-01-01", "working": False, "holiday": "", "note": "元旦", "overridden": True,
                             "usually_working": True}]
    assert {"day": "2026-10-08", "working": False, "holiday": "", "note": "校庆", "overridden": True,
            "usually_working": True} in _days(gateway, org, 2026)["days"]
    first, second = _published(gateway)
    assert first["overrides"] == [{"day": "2027-01-01", "working": False, "note": "元旦"}]
    assert second["overrides"] == [{"day": "2026-10-08", "working": False, "note": "校庆"},
                                   {"day": "2027-01-01", "working": False, "note": "元旦"}]
    assert second["as_of"] > first["as_of"]

    assert gateway.client.delete(f"{OVERRIDES}/2026-10-08", headers=org).status_code == 204
    assert _published(gateway)[-1]["overrides"] == [{"day": "2027-01-01", "working": False, "note": "元旦"}]
    assert all(not d["overridden"] for d in _days(gateway, org, 2026)["days"])


def test_only_the_organisation_department_changes_days(gateway, login):
    body = {"day": "2026-10-08", "working": False, "note": "校庆"}
    for username in ("dangyuan", "zhishu", "zongzhi"):
        who = bearer(login(username))
        refused = gateway.client.post(OVERRIDES, json=body, headers=who)
        assert refused.status_code == 403, refused.json
        assert refused.json["error"]["message"] == "只有党委组织部可以调整工作日历。"
        assert gateway.client.delete(f"{OVERRIDES}/2026-10-08", headers=who).status_code == 403
    assert _published(gateway) == []


def test_bad_days_are_clear_4xx_and_change_nothing(gateway, login):
    org = bearer(login("zuzhibu"))
    post = lambda body: gateway.client.post(OVERRIDES, json=body, headers=org | EN)  # noqa: E731
    for bad in ({"day": "2026-02-30", "working": False}, {"day": "tomorrow", "working": True},
                {"day": "2026-10-08"}, {"day": "2026-10-08", "working": False, "note": "长" * 201}):
        refused = post(bad)
        assert refused.status_code == 422, (bad, refused.json)
        assert set(refused.json["error"]["details"]) <= {"day", "working", "note"}
    same = post({"day": "2026-10-01", "working": False})
    assert same.status_code == 422 and same.json["error"]["message"] == "2026-10-01 is already a day off."
    assert post({"day": "2026-10-10", "working": True}).status_code == 422  # the make-up Saturday is worked already
    assert gateway.client.get(DAYS, query_string={"year": "next"}, headers=org).status_code == 422
    assert gateway.client.get(DAYS, headers=org).status_code == 422
    assert gateway.client.delete(f"{OVERRIDES}/2026-13-01", headers=org).status_code == 422
    missing = gateway.client.delete(f"{OVERRIDES}/2026-10-08", headers=org | EN)
    assert missing.status_code == 404 and missing.json["error"]["message"] == "2026-10-08 has no change to remove."

    assert post({"day": "2026-10-10", "working": False, "note": "校庆补休"}).status_code == 201
    twice = post({"day": "2026-10-10", "working": True})
    assert twice.status_code == 409 and "remove that change first" in twice.json["error"]["message"]
    assert len(_published(gateway)) == 1
