"""The month ranking over thousands of windows: summed by the database (``Sums``) it places every window as it
would from its counts per level, and windows tied on rate and ratings follow their ids as text."""
from __future__ import annotations

import random
import uuid

from evaluation_service.domain.ratings import SATISFIED_LEVELS, LevelCounts, Sums, last_in, ranking


def _groups(seed: int) -> dict[uuid.UUID, LevelCounts]:
    rng = random.Random(seed)
    # few distinct counts, so that many windows tie on rate, and on rate and ratings
    return {uuid.UUID(int=rng.getrandbits(128)): LevelCounts({level: n for level in range(1, 6)
                                                              if (n := rng.choice((0, 0, 1, 2, 10)))})
            for _ in range(2000)}


def test_sums_place_every_window_as_its_counts_do():
    for seed in range(5):
        counts = _groups(seed)
        sums = {key: Sums(c.total, sum(c.counts.get(level, 0) for level in SATISFIED_LEVELS))
                for key, c in counts.items()}
        by_counts, by_sums = ranking(counts, 10), ranking(sums, 10)
        assert [(p.key, p.rank, p.counts.total, p.counts.satisfaction_rate) for p in by_sums] == [
            (p.key, p.rank, p.counts.total, p.counts.satisfaction_rate) for p in by_counts]
        assert last_in(by_sums) == last_in(by_counts) != set()


def test_ties_on_rate_and_ratings_follow_the_ids_as_text():
    counts = _groups(7)
    places = ranking(counts, 10)
    expected = sorted((key for key, c in counts.items() if c.total >= 10),
                      key=lambda key: (-counts[key].satisfaction_rate, -counts[key].total, str(key)))
    assert [p.key for p in places] == expected
    assert len({(p.counts.satisfaction_rate, p.counts.total) for p in places}) < len(places) / 10  # ties abound


def test_a_group_without_ratings_has_no_rate_either_way():
    assert Sums(0, 0).satisfaction_rate is None and LevelCounts({}).satisfaction_rate is None
    assert Sums(3, 2).satisfaction_rate == LevelCounts({5: 1, 3: 1, 1: 1}).satisfaction_rate == 0.6667
