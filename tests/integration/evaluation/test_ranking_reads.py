"""Against PostgreSQL: the month ranking reads the kept figures of the windows at or under a unit, however deep
(the units below it are found by the database), ranks, counts and pages their shown month answers there, and
names only the page it answers (issue 24: the committee's ranking over 5,000 windows). Rows are written as the
worker leaves them, so that ties, hidden months and pages are chosen here, or at random and worked out by hand."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import disclosed_figures, disclosure_snapshots
from pacesetter_shared.directory import windows
from tests.support.ranking import RandomMonths, assert_ranked_by_the_database
from tests.support.services import OrgFixture, start_service

RANKING = "/api/ratings/ranking"
JUNE, MAY = date(2026, 6, 1), date(2026, 5, 1)


@pytest.fixture
def deployed(fresh_database, make_settings):
    """Figures kept by the worker, never worked out on read (which would write over the rows made here)."""
    service = start_service("evaluation", fresh_database("evaluation"), make_settings, disclosure_refresh_seconds=30)
    yield service
    service.engine.dispose()


def _window(s, unit_id, name) -> uuid.UUID:
    window_id = uuid.uuid4()
    s.deliver("directory.window_upserted", {"window_id": window_id, "name": name, "unit_id": unit_id,
                                            "responsible_id": None, "revision": 1, "on_duty_ids": [],
                                            "standards": {"items": [], "workflow": "", "time_limit": ""}})
    return window_id


def _month(conn, window_id, month: date, levels: tuple | None) -> None:
    """A window's month answer: counts of levels 1–5, or hidden (None)."""
    conn.execute(sa.insert(disclosed_figures).values(
        kind="window", key=window_id, granularity="month", period_start=month, part=-1, year=month.year,
        shown=levels is not None, **{f"level_{n}": (levels[n - 1] if levels else None) for n in range(1, 6)}))


def test_the_ranking_sums_the_shown_months_of_every_window_under_the_unit_and_pages_them(deployed):
    s = deployed
    org = OrgFixture(s)
    deeper = uuid.uuid4()  # a group under the branch: its windows count for the general branch too
    s.deliver("directory.unit_upserted", {"unit_id": deeper, "name": "教工第一党小组", "kind": "branch",
                                          "parent_id": org.branch, "revision": 1})
    # six windows under the general branch ranked; two tie on rate and total (ordered by key as text); one hidden,
    # one with too few ratings, one closed, one under another general branch
    made = {name: _window(s, unit, name) for name, unit in (
        ("甲", org.branch), ("乙", org.branch), ("丙", deeper), ("丁", deeper), ("戊", org.general_branch),
        ("己", org.branch), ("隐", org.branch), ("少", org.branch), ("停", org.branch), ("外", org.other_branch))}
    june = {"甲": (0, 0, 0, 10, 30), "乙": (1, 1, 0, 10, 28), "丙": (0, 0, 0, 10, 30), "丁": (10, 10, 5, 5, 10),
            "戊": (0, 2, 8, 10, 22), "己": (20, 10, 0, 0, 10), "隐": None, "少": (0, 0, 0, 0, 5),
            "停": (0, 0, 0, 0, 40), "外": (0, 0, 0, 0, 50)}
    may = {"甲": (0, 0, 0, 0, 40), "己": (30, 0, 0, 0, 10), "丁": (0, 0, 0, 0, 40)}
    with s.engine.begin() as conn:
        for name, levels in june.items():
            _month(conn, made[name], JUNE, levels)
        for name, levels in may.items():
            _month(conn, made[name], MAY, levels)
        conn.execute(sa.update(windows).where(windows.c.id == made["停"]).values(active=False))
        conn.execute(sa.insert(disclosure_snapshots).values(year=2026, fingerprint="test", answers=13,
                                                            computed_at=datetime(2026, 7, 1, tzinfo=timezone.utc)))

    def page(**query):
        response = s.client.get(RANKING, query_string={"unit_id": org.general_branch, "month": "2026-06", **query},
                                headers=s.headers(org.org))
        assert response.status_code == 200, response.json
        return response.json

    whole = page(limit=100)
    # 甲 and 丙 tie (1.0 over 40): the smaller key as text first; 己 is last in June and in May
    first, second = sorted(["甲", "丙"], key=lambda name: str(made[name]))
    assert [(p["key"], p["name"], p["rank"], p["ratings"], p["satisfaction_rate"], p["last_two_months"])
            for p in whole["items"]] == [(str(made[name]), name, *rest) for name, *rest in (
                (first, 1, 40, 1.0, False), (second, 1, 40, 1.0, False), ("戊", 3, 42, 0.9524, False),
                ("乙", 4, 40, 0.95, False), ("丁", 5, 40, 0.5, False), ("己", 6, 40, 0.25, True))]
    assert whole["total"] == 6
    pages = [page(limit=2, offset=offset) for offset in (0, 2, 4, 6)]
    assert [p["items"] for p in pages] == [whole["items"][0:2], whole["items"][2:4], whole["items"][4:6], []]
    assert {p["total"] for p in pages} == {6}
    fewer = page(min_ratings=5, limit=100)  # 少's five ratings, all satisfied, share the first place
    assert (fewer["total"], [(p["name"], p["rank"]) for p in fewer["items"] if p["name"] == "少"]) == (7, [("少", 1)])


def test_members_rank_under_a_unit_only_when_they_served_only_there_and_unknown_units_are_not_found(deployed):
    s = deployed
    org = OrgFixture(s)
    inside, outside = _window(s, org.branch, "里"), _window(s, org.other_branch, "外")
    with s.engine.begin() as conn:
        # 陈党员 also served outside the general branch: not ranked under it
        served_at = [(org.peer, [inside], (0, 0, 0, 0, 40)), (org.member, [inside, outside], (0, 0, 0, 0, 40)),
                     (org.secretary, [inside], (10, 0, 0, 0, 30))]
        for person, served, levels in served_at:
            conn.execute(sa.insert(disclosed_figures).values(
                kind="on_duty", key=uuid.UUID(person.subject), granularity="month", period_start=JUNE, part=-1,
                year=2026, shown=True, windows=sorted(str(w) for w in served), home_unit_id=org.branch,
                **{f"level_{n}": levels[n - 1] for n in range(1, 6)}))
        conn.execute(sa.insert(disclosure_snapshots).values(year=2026, fingerprint="test", answers=3,
                                                            computed_at=datetime(2026, 7, 1, tzinfo=timezone.utc)))
    response = s.client.get(RANKING, query_string={"unit_id": org.general_branch, "month": "2026-06", "by": "on_duty"},
                            headers=s.headers(org.org))
    assert [(p["name"], p["rank"], p["ratings"], p["satisfaction_rate"]) for p in response.json["items"]] == [
        ("刘伟", 1, 40, 1.0), ("张支书", 2, 40, 0.75)]
    nowhere = uuid.uuid4()
    for path, query in ((RANKING, {"month": "2026-06"}), ("/api/ratings/rhythm", {"from": "2026-06-01", "to": "2026-06-30"})):
        missing = s.client.get(path, query_string={"unit_id": nowhere, **query}, headers=s.headers(org.org))
        assert missing.status_code == 404, (path, missing.json)


@pytest.mark.parametrize("seed", range(2))
def test_random_windows_and_members_take_the_places_worked_out_by_hand(deployed, seed):
    months = RandomMonths(seed)
    with deployed.uow_factory() as uow:
        months.write(uow.session)
    for kind, least in (("window", 3), ("window", 30), ("on_duty", 10)):
        assert_ranked_by_the_database(deployed.uow_factory, months, kind, least)
