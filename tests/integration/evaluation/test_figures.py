"""Against PostgreSQL: dashboards read the figures the worker keeps (公开口径) — as old as the refresh
interval at most, saying when they were worked out; a refresh rewrites only what changed, skips a year
nothing touched, catches late ratings and upheld appeals of past years, and two processes refreshing
the same year at once work it out once."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.service import figures
from evaluation_service.adapters.tables import disclosed_figures, disclosure_snapshots, window_ratings
from evaluation_service.service.figures import refresh, refresh_changed
from evaluation_service.service.statistics import publish_window_satisfaction
from pacesetter_shared.db import outbox_table
from tests.integration.evaluation.conftest import org_with_windows
from tests.integration.evaluation.test_window_ratings import _rate_at
from tests.support.services import start_service

MARCH = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)  # 10:00 in Shanghai
APRIL = datetime(2026, 4, 14, 3, tzinfo=timezone.utc)
NOW = datetime(2026, 5, 1, 4, tzinfo=timezone.utc)


@pytest.fixture
def background(fresh_database, make_settings):
    """evaluation-service as deployed: figures refreshed by the worker, not on read."""
    service = start_service("evaluation", fresh_database("evaluation"), make_settings,
                            disclosure_refresh_seconds=300)
    yield service, org_with_windows(service)
    service.engine.dispose()


def months(s, org) -> tuple[dict, str]:
    answer = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
        "unit_id": org.branch, "granularity": "month", "from": "2026-01-01", "to": "2026-12-31"})
    assert answer.status_code == 200, answer.json
    return {p["period_start"]: p["total"] for p in answer.json["items"]}, answer.json["as_of"]


def test_dashboards_read_what_the_worker_worked_out_and_say_when(background):
    s, org = background
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4, 1], "a")
    # nobody asked for 2026 before: the first read works it out
    first, as_of = months(s, org)
    assert first == {"2026-03-01": 5} and as_of is not None
    _rate_at(s, org.window, MARCH, [5, 5, 5], "b")
    assert months(s, org) == (first, as_of)  # unchanged until the worker's next refresh
    assert refresh_changed(s.uow_factory, NOW, 3) == 1
    after, later = months(s, org)
    assert after == {"2026-03-01": 8} and later == NOW.isoformat() != as_of  # when the worker worked it out
    assert refresh_changed(s.uow_factory, NOW + timedelta(minutes=1), 3) == 0  # nothing changed, nothing done


def test_late_ratings_and_upheld_appeals_of_a_past_year_are_caught(background):
    s, org = background
    last_year = MARCH - timedelta(days=365)
    _rate_at(s, org.window, last_year, [5, 4, 4, 3], "old")
    answer = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
        "unit_id": org.branch, "granularity": "year", "from": "2025-01-01", "to": "2025-12-31"})
    assert [p["total"] for p in answer.json["items"]] == [4]
    _rate_at(s, org.window, last_year, [5], "late")  # a kiosk that was offline for a year
    with s.engine.begin() as conn:  # and an appeal upheld on an old rating
        conn.execute(sa.update(window_ratings).where(window_ratings.c.client_id == "old0").values(excluded=True))
    assert refresh_changed(s.uow_factory, NOW, 3) == 2  # 2025, asked for before, and this year
    answer = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
        "unit_id": org.branch, "granularity": "year", "from": "2025-01-01", "to": "2025-12-31"})
    assert [(p["total"], p["counts"]["5"]) for p in answer.json["items"]] == [(4, 1)]


def test_a_refresh_rewrites_only_the_answers_that_changed(background):
    s, org = background
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4], "a")
    assert refresh_changed(s.uow_factory, NOW, 3) == 1

    def versions():  # PostgreSQL's row version: a row rewritten gets a new one
        with s.engine.connect() as conn:
            return {(r.kind, r.granularity, r.period_start.isoformat()): r.xmin for r in conn.execute(sa.select(
                disclosed_figures.c.kind, disclosed_figures.c.granularity, disclosed_figures.c.period_start,
                sa.column("xmin")).where(disclosed_figures.c.key == org.window))}

    before = versions()
    _rate_at(s, org.window, APRIL, [5, 5, 5], "b")
    assert refresh_changed(s.uow_factory, NOW, 3) == 1
    after = versions()
    assert after[("window", "day", "2026-03-10")] == before[("window", "day", "2026-03-10")]
    assert after[("window", "month", "2026-03-01")] == before[("window", "month", "2026-03-01")]
    assert ("window", "month", "2026-04-01") in after and ("window", "month", "2026-04-01") not in before
    assert after[("window", "year", "2026-01-01")] != before[("window", "year", "2026-01-01")]


def test_two_processes_refreshing_one_year_work_it_out_once(background):
    s, org = background
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4, 3], "a")
    start, results = threading.Barrier(2), []

    def refresher():
        with s.uow_factory() as uow:
            start.wait()
            results.append(refresh(uow, 2026, 3, NOW))

    threads = [threading.Thread(target=refresher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, True]
    with s.uow_factory() as uow:
        (march,) = figures.months(uow, "window", MARCH.date().replace(day=1), [org.window])
    assert march.counts.total == 5 and march.counts.satisfied == 5


def test_the_worker_works_out_every_year_with_ratings_so_reads_never_have_to(background):
    s, org = background
    _rate_at(s, org.window, MARCH - timedelta(days=2 * 365), [5, 4, 4], "y2024")
    _rate_at(s, org.window, MARCH, [5, 5, 5], "y2026")
    assert refresh_changed(s.uow_factory, NOW, 3) == 2  # 2024, asked for by nobody, and 2026
    with s.engine.connect() as conn:
        assert set(conn.execute(sa.select(disclosure_snapshots.c.year)).scalars()) == {2024, 2026}
    assert refresh_changed(s.uow_factory, NOW, 3) == 0


def test_a_windows_month_the_guard_hides_goes_to_grading_without_its_counts(background):
    s, org = background
    _rate_at(s, org.window, APRIL, [5, 1], "two")  # two raters: not to be told apart by grading either
    _rate_at(s, org.other_window, APRIL, [5, 5, 4, 4], "four")
    assert publish_window_satisfaction(s.uow_factory, APRIL + timedelta(days=6), 3) == 2
    with s.engine.connect() as conn:
        sent = {e["data"]["window_id"]: e for e in conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.event_type == "evaluation.window_satisfaction")).scalars()}
    hidden, beside = sent[str(org.window)], sent[str(org.other_window)]
    assert hidden["version"] == 2
    assert {k: hidden["data"][k] for k in ("shown", "ratings", "satisfied", "satisfaction_rate")} == {
        "shown": False, "ratings": None, "satisfied": None, "satisfaction_rate": None}
    # four ratings, but the branch's month (six) minus them would give the two away: hidden as well
    assert (beside["data"]["shown"], beside["data"]["ratings"]) == (False, None)
