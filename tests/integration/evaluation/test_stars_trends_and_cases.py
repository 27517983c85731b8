"""Against PostgreSQL: star windows and service models per month, kept as history and announced once; a
member on duty's own trend; a complaint to a unit followed up by its branch secretary; overdue cases
escalated once however many workers race; the evaluation settings in force."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import followup_cases, rounds, star_grades
from evaluation_service.config import EvaluationConfig, load_config
from evaluation_service.consumers import handlers_for
from evaluation_service.domain.stars import StarRule
from evaluation_service.service.star_grades import grade_month
from evaluation_service.service.followup_cases import escalate_overdue_cases
from pacesetter_shared.config import ConfigurationError
from pacesetter_shared.db import outbox_table
from tests.integration.evaluation.test_window_ratings import _rate_at, kiosk
from tests.support.services import start_service

RATINGS = "/api/ratings"
MARCH = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)  # 10:00 in Shanghai
RULE = StarRule(((5, 0.98), (4, 0.95), (3, 0.90)), min_ratings=4)


def events(s, event_type) -> list[dict]:
    with s.engine.connect() as conn:
        return [e for e in conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.event_type == event_type).order_by(outbox_table.c.id)).scalars()]


def test_last_months_stars_are_graded_kept_and_announced_once(evaluation_service, org):
    s = evaluation_service
    _rate_at(s, org.window, MARCH, [5, 5, 5, 5, 5], "a", on_duty=org.peer.subject)
    _rate_at(s, org.other_window, MARCH, [5, 5, 5, 1, 1], "b", on_duty=org.peer2.subject)
    april = datetime(2026, 4, 2, 1, tzinfo=timezone.utc)
    assert grade_month(s.uow_factory, april, RULE, 3) == 2  # the window and the member who earned stars
    assert grade_month(s.uow_factory, april, RULE, 3) == 0  # the same grades: nothing new to say
    with s.engine.connect() as conn:
        kept = {(r.scope, r.key): (r.month, r.stars, r.ratings) for r in conn.execute(sa.select(star_grades))}
    assert kept == {("window", org.window): ("2026-03", 5, 5), ("window", org.other_window): ("2026-03", 0, 5),
                    ("on_duty", uuid.UUID(org.peer.subject)): ("2026-03", 5, 5),
                    ("on_duty", uuid.UUID(org.peer2.subject)): ("2026-03", 0, 5)}
    star = next(e["data"] for e in events(s, "evaluation.star_graded") if e["data"]["key"] == str(org.window))
    assert (star["stars"], star["previous_stars"], star["responsible_id"]) == (5, None, org.secretary.subject)

    # an upheld appeal later takes a bad rating out: the grade changes, and that is said once more
    with s.engine.begin() as conn:
        conn.execute(sa.text("UPDATE window_ratings SET excluded = true WHERE client_id = 'b3'"))
    assert grade_month(s.uow_factory, april + timedelta(hours=6), RULE, 3) == 0  # no star gained or lost…
    with s.engine.connect() as conn:
        other = conn.execute(sa.select(star_grades.c.ratings, star_grades.c.stars).where(
            star_grades.c.key == org.other_window)).one()
    assert other == (4, 0)  # …3 of 4 satisfied is 75 %, still no star; the changed figures are kept
    assert {e["data"]["key"] for e in events(s, "evaluation.star_graded")} == {str(org.window), org.peer.subject}
    # a late kiosk batch of March ratings costs the window its stars: said once, with what it had
    _rate_at(s, org.window, MARCH + timedelta(days=1), [1, 1, 1], "late")
    assert grade_month(s.uow_factory, april + timedelta(hours=12), RULE, 3) == 1
    lost = events(s, "evaluation.star_graded")[-1]["data"]
    assert (lost["key"], lost["stars"], lost["previous_stars"], lost["ratings"]) == (str(org.window), 0, 5, 8)

    history = s.client.get(f"{RATINGS}/stars/history", query_string={"unit_id": org.branch},
                           headers=s.headers(org.member)).json
    assert {i["key"]: (i["month"], i["stars"]) for i in history["items"]} == {
        str(org.window): ("2026-03", 0), str(org.other_window): ("2026-03", 0)}
    now = s.client.get(f"{RATINGS}/stars", query_string={"unit_id": org.branch, "month": "2026-03", "by": "on_duty"},
                       headers=s.headers(org.member)).json
    assert {i["key"]: i["stars"] for i in now["items"]} == {org.peer.subject: 0, org.peer2.subject: 0}  # 30 needed
    assert s.client.get(f"{RATINGS}/stars", query_string={"unit_id": org.branch, "month": "2026-03"},
                        headers=s.headers(kiosk(org.window))).status_code == 403


def test_stars_stay_hidden_where_the_figures_would_expose_raters(evaluation_service, org):
    s = evaluation_service
    _rate_at(s, org.window, MARCH, [5, 5, 5, 5], "a")
    _rate_at(s, org.other_window, MARCH, [1], "b")
    grade_month(s.uow_factory, datetime(2026, 4, 2, 1, tzinfo=timezone.utc), StarRule(((5, 0.98),), 3), 3)
    with s.engine.connect() as conn:
        kept = {r.key: (r.stars, r.ratings) for r in conn.execute(sa.select(star_grades))}
    # 4 of the unit's 5 ratings: the window's figures would give the other window's one rating away
    assert kept == {org.window: (0, None), org.other_window: (0, None)}


def test_a_member_on_duty_sees_their_own_trend_and_others_do_not(evaluation_service, org):
    s = evaluation_service
    _rate_at(s, org.window, MARCH, [5, 5, 4, 2], "a", on_duty=org.peer.subject)
    _rate_at(s, org.window, MARCH + timedelta(days=7), [5, 5, 5], "b", on_duty=org.peer.subject)
    _rate_at(s, org.window, MARCH + timedelta(days=8), [5, 5, 5, 5], "c", on_duty=org.peer2.subject)
    query = {"on_duty_id": org.peer.subject, "granularity": "week", "from": "2026-03-01", "to": "2026-03-31"}

    def trend(person, **extra):
        return s.client.get(f"{RATINGS}/summary", query_string={**query, **extra}, headers=s.headers(person))

    mine = trend(org.peer)
    assert mine.status_code == 200, mine.json
    assert [(i["period_start"], i["total"], i["satisfaction_rate"]) for i in mine.json["items"]] == [
        ("2026-03-09", 4, 0.75), ("2026-03-16", 3, 1.0)]
    assert trend(org.secretary).status_code == 200
    assert trend(org.peer2).status_code == 403
    year = trend(org.peer, granularity="year").json["items"]
    assert [(i["period_start"], i["total"]) for i in year] == [("2026-01-01", 7)]
    both = s.client.get(f"{RATINGS}/summary", query_string={**query, "window_id": org.window},
                        headers=s.headers(org.peer))
    assert both.status_code == 422


def test_a_complaint_to_a_unit_is_followed_up_by_its_branch_secretary(evaluation_service, org):
    s = evaluation_service
    note = s.client.post("/api/feedback/suggestions", json={"unit_id": str(org.branch), "body": "办事指南多年未更新",
                                                            "is_complaint": True}, headers=s.headers(org.masses[0]))
    assert note.status_code == 201 and note.json["case_id"] is not None
    [negative] = events(s, "feedback.negative")
    assert negative["version"] == 3
    assert (negative["data"]["window_id"], negative["data"]["responsible_id"], negative["data"]["source"]) == (
        None, org.secretary.subject, "suggestion")
    assert [case["case_id"] for case in negative["data"]["cases"]] == [note.json["case_id"]]
    cases = s.client.get("/api/feedback/cases", headers=s.headers(org.secretary)).json
    assert [(c["window_id"], c["source"], c["responsible_id"]) for c in cases["items"]] == [
        (None, "suggestion", org.secretary.subject)]
    closed = s.client.post(f"/api/feedback/cases/{note.json['case_id']}/close",
                           json={"action_taken": "已更新办事指南并公示", "called_back": False},
                           headers=s.headers(org.secretary))
    assert closed.status_code == 200 and closed.json["state"] == "closed"
    [done] = events(s, "feedback.followup_closed")
    assert (done["version"], done["data"]["window_id"], done["data"]["source"]) == (2, None, "suggestion")


def test_overdue_cases_escalate_once_when_two_workers_race(evaluation_service, org):
    s = evaluation_service
    batch = [{"client_id": f"n{i}", "level": 1} for i in range(6)]
    s.client.post(f"{RATINGS}/batch", json={"ratings": batch}, headers=s.headers(kiosk(org.window)))
    s.client.post("/api/feedback/suggestions", json={"unit_id": str(org.branch), "body": "电话无人接听",
                                                     "is_complaint": True}, headers=s.headers(org.masses[0]))
    later = datetime.now(timezone.utc) + timedelta(days=10)
    start, escalated = threading.Barrier(2), []

    def worker():
        start.wait()
        escalated.append(escalate_overdue_cases(s.uow_factory, later))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(escalated) == 7
    overdue = events(s, "feedback.followup_overdue")
    assert len(overdue) == 7 and len({e["data"]["case_id"] for e in overdue}) == 7
    assert {e["data"]["source"] for e in overdue} == {"rating", "suggestion"}
    with s.engine.connect() as conn:
        assert set(conn.execute(sa.select(followup_cases.c.state)).scalars()) == {"escalated"}
    assert escalate_overdue_cases(s.uow_factory, later) == 0


def test_the_settings_are_in_force(fresh_database, make_settings):
    s = start_service("evaluation", fresh_database("evaluation"), make_settings, anonymity_min_group=5,
                      followup_working_days=1, instant_round_days=3, quorum_percent=80, ranking_min_ratings=40,
                      star_thresholds="5:0.99,3:0.9")
    try:
        config = load_config(s.settings)
        assert (config.min_group, config.followup_working_days, config.instant_round_days, config.quorum_percent,
                config.ranking_min_ratings) == (5, 1, 3, 80, 40)
        assert config.stars == StarRule(((5, 0.99), (3, 0.9)), 40)
        from tests.support.services import OrgFixture
        org = OrgFixture(s)
        # the pledge consumer opens rounds with the deployment's threshold, quorum and length (not the defaults)
        s.deliver("pledge.fulfilled", {
            "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": org.member.subject,
            "unit_id": org.branch, "kind": "instant", "title": "迎新志愿服务", "year": 2026, "due_date": date(2026, 9, 1)},
            handlers=handlers_for(config))
        with s.engine.connect() as conn:
            opened = conn.execute(sa.select(rounds.c.min_group, rounds.c.quorum_percent, rounds.c.deadline,
                                            rounds.c.opened_at)).one()
        assert (opened.min_group, opened.quorum_percent) == (5, 80)
        assert opened.deadline - opened.opened_at == timedelta(days=3)
    finally:
        s.engine.dispose()


@pytest.mark.parametrize("values, named", [
    ({"anonymity_min_group": 2}, "ANONYMITY_MIN_GROUP"),
    ({"ranking_min_ratings": 2}, "RANKING_MIN_RATINGS"),
    ({"star_thresholds": "5:0.9,4:0.95"}, "STAR_THRESHOLDS"),
    ({"quorum_percent": 0}, "QUORUM_PERCENT"),
    ({"followup_working_days": 0}, "FOLLOWUP_WORKING_DAYS"),
    ({"disclosure_refresh_seconds": -1}, "DISCLOSURE_REFRESH_SECONDS"),
])
def test_a_setting_the_policy_forbids_stops_the_service_with_its_name(make_settings, values, named):
    with pytest.raises(ConfigurationError, match=named):
        load_config(make_settings("evaluation", **values))


def test_the_defaults_are_the_policys():
    assert EvaluationConfig().min_group == 3
    default = EvaluationConfig()
    assert (default.quorum_percent, default.followup_working_days, default.instant_round_days,
            default.ranking_min_ratings, default.disclosure_refresh_seconds) == (60, 5, 14, 30, 30)


def test_the_rhythm_covers_a_whole_month_or_a_whole_year_never_a_range_of_choice(evaluation_service, org):
    s = evaluation_service
    _rate_at(s, org.window, MARCH, [5, 5, 4], "m")  # 10:00 on Tuesday 10 March
    _rate_at(s, org.window, MARCH + timedelta(days=30), [5, 5, 5], "a")  # 10:00 on Thursday 9 April

    def rhythm(start, end):
        response = s.client.get(f"{RATINGS}/rhythm", query_string={"unit_id": org.branch, "from": start, "to": end},
                                headers=s.headers(org.reviewer))
        assert response.status_code == 200, response.json
        return response.json

    march = rhythm("2026-03-05", "2026-03-20")
    assert (march["span"], march["period_start"]) == ("month", "2026-03-01")
    assert [(b["key"], b["ratings"]) for b in march["by_hour"]] == [(10, 3)]
    # any two months (or a range reaching back into 2025) give the year of "to", never a range of their own
    for start in ("2026-03-01", "2025-12-15"):
        year = rhythm(start, "2026-04-30")
        assert (year["span"], year["period_start"]) == ("year", "2026-01-01")
        assert [(b["key"], b["ratings"]) for b in year["by_hour"]] == [(10, 6)]
