"""The guard kept up to date (YearGuard.add) decides exactly as a pass over the whole year would: on random
ratings arriving in random batches — into new cells and into cells that hold ratings already, across week,
month and year edges — every answer's total, counts and decision are the same, and the attacks find nothing."""
from __future__ import annotations

from datetime import date, timedelta

import uuid

from hypothesis import given, settings, strategies as st

from evaluation_service.domain.disclosure import Cell, Organisation, YearGuard, disclose, revealed_by_two
from tests.unit.evaluation.test_disclosure import BRANCH_A, BRANCH_B, GENERAL, MEMBERS, ORG, WINDOWS, \
    remainders_too_small

# late March into April (a week across the month's edge), and the turn of the year
DAYS = [date(2026, 3, 27) + timedelta(days=i) for i in range(8)] + \
       [date(2026, 12, 29) + timedelta(days=i) for i in range(5)]

ratings = st.tuples(st.sampled_from(WINDOWS), st.sampled_from(MEMBERS + [None]), st.sampled_from(DAYS),
                    st.sampled_from([9, 10, 15]), st.integers(1, 5), st.sampled_from([1, 1, 1, 2, 4]))


def cells_of(batch) -> dict:
    cells: dict = {}
    for window, member, day, hour, level, n in batch:
        counts = cells.setdefault(Cell(window, member, day, hour), {})
        counts[level] = counts.get(level, 0) + n
    return cells


def state(guard: YearGuard) -> dict:
    return {guard.named(k): (total, guard.counts(guard.named(k)).counts, k in guard.shown)
            for k, total in guard.total.items()}


@settings(max_examples=300, deadline=None)
@given(batches=st.lists(st.lists(ratings, max_size=25), min_size=1, max_size=5),
       min_group=st.sampled_from([3, 5]), year=st.sampled_from([None, 2026]))
def test_ratings_added_batch_by_batch_decide_as_the_whole_pass(batches, min_group, year):
    kept = YearGuard(ORG, min_group, year)
    changed_all = set()
    for batch in batches:
        before = state(kept)
        changed = kept.add(cells_of(batch))
        after = state(kept)
        # what it says changed is exactly what did
        assert changed == {k for k in after if before.get(k) != after[k]}
        changed_all |= changed
    whole = YearGuard(ORG, min_group, year)
    whole.add(cells_of([r for batch in batches for r in batch]))
    assert state(kept) == state(whole)


# the directory grows while the year's guard is kept: a window opens (WINDOWS[3]), a branch with its window
# (BRANCH_C, NEW_WINDOW), and a window nobody rated yet moves (IDLE, from branch B to branch A)
BRANCH_C, NEW_WINDOW, IDLE = uuid.UUID(int=14), uuid.UUID(int=105), uuid.UUID(int=104)
EARLIER = Organisation(window_unit={w: u for w, u in ORG.window_unit.items() if w != WINDOWS[3]} | {IDLE: BRANCH_B},
                       parent=ORG.parent)
LATER = Organisation(window_unit=ORG.window_unit | {NEW_WINDOW: BRANCH_C, IDLE: BRANCH_A},
                     parent=ORG.parent | {BRANCH_C: GENERAL})
later_ratings = st.tuples(st.sampled_from(WINDOWS + [NEW_WINDOW, IDLE]), st.sampled_from(MEMBERS + [None]),
                          st.sampled_from(DAYS), st.sampled_from([9, 10, 15]), st.integers(1, 5),
                          st.sampled_from([1, 1, 1, 2, 4]))


@settings(max_examples=150, deadline=None)
@given(first=st.lists(ratings.filter(lambda r: r[0] != WINDOWS[3]), max_size=25),
       then=st.lists(later_ratings, max_size=25), min_group=st.sampled_from([3, 5]))
def test_a_guard_kept_through_windows_and_units_added_decides_as_the_whole_pass(first, then, min_group):
    kept = YearGuard(EARLIER, min_group, 2026)
    kept.add(cells_of(first))
    assert kept.reorganise(LATER)
    kept.add(cells_of(then))
    whole = YearGuard(LATER, min_group, 2026)
    whole.add(cells_of(first + then))
    assert state(kept) == state(whole)


def test_a_window_the_year_has_ratings_of_moved_means_a_whole_pass():
    kept = YearGuard(ORG, 3, 2026)
    kept.add(cells_of([(WINDOWS[2], None, DAYS[0], 9, 5, 4)]))
    before = state(kept)
    moved = Organisation(window_unit=ORG.window_unit | {WINDOWS[2]: BRANCH_A}, parent=ORG.parent)
    assert not kept.reorganise(moved)
    assert state(kept) == before
    # one nobody rated may move
    assert kept.reorganise(Organisation(window_unit=ORG.window_unit | {WINDOWS[0]: BRANCH_B}, parent=ORG.parent))


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(ratings, min_size=1, max_size=40), min_group=st.sampled_from([3, 5]))
def test_whatever_the_ratings_no_attack_finds_a_small_group(batch, min_group):
    disclosure = disclose(cells_of(batch), ORG, min_group)
    assert revealed_by_two(disclosure, min_group) == []
    assert remainders_too_small(disclosure, min_group) == []


@settings(max_examples=50, deadline=None)
@given(batch=st.lists(ratings, max_size=40), min_group=st.sampled_from([3, 5]))
def test_an_answers_figure_is_its_decision_and_its_count_at_each_level(batch, min_group):
    guard = YearGuard(ORG, min_group)
    guard.add(cells_of(batch))
    for key in map(guard.named, guard.answers):
        counts = guard.counts(key).counts
        assert guard.figure(key) == (guard.is_shown(key), tuple(counts.get(level, 0) for level in range(1, 6)))
    assert guard.figure(("window", uuid.uuid4(), "day", DAYS[0])) == (False, (0, 0, 0, 0, 0))
