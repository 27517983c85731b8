"""The month ranking (星级窗口 / 服务标兵), ranked, counted and paged by the database: on SQLite, the embedded mode,
random windows and members on duty take the places worked out by hand (tests/support/ranking.py; PostgreSQL in
tests/integration/evaluation/test_ranking_reads.py), and a rate rounds its half up."""
from __future__ import annotations

import uuid
from fractions import Fraction

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import disclosed_figures
from evaluation_service.app import migrate
from evaluation_service.domain.ratings import LevelCounts, rate_in_places, rate_of
from evaluation_service.service import figures, statistics
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.directory import units, windows
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWorkFactory
from tests.support.ranking import BEFORE, MONTH, RandomMonths, assert_ranked_by_the_database


@pytest.fixture
def uow_factory(tmp_path):
    settings = load_settings("evaluation", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    migrate(settings)
    engine = make_engine(settings.database_url)
    yield UnitOfWorkFactory(make_session_factory(engine), "test")
    engine.dispose()


@pytest.mark.parametrize("seed", range(3))
def test_random_windows_and_members_take_the_places_worked_out_by_hand(uow_factory, seed):
    months = RandomMonths(seed)
    with uow_factory() as uow:
        months.write(uow.session)
    for kind, least in (("window", 3), ("window", 30), ("on_duty", 10)):
        assert_ranked_by_the_database(uow_factory, months, kind, least)


def test_a_rate_is_kept_to_four_places_and_a_half_rounds_up():
    for total in range(1, 400):
        for satisfied in range(total + 1):
            assert rate_in_places(satisfied, total) == int(Fraction(satisfied * 10_000, total) + Fraction(1, 2))
    assert rate_of(1, 32) == 0.0313  # 0.03125: 四舍五入, where round() of the float gave 0.0312
    assert rate_of(2, 3) == LevelCounts({5: 2, 1: 1}).satisfaction_rate == 0.6667
    assert rate_of(0, 0) is None and LevelCounts({}).satisfaction_rate is None


def test_who_is_last_two_months_running_is_flagged_but_a_tie_for_first_is_no_last_place(uow_factory):
    root, (a, b, c) = uuid.uuid4(), (uuid.uuid4() for _ in range(3))
    me = Identity(subject=str(uuid.uuid4()), kind="person")

    def ranking():
        with uow_factory() as uow:
            page, _, _ = statistics.month_ranking(uow, me, unit_id=root, month=MONTH, by="window", min_ratings=3,
                                                  policy=figures.FigurePolicy(min_group=3), offset=0, limit=10)
        return {p["key"]: (p["rank"], p["last_two_months"]) for p in page}

    with uow_factory() as uow:
        uow.session.execute(sa.insert(units).values(id=root, name="支部", kind="branch", department_kind="teaching",
                                                    active=True, revision=1))
        for window, levels in ((a, (0, 0, 0, 0, 40)), (b, (0, 0, 0, 0, 30))):
            _window_months(uow, root, window, levels)
    assert ranking() == {a: (1, False), b: (1, False)}
    with uow_factory() as uow:
        _window_months(uow, root, c, (20, 0, 0, 0, 20))
    assert ranking() == {a: (1, False), b: (1, False), c: (3, True)}


def _window_months(uow, unit_id, window_id, levels) -> None:
    """A window with the same shown answer in June and May."""
    uow.session.execute(sa.insert(windows).values(id=window_id, name="窗口", kind="window", location="", unit_id=unit_id,
                                                  on_duty_ids=[], standards={}, active=True, revision=1))
    uow.session.execute(sa.insert(disclosed_figures), [dict(
        kind="window", key=window_id, granularity="month", period_start=month, part=-1, year=2026, shown=True,
        **{f"level_{n}": levels[n - 1] for n in range(1, 6)}) for month in (MONTH, BEFORE)])
