"""The guard, however it keeps its state, decides every answer as the guard before issue 24 did (kept in
``reference_guard`` as the oracle): after each batch of ratings, after a whole pass and after a pass in chunks,
the same answers with the same totals, counts and decisions, and the same answers said to have changed (``add_all``,
which decides once after all its chunks, says what changed since it was called).

The years are drawn to make the hard cases happen: an organisation so deep that a cell counts in more than 64
answers, ratings without a member on duty, ratings of one each (so totals tie and the named key decides),
and a member covering all but one or two ratings of a window's day or week — where rules 2 and 3 hide answers
rule 1 would show. The test checks that they did, so that it cannot pass by drawing only plain cases.
"""
from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from evaluation_service.domain.disclosure import Organisation, YearGuard
from evaluation_service.domain.ratings import Granularity
from tests.unit.evaluation.reference_guard import YearGuard as ReferenceGuard
from tests.unit.evaluation.test_disclosure_incremental import cells_of

# fixed ids: ties are broken by the named key, so the same draw must give the same keys
UNITS = [uuid.UUID(int=1000 + i) for i in range(8)]  # a chain, each the parent of the next: depth 0 … 7
WINDOWS = [uuid.UUID(int=1100 + i) for i in range(5)]
MEMBERS = [uuid.UUID(int=1200 + i) for i in range(4)]
DEEP = Organisation(
    window_unit={WINDOWS[0]: UNITS[7], WINDOWS[1]: UNITS[7], WINDOWS[2]: UNITS[6], WINDOWS[3]: UNITS[3],
                 WINDOWS[4]: UNITS[0]},
    parent={UNITS[0]: None, **{UNITS[i + 1]: UNITS[i] for i in range(7)}})
# a week across March and April, and the turn of the year (2027's days fall outside the 2026 guard)
DAYS = [date(2026, 3, 27) + timedelta(days=i) for i in range(8)] + \
       [date(2026, 12, 30) + timedelta(days=i) for i in range(4)]
HOURS = [9, 10, 15]

rating = st.tuples(st.sampled_from(WINDOWS), st.sampled_from(MEMBERS + [None]), st.sampled_from(DAYS),
                   st.sampled_from(HOURS), st.integers(1, 5), st.sampled_from([1, 1, 1, 1, 2, 3]))


@st.composite
def nearly_all_one_members(draw) -> list:
    """A member's many ratings in a window's day or week, and one or two more by someone else beside them."""
    window, member = draw(st.sampled_from(WINDOWS)), draw(st.sampled_from(MEMBERS))
    start = draw(st.sampled_from(DAYS))
    days = [start + timedelta(days=i) for i in range(draw(st.integers(1, 3)))]
    theirs = [(window, member, draw(st.sampled_from(days)), draw(st.sampled_from(HOURS)), 5, 1)
              for _ in range(draw(st.integers(3, 9)))]
    other = draw(st.sampled_from([m for m in MEMBERS if m != member] + [None]))
    return theirs + [(window, other, draw(st.sampled_from(days)), draw(st.sampled_from(HOURS)), 4, 1)
                     for _ in range(draw(st.integers(1, 2)))]


batch = st.tuples(st.lists(rating, max_size=20), st.lists(nearly_all_one_members(), max_size=3)).map(
    lambda drawn: drawn[0] + [r for group in drawn[1] for r in group])


def state(guard) -> dict:
    """Every answer's total, counts and decision; for a member's month, also where they served (each window with
    how many of their cells: the unit they rank under is read from it)."""
    return {guard.named(k): (total, guard.counts(guard.named(k)).counts, guard.is_shown(guard.named(k)),
                             guard.served(guard.named(k)) if k[0] == "on_duty" and k[2] == Granularity.MONTH else None)
            for k, total in guard.total.items()}


def hidden_by_rules_2_and_3(reference: ReferenceGuard) -> tuple[bool, bool]:
    """Whether rule 2, and rule 3, hide an answer rule 1 would show (read from the oracle's own bookkeeping)."""
    large = {k for k, total in enumerate(reference._total) if total >= reference.min_group}
    return (any(hidden & large for hidden in reference._nearly.values()),
            any(reference._smallest.values()))


def test_the_guard_decides_every_answer_as_the_guard_before_it():
    fired: Counter = Counter()

    @settings(max_examples=120, deadline=None)
    @given(batches=st.lists(batch, min_size=1, max_size=4), min_group=st.sampled_from([3, 5]),
           year=st.sampled_from([None, 2026]))
    def decide_alike(batches, min_group, year):
        kept, reference = YearGuard(DEEP, min_group, year), ReferenceGuard(DEEP, min_group, year)
        for ratings in batches:
            assert kept.add(cells_of(ratings)) == reference.add(cells_of(ratings))
            assert state(kept) == state(reference)
        whole = YearGuard(DEEP, min_group, year)
        whole.add(cells_of([r for ratings in batches for r in ratings]))
        assert state(whole) == state(reference)
        # the first batch added, the rest in chunks, decided once: the same, and it says what changed
        in_chunks = YearGuard(DEEP, min_group, year)
        in_chunks.add(cells_of(batches[0]))
        first = state(in_chunks)
        changed = in_chunks.add_all(cells_of(ratings) for ratings in batches[1:])
        assert state(in_chunks) == state(reference)
        assert changed == {k for k, now in state(in_chunks).items() if first.get(k) != now}
        rule_2, rule_3 = hidden_by_rules_2_and_3(reference)
        fired.update({"rule 2": rule_2, "rule 3": rule_3, "> 64 answers in a cell": max(
            (len(reference._answers(coords)) for coords in reference._cells), default=0) > 64})

    decide_alike()
    # not vacuous: the draws reached the cases the guard's bookkeeping exists for
    assert fired["rule 2"] and fired["rule 3"] and fired["> 64 answers in a cell"], fired
