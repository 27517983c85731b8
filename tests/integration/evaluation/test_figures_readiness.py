"""Against PostgreSQL: every answer of the figures says whether its years are worked out (issue 24). A year with
ratings the worker has not worked out yet answers "preparing" — not the same as a year without ratings —, then
"ready" with its figures after the worker's pass; a year without ratings, worked out or not, is "ready" and
empty, so that the portal tells the two apart."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import disclosed_figures, disclosure_snapshots, disclosure_wishes
from evaluation_service.service import figures
from evaluation_service.service.figures import FigurePolicy
from evaluation_service.worker import scheduled_jobs
from tests.integration.evaluation.conftest import org_with_windows
from tests.integration.evaluation.test_window_ratings import _rate_at
from tests.support.services import start_service

APRIL = datetime(2025, 4, 14, 3, tzinfo=timezone.utc)  # 11:00 in Shanghai, a Monday
NOW = datetime(2026, 5, 1, 4, tzinfo=timezone.utc)  # the worker's turn: 2025 is last year


@pytest.fixture
def deployed(fresh_database, make_settings):
    """evaluation-service as deployed: figures worked out by the worker's job, never on read."""
    service = start_service("evaluation", fresh_database("evaluation"), make_settings, disclosure_refresh_seconds=30)
    yield service, org_with_windows(service)
    service.engine.dispose()


def answers(s, org, year: int, month: int = 4) -> dict[str, dict]:
    """The year's answers of every figure that says how fresh it is, by path."""
    ym, first, last = f"{year}-{month:02d}", f"{year}-01-01", f"{year}-12-31"
    queries = {
        "summary": {"unit_id": org.branch, "granularity": "month", "from": first, "to": last},
        "windows": {"unit_id": org.branch, "from": first, "to": last},
        "ranking": {"unit_id": org.branch, "month": ym, "min_ratings": 5},
        "rhythm": {"unit_id": org.branch, "from": first, "to": last},
        "stars": {"unit_id": org.branch, "month": ym, "by": "window"},
    }
    found = {}
    for path, query in queries.items():
        response = s.client.get(f"/api/ratings/{path}", headers=s.headers(org.secretary), query_string=query)
        assert response.status_code == 200, response.json
        found[path] = response.json
    return found


def state(found: dict) -> dict[str, tuple]:
    return {path: (body["figures"], body["as_of"]) for path, body in found.items()}


def test_a_year_not_worked_out_yet_says_so_and_its_figures_come_with_the_workers_pass(deployed):
    s, org = deployed
    _rate_at(s, org.window, APRIL, [5, 5, 4, 4, 3, 1], "a")
    _rate_at(s, org.other_window, APRIL, [5, 5, 5, 5, 4], "b")

    cold = answers(s, org, 2025)
    assert set(state(cold).values()) == {("preparing", None)}, state(cold)
    # what the portal showed as "no ratings" before: nothing, and every window without a figure
    assert cold["summary"]["items"] == [] and cold["ranking"]["items"] == [] and cold["stars"]["items"] == []
    assert {w["ratings"] for w in cold["windows"]["items"]} == {0}

    (job,) = [j for j in scheduled_jobs(s.settings)(s.uow_factory) if j.name == "evaluation.refresh_figures"]
    assert job.run(NOW) == 2  # 2025, with ratings, and this year, without

    ready = answers(s, org, 2025)
    assert set(state(ready).values()) == {("ready", NOW.isoformat())}, state(ready)
    assert [(p["period_start"], p["total"]) for p in ready["summary"]["items"]] == [("2025-04-01", 11)]
    assert {w["window_id"]: w["ratings"] for w in ready["windows"]["items"]} == {
        str(org.window): 6, str(org.other_window): 5}
    assert [p["key"] for p in ready["ranking"]["items"]] == [str(org.other_window), str(org.window)]
    assert {g["key"] for g in ready["stars"]["items"]} == {str(org.window), str(org.other_window)}
    assert [(b["key"], b["ratings"]) for b in ready["rhythm"]["by_hour"] if b["ratings"]] == [(11, 11)]

    # this year, worked out by the same pass, has no ratings: ready, and empty
    empty = answers(s, org, 2026)
    assert set(state(empty).values()) == {("ready", NOW.isoformat())}, state(empty)
    assert empty["summary"]["items"] == [] and empty["ranking"]["items"] == [] and empty["stars"]["items"] == []


def test_a_year_without_ratings_is_ready_and_empty_though_the_worker_never_works_it_out(deployed):
    s, org = deployed
    _rate_at(s, org.window, APRIL, [5, 5, 4, 4, 3], "a")  # another year has ratings, not worked out either
    never = answers(s, org, 2023)
    assert set(state(never).values()) == {("ready", None)}, state(never)
    assert never["summary"]["items"] == [] and never["ranking"]["items"] == [] and never["stars"]["items"] == []
    # a range over both years waits for the one that has ratings
    both = s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string={
        "unit_id": org.branch, "granularity": "year", "from": "2023-01-01", "to": "2025-12-31"}).json
    assert (both["figures"], both["items"]) == ("preparing", [])


def test_january_waits_for_the_december_before_it_in_the_ranking(deployed):
    s, org = deployed
    december = datetime(2025, 12, 10, 2, tzinfo=timezone.utc)
    _rate_at(s, org.window, december, [5, 5, 4, 4, 3], "d")
    (job,) = [j for j in scheduled_jobs(s.settings)(s.uow_factory) if j.name == "evaluation.refresh_figures"]
    ranking = {"unit_id": org.branch, "month": "2026-01"}
    before = s.client.get("/api/ratings/ranking", headers=s.headers(org.secretary), query_string=ranking).json
    assert before["figures"] == "preparing"  # the flag "last two months running" reads December too
    job.run(NOW)
    after = s.client.get("/api/ratings/ranking", headers=s.headers(org.secretary), query_string=ranking).json
    assert (after["figures"], after["as_of"]) == ("ready", NOW.isoformat())


def test_reads_of_a_year_being_worked_out_wish_it_once_and_again_only_once_it_was_worked_out(deployed):
    """The portal asks every 5 s while a year is prepared: each read reads the snapshots once, and neither
    writes the wish again nor probes the ratings again (review of issue 24)."""
    s, org = deployed
    _rate_at(s, org.window, APRIL, [5, 5, 4, 4, 3], "a")
    summary = {"unit_id": org.branch, "granularity": "month", "from": "2025-01-01", "to": "2025-12-31"}

    def read() -> str:
        return s.client.get("/api/ratings/summary", headers=s.headers(org.secretary), query_string=summary).json["figures"]

    def wished() -> list[int]:
        with s.engine.begin() as conn:
            return list(conn.execute(sa.select(disclosure_wishes.c.year)).scalars())

    assert read() == "preparing" and wished() == [2025]
    with s.engine.begin() as conn:  # let go by hand: a read that wished again would write it back
        conn.execute(sa.delete(disclosure_wishes))
    assert read() == "preparing" and wished() == []

    (job,) = [j for j in scheduled_jobs(s.settings)(s.uow_factory) if j.name == "evaluation.refresh_figures"]
    job.run(NOW)
    assert read() == "ready"
    with s.engine.begin() as conn:  # cold again, as after its figures were deleted: wished again, once
        conn.execute(sa.delete(disclosed_figures))
        conn.execute(sa.delete(disclosure_snapshots))
    assert read() == "preparing" and wished() == [2025]
    with s.uow_factory() as uow:
        assert figures.ensure(uow, [2024, 2025, 2026], FigurePolicy(3))[1] == [2024, 2025, 2026]
