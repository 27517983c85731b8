"""On PostgreSQL and on SQLite (the embedded mode): a whole pass over a year streams its ratings into the guard in
chunks and its rows out, then sets them against the year's stored rows — what went is deleted, what changed is
written over, what is new is added, other years are left alone — and both databases end with the same rows."""
from __future__ import annotations

import gc
import uuid
import weakref
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import disclosed_figures, disclosure_snapshots
from evaluation_service.service import figures
from evaluation_service.service.figures import refresh
from tests.integration.evaluation.conftest import org_with_windows
from tests.integration.evaluation.test_figures import APRIL, MARCH, NOW, kept_rows, whole_pass_rows
from tests.integration.evaluation.test_window_ratings import _rate_at
from tests.support.services import start_service


def service_on(backend: str, fresh_database, make_settings, tmp_path):
    url = fresh_database("evaluation") if backend == "postgresql" else f"sqlite:///{tmp_path}/evaluation.sqlite"
    return start_service("evaluation", url, make_settings, disclosure_refresh_seconds=300)


@pytest.fixture(params=["postgresql", "sqlite"])
def background(request, fresh_database, make_settings, tmp_path):
    service = service_on(request.param, fresh_database, make_settings, tmp_path)
    yield service, org_with_windows(service)
    service.engine.dispose()


def rate_a_spring(s, org) -> None:
    _rate_at(s, org.window, MARCH, [5, 5, 4, 4], "a", on_duty=org.peer.subject)
    _rate_at(s, org.other_window, MARCH + timedelta(days=1), [5, 5, 5, 1], "b", on_duty=org.peer2.subject)
    _rate_at(s, org.window, APRIL, [5, 4, 1], "c", on_duty=org.peer2.subject)


def whole_pass(s) -> None:
    with s.engine.begin() as conn:  # what was written no longer counts as the year's: the next refresh is whole
        conn.execute(sa.delete(disclosure_snapshots))
    with s.uow_factory() as uow:
        assert refresh(uow, 2026, 3, NOW)


def row(s, kind, key, granularity, start: date):
    with s.engine.connect() as conn:
        return conn.execute(sa.select(disclosed_figures).where(
            disclosed_figures.c.kind == kind, disclosed_figures.c.key == key,
            disclosed_figures.c.granularity == granularity, disclosed_figures.c.period_start == start)).one_or_none()


def test_a_whole_pass_over_stored_rows_deletes_what_went_writes_over_what_changed_and_adds_what_is_new(
        background, monkeypatch):
    s, org = background
    rate_a_spring(s, org)
    whole_pass(s)
    march, april, may = (date(2026, month, 1) for month in (3, 4, 5))
    stale = {"kind": "window", "key": org.window, "granularity": "day", "period_start": date(2026, 6, 1),
             "part": figures.COUNTS, "year": 2026, "shown": True, "level_5": 3}
    other_year = stale | {"granularity": "year", "period_start": date(2025, 1, 1), "year": 2025}
    key_of = (disclosed_figures.c.kind, disclosed_figures.c.key, disclosed_figures.c.granularity,
              disclosed_figures.c.period_start)
    with s.engine.begin() as conn:
        conn.execute(sa.insert(disclosed_figures), [stale, other_year])
        conn.execute(sa.update(disclosed_figures).where(sa.tuple_(*key_of) == ("window", org.window, "month", march))
                     .values(level_5=99))
        conn.execute(sa.update(disclosed_figures).where(
            sa.tuple_(*key_of) == ("on_duty", uuid.UUID(org.peer2.subject), "month", april)).values(windows=["x"]))
        conn.execute(sa.delete(disclosed_figures).where(sa.tuple_(*key_of) == ("unit", org.branch, "month", april)))
    _rate_at(s, org.other_window, APRIL + timedelta(days=30), [5, 5, 4], "d", on_duty=org.peer.subject)
    monkeypatch.setattr(figures, "_CHUNK", 2)  # the year's ratings taken in two cells at a time
    whole_pass(s)

    assert row(s, "window", org.window, "day", stale["period_start"]) is None
    assert row(s, "window", org.window, "year", other_year["period_start"]).level_5 == 3
    assert row(s, "window", org.window, "month", march).level_5 == 2
    assert row(s, "on_duty", uuid.UUID(org.peer2.subject), "month", april).windows == [str(org.window)]
    assert row(s, "unit", org.branch, "month", april).level_5 == 1
    assert row(s, "window", org.other_window, "month", may).level_5 == 2
    streamed = {key: values for key, values in kept_rows(s).items() if key[3].year == 2026}
    monkeypatch.undo()
    assert streamed == whole_pass_rows(s)  # as one chunk from nothing


def test_a_row_that_did_not_change_is_not_written_again(fresh_database, make_settings, tmp_path):
    s = service_on("postgresql", fresh_database, make_settings, tmp_path)
    org = org_with_windows(s)
    rate_a_spring(s, org)
    whole_pass(s)

    def versions():  # PostgreSQL's row version: a row rewritten gets a new one
        with s.engine.connect() as conn:
            return {tuple(r[:4]): r.xmin for r in conn.execute(sa.select(
                disclosed_figures.c.kind, disclosed_figures.c.key, disclosed_figures.c.granularity,
                disclosed_figures.c.period_start, sa.column("xmin")))}

    before = versions()
    _rate_at(s, org.window, APRIL, [5, 5], "d", on_duty=org.peer2.subject)
    whole_pass(s)
    after = versions()
    assert after[("window", org.window, "month", MARCH.date().replace(day=1))] == before[
        ("window", org.window, "month", MARCH.date().replace(day=1))]
    assert after[("window", org.window, "month", APRIL.date().replace(day=1))] != before[
        ("window", org.window, "month", APRIL.date().replace(day=1))]
    s.engine.dispose()


def test_a_whole_pass_leaves_postgresql_statistics_of_the_rows_it_wrote(fresh_database, make_settings, tmp_path):
    """Read right after a whole pass, the rows are planned from statistics of them, not of the table before (none, or
    a year ago's): autovacuum may be late, or off."""
    s = service_on("postgresql", fresh_database, make_settings, tmp_path)
    org = org_with_windows(s)
    rate_a_spring(s, org)

    def planned_rows():
        with s.engine.connect() as conn:
            return conn.execute(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'disclosed_figures'")).scalar()

    assert planned_rows() == -1  # never analysed
    whole_pass(s)
    with s.engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(disclosed_figures)).scalar()
    assert stored > 0 and planned_rows() == stored
    s.engine.dispose()


def test_postgresql_and_sqlite_work_a_year_out_into_the_same_rows(fresh_database, make_settings, tmp_path):
    written = {}
    for backend in ("postgresql", "sqlite"):
        s = service_on(backend, fresh_database, make_settings, tmp_path)
        org = org_with_windows(s)
        rate_a_spring(s, org)
        whole_pass(s)
        # each database's directory has its own ids: the rows compared by what the ids stand for
        names = {org.committee: "committee", org.general_branch: "general branch", org.branch: "branch",
                 org.window: "window", org.other_window: "other window", uuid.UUID(org.peer.subject): "peer",
                 uuid.UUID(org.peer2.subject): "peer2"}
        names.update({str(key): name for key, name in names.items()})
        written[backend] = {(kind, names[key], *rest): (*values[:-2], values[-2] and [names[w] for w in values[-2]],
                                                        names.get(values[-1]))
                            for (kind, key, *rest), values in kept_rows(s).items()}
        s.engine.dispose()
    assert len(written["postgresql"]) == 73
    assert written["postgresql"] == written["sqlite"]


def test_the_collector_is_paused_for_a_whole_pass_and_a_kept_guard_is_set_aside_from_it(background, monkeypatch):
    s, org = background
    rate_a_spring(s, org)
    with s.engine.begin() as conn:
        conn.execute(sa.delete(disclosure_snapshots))
    seen = []
    take = figures.YearGuard.add_all
    monkeypatch.setattr(figures.YearGuard, "add_all", lambda guard, chunks: seen.append(gc.isenabled())
                        or take(guard, chunks))
    gc.unfreeze()
    try:
        with s.uow_factory() as uow:  # the worker's whole pass: its guard kept
            assert refresh(uow, 2026, 3, NOW, figures.FigureKeeper())
        assert seen == [False] and gc.isenabled()
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        monkeypatch.setattr(figures.YearGuard, "add_all", lambda guard, chunks: 1 / 0)
        with s.engine.begin() as conn:
            conn.execute(sa.delete(disclosure_snapshots))
        with pytest.raises(ZeroDivisionError), s.uow_factory() as uow:  # a read's pass, failing: nothing kept
            refresh(uow, 2026, 3, NOW)
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_kept_guard_takes_new_ratings_in_with_the_collector_paused_and_sets_them_aside_after_the_turn(
        background, monkeypatch):
    s, org = background
    rate_a_spring(s, org)
    keeper = figures.FigureKeeper(settle_wait=0)
    gc.unfreeze()
    try:
        assert figures.refresh_changed(s.uow_factory, NOW, 3, keeper) == 1  # the whole pass, its guard kept
        _rate_at(s, org.window, APRIL, [5, 5], "d", on_duty=org.peer.subject)
        seen = []
        take = figures.YearGuard.add_all
        monkeypatch.setattr(figures.YearGuard, "add_all", lambda guard, chunks: seen.append(
            (gc.isenabled(), gc.get_freeze_count())) or take(guard, chunks))
        held = []
        monkeypatch.setattr(keeper, "hold", lambda year, kept: held.append(
            gc.get_freeze_count()) or figures.FigureKeeper.hold(keeper, year, kept))
        gc.unfreeze()
        assert figures.refresh_changed(s.uow_factory, NOW + timedelta(minutes=1), 3, keeper) == 1
        # taken in (not a whole pass) with the collector paused and nothing set aside inside the transaction; the
        # turn over, the collector runs again and what lives on is set aside
        assert seen == [(False, 0)] and held == [0]
        assert gc.isenabled() and gc.get_freeze_count() > 0
        # what died is collected before, not set aside for good
        gc.unfreeze()
        gc.disable()

        class Cycle:
            pass

        dead = Cycle()
        dead.me = dead
        gone = weakref.ref(dead)
        del dead
        keeper.set_aside()
        assert gone() is None and gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()
