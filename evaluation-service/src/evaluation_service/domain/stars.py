"""Star windows (星级窗口) and service models (服务标兵): a graded result per period. Plain Python.

A window, or a member on duty, earns the most stars whose satisfaction threshold its period's
ratings reach, provided it was rated often enough for the grade to be fair; otherwise no stars.
"""
from __future__ import annotations

from dataclasses import dataclass

from .ratings import MIN_RANKED_RATINGS, LevelCounts


@dataclass(frozen=True)
class StarRule:
    """``thresholds``: (stars, lowest satisfaction rate), most stars first; ``min_ratings``: the fewest ratings graded."""

    thresholds: tuple[tuple[int, float], ...]
    min_ratings: int = MIN_RANKED_RATINGS

    def __post_init__(self):
        stars = [s for s, _ in self.thresholds]
        rates = [r for _, r in self.thresholds]
        if not self.thresholds:
            raise ValueError("name at least one grade")
        if any(not 1 <= s <= 5 for s in stars) or len(set(stars)) != len(stars):
            raise ValueError("stars are 1 to 5, each once")
        if any(not 0 < r <= 1 for r in rates):
            raise ValueError("a threshold is a satisfaction rate above 0 and at most 1")
        if stars != sorted(stars, reverse=True) or rates != sorted(rates, reverse=True) or len(set(rates)) != len(rates):
            raise ValueError("more stars need a strictly higher satisfaction rate")

    @classmethod
    def parse(cls, text: str, min_ratings: int = MIN_RANKED_RATINGS) -> "StarRule":
        """``"5:0.98,4:0.95,3:0.90"`` → five stars from 98 %, four from 95 %, three from 90 %."""
        pairs = []
        for part in text.split(","):
            stars, sep, rate = part.strip().partition(":")
            if not sep:
                raise ValueError(f"{part.strip()!r} is not stars:rate")
            try:
                pairs.append((int(stars), float(rate)))
            except ValueError:
                raise ValueError(f"{part.strip()!r} is not stars:rate") from None
        return cls(tuple(sorted(pairs, reverse=True)), min_ratings)

    def stars_for(self, counts: LevelCounts) -> int:
        """0 when too few ratings or below every threshold."""
        if counts.total < self.min_ratings or counts.satisfaction_rate is None:
            return 0
        return next((stars for stars, rate in self.thresholds if counts.satisfaction_rate >= rate), 0)


# The organisation department's starting point; STAR_THRESHOLDS overrides it.
DEFAULT_STAR_RULE = StarRule(((5, 0.98), (4, 0.95), (3, 0.90)))
