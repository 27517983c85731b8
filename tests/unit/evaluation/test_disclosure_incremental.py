"""The guard kept up to date (YearGuard.add) decides exactly as a pass over the whole year would: on random
ratings arriving in random batches — into new cells and into cells that hold ratings already, across week,
month and year edges — every answer's total, counts and decision are the same, and the attacks find nothing."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from evaluation_service.domain.disclosure import Cell, YearGuard, disclose, revealed_by_two
from tests.unit.evaluation.test_disclosure import MEMBERS, ORG, WINDOWS, remainders_too_small

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


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(ratings, min_size=1, max_size=40), min_group=st.sampled_from([3, 5]))
def test_whatever_the_ratings_no_attack_finds_a_small_group(batch, min_group):
    disclosure = disclose(cells_of(batch), ORG, min_group)
    assert revealed_by_two(disclosure, min_group) == []
    assert remainders_too_small(disclosure, min_group) == []
