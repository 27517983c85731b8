"""A random month of kept figures for the month ranking, and the ranking worked out from it by hand in Python, so
that the database's ranking (``figures.month_places``) can be compared with it on SQLite and on PostgreSQL."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

import sqlalchemy as sa

from evaluation_service.adapters.tables import disclosed_figures
from evaluation_service.domain.ratings import SATISFIED_LEVELS
from evaluation_service.service import figures, statistics
from pacesetter_shared.directory import units, windows
from pacesetter_shared.identity import Identity

MONTH, BEFORE = date(2026, 6, 1), date(2026, 5, 1)
# few distinct counts per level, so that many tie on rate, and on rate and ratings
COUNTS = (0, 0, 1, 2, 3, 10, 16)


def rate(levels: tuple) -> int:
    """Satisfaction in ten-thousandths, a half rounded up, from the exact fraction."""
    return int(Fraction(sum(levels[n - 1] for n in SATISFIED_LEVELS), sum(levels)) * 10_000 + Fraction(1, 2))


@dataclass
class RandomMonths:
    """Units in a tree (``root`` ranks the windows at or under it), windows in them, some closed or outside, and
    two months of their answers and of members on duty's, some hidden."""

    seed: int
    root: uuid.UUID = field(default_factory=uuid.uuid4)
    inside: set = field(default_factory=set)  # the active windows at or under root
    answers: dict = field(default_factory=dict)  # (kind, month) -> {key: levels or None when hidden}
    served: dict = field(default_factory=dict)  # member -> the windows of their month

    def write(self, conn, windows_count: int = 300, members: int = 300) -> None:
        rng = random.Random(self.seed)
        tree = [self.root]
        outside = uuid.uuid4()
        conn.execute(sa.insert(units), [dict(id=u, name=f"单位{i}", kind="branch", parent_id=None,
                                             department_kind="teaching", active=True, revision=1)
                                        for i, u in enumerate((self.root, outside))])
        for i in range(12):  # a tree three deep under root
            unit = uuid.uuid4()
            conn.execute(sa.insert(units).values(id=unit, name=f"下级{i}", kind="branch", parent_id=rng.choice(tree),
                                                 department_kind="teaching", active=True, revision=1))
            tree.append(unit)
        made = []
        for i in range(windows_count):
            window, unit, active = uuid.uuid4(), rng.choice(tree + [outside]), rng.random() > 0.05
            conn.execute(sa.insert(windows).values(id=window, name=f"窗口{i}", kind="window", location="", unit_id=unit,
                                                   on_duty_ids=[], standards={}, active=active, revision=1))
            made.append(window)
            if active and unit != outside:
                self.inside.add(window)
        poor = set(rng.sample(made, 8))  # none satisfied, both months: last twice running, unless left out
        for month in (MONTH, BEFORE):
            self.answers["window", month] = {w: (rng.choice((16, 20)), 16, 0, 0, 0) if w in poor else self._levels(rng)
                                             for w in made if rng.random() > 0.1}
        for _ in range(members):
            self.served[uuid.uuid4()] = sorted(rng.sample(made, rng.choice((1, 1, 2, 3))), key=str)
        self.answers["on_duty", MONTH] = {m: self._levels(rng) for m in self.served}
        for (kind, month), answers in self.answers.items():
            conn.execute(sa.insert(disclosed_figures), [dict(
                kind=kind, key=key, granularity="month", period_start=month, part=-1, year=month.year,
                shown=levels is not None, windows=[str(w) for w in self.served[key]] if kind == "on_duty" else None,
                **{f"level_{n}": levels[n - 1] if levels else None for n in range(1, 6)})
                for key, levels in answers.items()])

    @staticmethod
    def _levels(rng: random.Random) -> tuple | None:
        levels = tuple(rng.choice(COUNTS) for _ in range(5))
        return None if rng.random() < 0.1 or not sum(levels) else levels

    def ranked(self, kind: str, month: date, least: int) -> list[tuple]:
        """(key, rank, ratings, rate) in the ranking's order: best rate, most ratings, key as text."""
        def counts(key):
            return kind == "window" and key in self.inside or kind == "on_duty" and set(self.served[key]) <= self.inside
        eligible = sorted(((key, sum(levels), rate(levels)) for key, levels in self.answers[kind, month].items()
                           if levels and sum(levels) >= least and counts(key)), key=lambda e: (-e[2], -e[1], str(e[0])))
        places = []
        for position, (key, total, rate_) in enumerate(eligible, start=1):
            rank = places[-1][1] if places and places[-1][3] == rate_ else position
            places.append((key, rank, total, rate_))
        return places

    @staticmethod
    def last(places: list[tuple]) -> set:
        rates = {p[3] for p in places}
        return {p[0] for p in places if p[3] == min(rates)} if len(rates) > 1 else set()

    def expected(self, kind: str, least: int) -> list[tuple]:
        """The whole ranking, each place with whether it is last this month and the month before."""
        places = self.ranked(kind, MONTH, least)
        flagged = self.last(places) & self.last(self.ranked(kind, BEFORE, least)) if kind == "window" else set()
        return [(*place, place[0] in flagged) for place in places]


def assert_ranked_by_the_database(uow_factory, months: RandomMonths, kind: str, least: int, limit: int = 7) -> None:
    """Every page of the ranking under ``months.root``, as the use case answers it, is the ranking worked out by
    hand, and so is the number of places — past the last page too."""
    expected = months.expected(kind, least)
    # ties abound, on rate and on rate and ratings, where the key decides
    assert len(expected) > 3 * limit and len({(e[2], e[3]) for e in expected}) < 0.9 * len(expected)
    assert any(e[4] for e in expected) == (kind == "window")
    me = Identity(subject=str(uuid.uuid4()), kind="person")
    got = []
    for offset in range(0, len(expected) + limit, limit):
        with uow_factory() as uow:
            page, places, _ = statistics.month_ranking(
                uow, me, unit_id=months.root, month=MONTH, by=kind, min_ratings=least,
                policy=figures.FigurePolicy(min_group=3), offset=offset, limit=limit)
        assert places == len(expected)
        got += [(p["key"], p["rank"], p["ratings"], p["satisfaction_rate"], p["last_two_months"]) for p in page]
    assert got == [(key, rank, total, rate_ / 10_000, flagged) for key, rank, total, rate_, flagged in expected]
