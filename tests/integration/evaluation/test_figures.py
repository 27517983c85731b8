"""Against PostgreSQL: dashboards read the figures the worker keeps (公开口径) — as old as the refresh
interval at most (30 s as deployed), saying when they were worked out; a refresh rewrites only what changed,
takes in only the new ratings where it kept the year's guard (the same rows as the whole pass), skips a year
nothing touched, catches late ratings and upheld appeals of past years, and two processes refreshing
the same year at once work it out once."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.service import figures
from evaluation_service.adapters.tables import disclosed_figures, disclosure_snapshots, disclosure_wishes, window_ratings
from evaluation_service.config import EvaluationConfig
from evaluation_service.service.figures import FigureKeeper, refresh, refresh_changed
from evaluation_service.service.statistics import publish_window_satisfaction
from pacesetter_shared.db import outbox_table
from tests.integration.evaluation.conftest import org_with_windows
from evaluation_service.worker import scheduled_jobs
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
    # the worker has not worked 2026 out yet: the read answers at once, with nothing and no as_of
    assert months(s, org) == ({}, None)
    assert refresh_changed(s.uow_factory, NOW - timedelta(minutes=1), 3) == 1
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
    assert refresh_changed(s.uow_factory, NOW, 3) == 2  # 2025, and this year (nothing in it yet)
    answer = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
        "unit_id": org.branch, "granularity": "year", "from": "2025-01-01", "to": "2025-12-31"})
    assert [p["total"] for p in answer.json["items"]] == [4]
    _rate_at(s, org.window, last_year, [5], "late")  # a kiosk that was offline for a year
    with s.engine.begin() as conn:  # and an appeal upheld on an old rating
        conn.execute(sa.update(window_ratings).where(window_ratings.c.client_id == "old0").values(excluded=True))
    assert refresh_changed(s.uow_factory, NOW, 3) == 1  # 2025 again; this year did not change
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


@pytest.fixture
def deployed(fresh_database, make_settings):
    """evaluation-service with the deployed shape's refresh interval: the default, set by nobody."""
    service = start_service("evaluation", fresh_database("evaluation"), make_settings,
                            disclosure_refresh_seconds=EvaluationConfig().disclosure_refresh_seconds)
    yield service, org_with_windows(service)
    service.engine.dispose()


def kept_rows(s) -> dict:
    with s.engine.connect() as conn:
        return {tuple(r[:5]): tuple(r[5:]) for r in conn.execute(sa.select(
            *(disclosed_figures.c[c] for c in ("kind", "key", "granularity", "period_start", "part", "year", "shown",
                                               "level_1", "level_2", "level_3", "level_4", "level_5", "windows",
                                               "home_unit_id"))))}


def whole_pass_rows(s) -> dict:
    """The rows a pass over the whole year writes, worked out from nothing."""
    with s.engine.begin() as conn:
        conn.execute(sa.delete(disclosed_figures))
        conn.execute(sa.delete(disclosure_snapshots))
    with s.uow_factory() as uow:
        assert refresh(uow, 2026, 3, NOW)
    return kept_rows(s)


def test_a_windows_new_ratings_show_in_summary_ranking_and_stars_within_the_refresh_period(deployed):
    s, org = deployed
    (job,) = [j for j in scheduled_jobs(s.settings)(s.uow_factory) if j.name == "evaluation.refresh_figures"]
    assert job.every_seconds <= 30
    peer, peer2 = org.peer.subject, org.peer2.subject
    _rate_at(s, org.window, APRIL, [5] * 30 + [4] * 5, "a", on_duty=peer)
    assert job.run(NOW) == 1  # the worker starts: the whole year
    # a kiosk's 35 ratings at the other window; the worker's next turn, one period later
    _rate_at(s, org.other_window, APRIL + timedelta(hours=1), [5] * 34 + [1], "b", on_duty=peer2)
    assert job.run(NOW + timedelta(seconds=job.every_seconds)) == 1
    secretary = s.headers(org.secretary)
    summary = s.client.get("/api/ratings/summary", headers=secretary, query_string={
        "window_id": org.other_window, "granularity": "month", "from": "2026-04-01", "to": "2026-04-30"}).json
    assert [(p["period_start"], p["total"]) for p in summary["items"]] == [("2026-04-01", 35)]
    assert summary["as_of"] == (NOW + timedelta(seconds=job.every_seconds)).isoformat()
    ranking = s.client.get("/api/ratings/ranking", headers=secretary,
                           query_string={"unit_id": org.branch, "month": "2026-04"}).json
    assert [(p["key"], p["ratings"]) for p in ranking["items"]] == [(str(org.window), 35), (str(org.other_window), 35)]
    stars = s.client.get("/api/ratings/stars", headers=secretary, query_string={
        "unit_id": org.branch, "month": "2026-04", "by": "on_duty"}).json
    assert {i["key"]: i["ratings"] for i in stars["items"]} == {peer: 35, peer2: 35}
    # what the worker wrote from the new ratings alone is what a whole pass writes
    assert kept_rows(s) == whole_pass_rows(s)


def test_taking_in_only_new_ratings_writes_what_the_whole_pass_does(background):
    s, org = background
    keeper = FigureKeeper()
    peer, peer2 = org.peer.subject, org.peer2.subject
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4], "a", on_duty=peer)
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    # four more and one: the branch's March (9) now holds the window's (8) one short of a group…
    _rate_at(s, org.window, MARCH + timedelta(days=1), [5, 5, 5, 3], "b", on_duty=peer2)
    _rate_at(s, org.other_window, MARCH + timedelta(days=2), [1], "c")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    with s.uow_factory() as uow:
        (window_march,) = figures.months(uow, "window", MARCH.date().replace(day=1), [org.window])
    assert window_march.counts is None  # …so it hides, as the whole pass decides
    incremental = kept_rows(s)
    assert incremental == whole_pass_rows(s)
    # an upheld appeal takes a rating out: the kept guard cannot, the whole year is worked out again
    with s.engine.begin() as conn:
        conn.execute(sa.update(window_ratings).where(window_ratings.c.client_id == "c0").values(excluded=True))
    with s.uow_factory() as uow:
        assert refresh(uow, 2026, 3, NOW, keeper)
    with s.uow_factory() as uow:
        (window_march,) = figures.months(uow, "window", MARCH.date().replace(day=1), [org.window])
    assert window_march.counts.total == 8
    assert kept_rows(s) == whole_pass_rows(s)


def test_the_worker_looks_at_every_rating_only_when_a_cheap_look_saw_something_move(background):
    s, org = background
    keeper = FigureKeeper(look_every=3)
    _rate_at(s, org.window, MARCH, [5, 5, 4], "a")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    with s.engine.begin() as conn:  # changed behind the service's back: no new rating, no appeal decided
        conn.execute(sa.update(window_ratings).where(window_ratings.c.client_id == "a0").values(excluded=True))
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0  # the cheap look sees nothing
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1  # every third turn looks at every rating
    with s.uow_factory() as uow:
        (march,) = figures.months(uow, "window", MARCH.date().replace(day=1), [org.window])
    assert march.counts is None  # two ratings left
    # new ratings: seen at once, counted from the primary key's range, taken into the kept guard
    _rate_at(s, org.window, MARCH, [5, 5], "b")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    with s.uow_factory() as uow:
        (march,) = figures.months(uow, "window", MARCH.date().replace(day=1), [org.window])
    assert march.counts.total == 4
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0
    with s.engine.begin() as conn:  # a year's figures deleted by hand: worked out again at once
        conn.execute(sa.delete(disclosure_snapshots).where(disclosure_snapshots.c.year == 2026))
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1


def test_a_batch_that_commits_after_a_later_one_was_taken_in_shows_next_turn_without_a_whole_pass(background):
    s, org = background
    keeper = FigureKeeper(settle_wait=0.2)
    _rate_at(s, org.window, MARCH, [5, 5, 4], "a")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    guard = keeper.years[2026].guard
    # a kiosk's batch has taken its id and not committed yet…
    late = s.engine.connect()
    batch = late.begin()
    late.execute(sa.insert(window_ratings).from_select(
        [c.name for c in window_ratings.c if c.name != "id"],
        sa.select(*(sa.literal("late") if c.name == "client_id" else c for c in window_ratings.c if c.name != "id"))
        .where(window_ratings.c.client_id == "a0")))
    # …when another's commits: the turn waits for the first a moment, then leaves both to the next turn
    _rate_at(s, org.window, MARCH, [5], "b")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0
    assert months(s, org)[0] == {"2026-03-01": 3}
    batch.commit()
    late.close()
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    assert months(s, org)[0] == {"2026-03-01": 5}
    # taken into the guard kept (the added ratings' turn, no look at every rating), not by a whole pass
    assert keeper.turns < keeper.look_every and keeper.years[2026].guard is guard
    assert keeper.years[2026].guard.ratings == 5
    assert kept_rows(s) == whole_pass_rows(s)


def window_upserted(s, org, window_id, name: str, revision: int, unit=None, on_duty=()) -> None:
    s.deliver("directory.window_upserted", {
        "window_id": window_id, "name": name, "unit_id": unit or org.branch,
        "responsible_id": uuid.UUID(org.secretary.subject), "revision": revision, "on_duty_ids": list(on_duty),
        "standards": {"items": ["开具在读证明"], "workflow": "", "time_limit": "当场办结"}})


def test_a_window_renamed_added_or_moved_before_its_first_rating_keeps_the_years_guard(background):
    s, org = background
    keeper = FigureKeeper(look_every=3)
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4], "a")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    guard = keeper.years[2026].guard
    # renamed, its members on duty changed: no figure moves, nothing is worked out again
    window_upserted(s, org, org.window, "教务服务窗口（东区）", 2, on_duty=[uuid.UUID(org.peer2.subject)])
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0
    # a window opens in the other branch and rates at once: taken into the guard kept, counted in its branch
    new = uuid.uuid4()
    window_upserted(s, org, new, "新窗口", 1, unit=org.other_branch)
    _rate_at(s, new, MARCH, [5, 5, 5], "n")
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    assert keeper.years[2026].guard is guard
    with s.uow_factory() as uow:
        (branch_march,) = figures.months(uow, "unit", MARCH.date().replace(day=1), [org.other_branch])
    assert branch_march.counts.total == 3
    assert kept_rows(s) == whole_pass_rows(s)
    # a window with ratings this year moves to the other branch: the whole year again
    window_upserted(s, org, org.window, "教务服务窗口（东区）", 3, unit=org.other_branch)
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 1
    assert keeper.years[2026].guard is not guard
    with s.uow_factory() as uow:
        (branch_march,) = figures.months(uow, "unit", MARCH.date().replace(day=1), [org.other_branch])
    assert branch_march.counts.total == 7
    assert kept_rows(s) == whole_pass_rows(s)


def test_a_year_read_before_it_was_worked_out_is_worked_out_first_and_shows_when_its_pass_ends(
        background, monkeypatch):
    s, org = background
    ratings = {2024: [5, 5, 4, 4, 3], 2025: [5, 5, 4, 4, 3, 3], 2026: [5, 5, 4, 4]}
    for year, levels in ratings.items():
        _rate_at(s, org.window, MARCH.replace(year=year), levels, f"y{year}")
    keeper, order, whole_refresh = FigureKeeper(keep=2), [], figures.refresh

    def year_of(start: str) -> tuple[dict, str]:
        answer = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
            "unit_id": org.branch, "granularity": "year", "from": start, "to": start[:4] + "-12-31"})
        assert answer.status_code == 200, answer.json
        return {p["period_start"]: p["total"] for p in answer.json["items"]}, answer.json["as_of"]

    def recorded(uow, year, *args):
        if order:  # the year before this one shows already, while this one is being worked out
            assert year_of(f"{order[-1]}-01-01")[0] == {f"{order[-1]}-01-01": len(ratings[order[-1]])}
        else:  # someone reads 2024 while the worker works out 2025
            assert year_of("2024-01-01") == ({}, None)
        order.append(year)
        return whole_refresh(uow, year, *args)

    assert year_of("2025-01-01") == ({}, None)  # cold: answered at once, and wished
    with s.engine.connect() as conn:
        assert set(conn.execute(sa.select(disclosure_wishes.c.year)).scalars()) == {2025}
    monkeypatch.setattr(figures, "refresh", recorded)
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 3
    # the wished year first, the one wished meanwhile next, then the rest (by themselves newest first: 2026…)
    assert order == [2025, 2024, 2026]
    assert sorted(keeper.years) == [2025, 2026]  # the two newest kept, no more
    with s.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(disclosure_wishes)).scalar() == 0
    # a year without ratings read again and again: nothing to work out, and no turn made to look for it
    assert year_of("2023-01-01") == ({}, None)
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0
    assert year_of("2023-01-01") == ({}, None)
    monkeypatch.setattr(figures, "_fingerprints", lambda *args, **kwargs: pytest.fail("a turn scanned every rating"))
    assert refresh_changed(s.uow_factory, NOW, 3, keeper) == 0
