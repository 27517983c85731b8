"""The anonymity guard against inference by subtraction (互补抑制): attacks tried systematically.

Each attack takes every pair of shown answers where one holds the other (judged on the ratings
themselves, not on the query's words) and subtracts: no difference may be a group of 1 … min_group-1.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest

from evaluation_service.domain.disclosure import Cell, Organisation, disclose, revealed_by_two

COMMITTEE, GENERAL, BRANCH_A, BRANCH_B = (uuid.UUID(int=i) for i in range(1, 5))
WINDOWS = [uuid.UUID(int=100 + i) for i in range(4)]
MEMBERS = [uuid.UUID(int=200 + i) for i in range(3)]
ORG = Organisation(
    window_unit={WINDOWS[0]: BRANCH_A, WINDOWS[1]: BRANCH_A, WINDOWS[2]: BRANCH_B, WINDOWS[3]: GENERAL},
    parent={COMMITTEE: None, GENERAL: COMMITTEE, BRANCH_A: GENERAL, BRANCH_B: GENERAL})
# 2026-03-30 is a Monday: its week straddles March and April
DAYS = [date(2026, 3, 27) + timedelta(days=i) for i in range(8)]


def remainders_too_small(disclosure, min_group: int) -> list:
    """Rule 3's attack: a shown answer minus all its shown parts of one kind."""
    from evaluation_service.domain.disclosure import _kind
    found = []
    for big in disclosure.shown:
        by_kind: dict = {}
        for small in disclosure.shown:
            if small != big and disclosure.cells_of(small) <= disclosure.cells_of(big) \
                    and _kind(small, ORG) != _kind(big, ORG):
                by_kind.setdefault(_kind(small, ORG), []).append(small)
        for kind, parts in by_kind.items():
            left = disclosure.totals[big] - sum(disclosure.totals[p] for p in parts)
            if 0 < left < min_group:
                found.append((big, kind, left))
    return found


def random_cells(rng: random.Random, size: int) -> dict:
    cells = {}
    for _ in range(size):
        cell = Cell(rng.choice(WINDOWS), rng.choice(MEMBERS + [None]), rng.choice(DAYS), rng.choice([9, 10, 15]))
        level = rng.choice([1, 2, 3, 4, 5])
        counts = cells.setdefault(cell, {})
        counts[level] = counts.get(level, 0) + rng.choice([1, 1, 1, 2, 4])
    return cells


@pytest.mark.parametrize("min_group", [3, 5])
@pytest.mark.parametrize("seed", range(60))
def test_no_two_shown_answers_give_a_small_group_away(seed, min_group):
    cells = random_cells(random.Random(seed), size=random.Random(seed).randint(1, 40))
    disclosure = disclose(cells, ORG, min_group)
    assert all(disclosure.totals[key] >= min_group for key in disclosure.shown)
    assert revealed_by_two(disclosure, min_group) == []
    assert remainders_too_small(disclosure, min_group) == []
    everything = sum(sum(c.values()) for c in cells.values())
    top = ("unit", COMMITTEE, "year", date(2026, 1, 1))
    # the guard hides what it must, not everything: the whole committee's year shows once large enough
    assert (top in disclosure.shown) == (everything >= min_group)


def ratings(window, day, n, on_duty=None, hour=10, level=5) -> dict:
    return {Cell(window, on_duty, day, hour): {level: n}}


def test_a_week_lying_inside_a_month_cannot_be_subtracted_from_it():
    # window 0: one rating on 27 March, four on Monday 30 March, none from 31 March to 5 April
    cells = {**ratings(WINDOWS[0], DAYS[0], 1), **ratings(WINDOWS[0], DAYS[3], 4)}
    disclosure = disclose(cells, ORG, 3)
    month = ("window", WINDOWS[0], "month", date(2026, 3, 1))
    week = ("window", WINDOWS[0], "week", date(2026, 3, 30))
    # the week straddles April but holds only March ratings: shown, March minus it gives 27 March away
    assert disclosure.cells_of(week) <= disclosure.cells_of(month)
    assert disclosure.get(month).total == 5 and disclosure.get(week) is None
    assert revealed_by_two(disclosure, 3) == []


def test_the_attack_finds_what_a_threshold_alone_would_leak():
    cells = {**ratings(WINDOWS[0], DAYS[0], 1), **ratings(WINDOWS[0], DAYS[3], 4)}
    naive = disclose(cells, ORG, 3)
    naive.shown = {key for key, size in naive.totals.items() if size >= 3}
    leaks = revealed_by_two(naive, 3)
    assert (("window", WINDOWS[0], "month", date(2026, 3, 1)), ("window", WINDOWS[0], "week", date(2026, 3, 30)),
            1) in leaks


def test_a_window_cannot_be_subtracted_from_its_unit_nor_its_siblings_added_up():
    day = DAYS[0]
    cells = {**ratings(WINDOWS[0], day, 10), **ratings(WINDOWS[1], day, 10, hour=11),
             **ratings(WINDOWS[2], day, 1, hour=12)}
    disclosure = disclose(cells, ORG, 3)
    general = ("unit", GENERAL, "day", day)
    assert disclosure.get(general).total == 21
    # branch A (20) inside the general branch (21): one rating apart, so the branch hides…
    assert disclosure.get(("unit", BRANCH_A, "day", day)) is None
    # …and its two windows cannot both show, or 21 − 10 − 10 would give window 2's rating away
    shown_windows = [w for w in WINDOWS[:2] if disclosure.get(("window", w, "day", day))]
    assert len(shown_windows) < 2
    assert revealed_by_two(disclosure, 3) == [] and remainders_too_small(disclosure, 3) == []


def test_a_member_on_duty_cannot_be_subtracted_from_the_window():
    day = DAYS[0]
    cells = {**ratings(WINDOWS[0], day, 5, on_duty=MEMBERS[0]), **ratings(WINDOWS[0], day, 1, on_duty=MEMBERS[1])}
    disclosure = disclose(cells, ORG, 3)
    window = ("window", WINDOWS[0], "day", day)
    member = ("on_duty", MEMBERS[0], "day", day)
    assert disclosure.get(window).total == 6
    assert disclosure.get(member) is None  # 6 − 5 would be member 1's one rating
    assert disclosure.get(("on_duty", MEMBERS[1], "day", day)) is None


def test_an_hour_of_the_rhythm_cannot_be_subtracted_from_the_month():
    cells = {**ratings(WINDOWS[0], DAYS[0], 6, hour=10), **ratings(WINDOWS[0], DAYS[1], 2, hour=15)}
    disclosure = disclose(cells, ORG, 3)
    assert disclosure.get(("unit", BRANCH_A, "month", date(2026, 3, 1))).total == 8
    assert disclosure.get(("hour", BRANCH_A, "month", date(2026, 3, 1), 10)) is None
    # nor can the day that holds every 10-o'clock rating be taken from the hour's table
    assert revealed_by_two(disclosure, 3) == []


def test_large_groups_show_side_by_side():
    day = DAYS[0]
    cells = {**ratings(WINDOWS[0], day, 5), **ratings(WINDOWS[1], day, 6, hour=11)}
    disclosure = disclose(cells, ORG, 3)
    assert [disclosure.get(("window", w, "day", day)).total for w in WINDOWS[:2]] == [5, 6]
    assert disclosure.get(("unit", BRANCH_A, "day", day)).total == 11


def test_a_month_cannot_be_subtracted_from_the_year():
    cells = {**ratings(WINDOWS[0], date(2026, 1, 5), 5), **ratings(WINDOWS[0], date(2026, 2, 5), 4),
             **ratings(WINDOWS[0], date(2026, 3, 5), 1)}
    disclosure = disclose(cells, ORG, 3, year=2026)
    month = ("window", WINDOWS[0], "month")
    assert disclosure.get((*month, date(2026, 1, 1))).total == 5
    # March alone is one rating; shown, February would give it away from the year's 10
    assert disclosure.get((*month, date(2026, 2, 1))) is None and disclosure.get((*month, date(2026, 3, 1))) is None
    assert disclosure.get(("window", WINDOWS[0], "year", date(2026, 1, 1))).total == 10


def test_no_week_spans_two_years_so_each_years_figures_stand_alone():
    cells = {**ratings(WINDOWS[0], date(2026, 12, 31), 3), **ratings(WINDOWS[0], date(2027, 1, 2), 3)}
    disclosure = disclose(cells, ORG, 3, year=2026)
    assert disclosure.get(("window", WINDOWS[0], "week", date(2026, 12, 28))).total == 3
    assert not disclosure.exists(("window", WINDOWS[0], "day", date(2027, 1, 2)))
    following = disclose(cells, ORG, 3, year=2027)
    assert following.get(("window", WINDOWS[0], "week", date(2027, 1, 1))).total == 3  # cut at New Year


@pytest.mark.parametrize("raters", [1, 2])
def test_a_hidden_party_changes_nothing_that_shows(raters):
    """Party filters: whatever a too-small party rated, the round's score, level and shown parts are the same."""
    import itertools

    from evaluation_service.domain.model import EvaluationRound, Party, PartyWeights, Rating

    weights = PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20})
    results = set()
    for peers in itertools.product(list(Rating), repeat=raters):
        evaluation = EvaluationRound.open("pledge", weights)
        for party, given in ((Party.SELF, Rating.GOOD), (Party.LEADER, Rating.EXCELLENT)):
            evaluation.rate(party, given)
        for given in (Rating.FAIR, Rating.GOOD, Rating.GOOD):
            evaluation.rate(Party.MASSES, given)
        for given in peers:
            evaluation.rate(Party.PEER, given)
        result = evaluation.result()
        results.add((result.score, result.level, tuple((p.party, p.score) for p in result.breakdown)))
    assert len(results) == 1
