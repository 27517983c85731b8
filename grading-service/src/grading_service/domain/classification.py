"""Classifying a cycle's branches (分类定级): inputs from other services, the cap per general branch,
the life of a cycle and the change of a branch's level from one year to the next.

Plain Python: no framework here.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import MAX_PREC, Context, Decimal
from enum import Enum

from pacesetter_shared.events.labels import GRADE_WORDS
from pacesetter_shared.i18n import _

from .model import GradingCycle, GradingError, Grade, Indicator, as_decimal, two_places

GRADE_RANK = {Grade.LAGGING: 0, Grade.ORDINARY: 1, Grade.ADVANCED: 2}
GRADE_LABELS = {grade: GRADE_WORDS[grade.value].zh for grade in Grade}
DEFAULT_PUBLICITY_DAYS = 5  # 公示
INDICATORS = tuple(Indicator)  # iterating the enum itself costs microseconds, once per branch


class CycleState(str, Enum):
    OPEN = "open"  # 分类定级 in progress
    PUBLICITY = "publicity"  # 公示: results shown, objections may be lodged
    FINAL = "final"  # 结果确定, grading.level_finalised sent


class CycleStateError(GradingError):
    """The request does not fit where the cycle is in its year."""


class CapExceeded(GradingError):
    """More 先进 than the cap allows (先进比例不能过高)."""


class LevelChange(str, Enum):
    UP = "up"  # 晋位
    SAME = "same"  # 持平
    DOWN = "down"  # 降位


CHANGE_LABELS = {LevelChange.UP: "晋位", LevelChange.SAME: "持平", LevelChange.DOWN: "降位"}


def level_change(previous: Grade | None, current: Grade) -> LevelChange | None:
    """晋位 / 持平 / 降位 against last year's final level; None for a branch's first year."""
    if previous is None:
        return None
    diff = GRADE_RANK[Grade(current)] - GRADE_RANK[Grade(previous)]
    return LevelChange.UP if diff > 0 else LevelChange.DOWN if diff < 0 else LevelChange.SAME


def _mean(values: Iterable[float]) -> Decimal:
    # Sorted and decimal, so the same scores give the same mean whatever order they came in.
    ordered = sorted(as_decimal(v) for v in values)
    return sum(ordered) / len(ordered)


@dataclass(frozen=True)
class PledgeFigures:
    """A branch's pledge statistics for the year (from pledge-service), feeding 工作业绩."""

    members_expected: int
    members_with_annual_pledge: int
    pledges_total: int
    fulfilled_on_time: int

    def score(self) -> float:
        """100 × the mean of pledge coverage (人人承诺) and on-time fulfilment (践诺); nothing asked is full marks."""
        coverage = (Decimal(min(self.members_with_annual_pledge, self.members_expected)) / self.members_expected
                    if self.members_expected else Decimal(1))
        on_time = (Decimal(min(self.fulfilled_on_time, self.pledges_total)) / self.pledges_total
                   if self.pledges_total else Decimal(1))
        return two_places((coverage + on_time) * 50)


def satisfaction_score(months: Iterable[tuple[int, int]]) -> float | None:
    """群众评价 from the branch's windows: 100 × satisfied / ratings over every (satisfied, ratings) month."""
    months = list(months)
    ratings = sum(r for _, r in months)
    if ratings == 0:
        return None
    return two_places(Decimal(sum(s for s, _ in months)) * 100 / ratings)


def members_and_masses_scores(round_scores: Iterable[float], satisfaction: float | None,
                              pledges: PledgeFigures | None) -> dict[Indicator, float] | None:
    """The 党员群众评议 part per indicator: the branch's evaluation rounds of the year score every indicator,
    window satisfaction replaces 群众评价 and pledge figures replace 工作业绩 where they exist.

    None while no evaluation round of the branch has completed: the part is not there yet.
    """
    round_scores = list(round_scores)
    if not round_scores:
        return None
    base = two_places(_mean(round_scores))
    scores = dict.fromkeys(INDICATORS, base)
    if satisfaction is not None:
        scores[Indicator.MASSES] = satisfaction
    if pledges is not None:
        scores[Indicator.PERFORMANCE] = pledges.score()
    return scores


@dataclass(frozen=True)
class CapViolation:
    scope: str  # "overall" or a general branch's id
    branches: int
    advanced: int
    max_advanced: int

    @property
    def exceeded_by(self) -> int:
        return self.advanced - self.max_advanced


def cap_violations(cycle: GradingCycle, levels: Mapping[object, tuple[object, Grade]],
                   per_general_branch: bool) -> list[CapViolation]:
    """Where the 先进 exceed the cap: over the cycle, and per general branch when the cycle says so.

    ``levels`` maps each branch to (its general branch, its level). The general branches' quotas are
    the overall quota split by largest remainder, so that they add up to it exactly.
    """
    violations = []
    overall = cycle.check_cap(level for _, level in levels.values())
    if not overall.within_cap:
        violations.append(CapViolation("overall", overall.branches, overall.advanced, overall.max_advanced))
    if per_general_branch:
        counts: dict[str, int] = {}
        advanced: dict[str, int] = {}
        for general_branch, level in levels.values():
            key = str(general_branch)
            counts[key] = counts.get(key, 0) + 1
            advanced[key] = advanced.get(key, 0) + (level is Grade.ADVANCED)
        quotas = cycle.split_advanced_quota(counts)
        for key in sorted(counts):
            if advanced[key] > quotas[key]:
                violations.append(CapViolation(key, counts[key], advanced[key], quotas[key]))
    return violations


def refuse_if_over_cap(violations: list[CapViolation]) -> None:
    if not violations:
        return
    worst = violations[0]
    counts = {"advanced": worst.advanced, "max_advanced": worst.max_advanced, "exceeded_by": worst.exceeded_by}
    raise CapExceeded(
        _("Too many advanced branches over all branches: {advanced}, at most {max_advanced}; "
          "{exceeded_by} must be lowered.", **counts) if worst.scope == "overall" else
        _("Too many advanced branches in general branch {scope}: {advanced}, at most {max_advanced}; "
          "{exceeded_by} must be lowered.", scope=worst.scope, **counts),
        {"cap": [{"scope": v.scope, "branches": v.branches, "advanced": v.advanced,
                  "max_advanced": v.max_advanced, "exceeded_by": v.exceeded_by} for v in violations]})



def distribution(levels: Iterable[Grade | None]) -> dict[str, int]:
    """How many branches at each level; ``undecided`` for those the general branch has not set yet."""
    counts = {g.value: 0 for g in Grade} | {"undecided": 0}
    for level in levels:
        counts[Grade(level).value if level is not None else "undecided"] += 1
    return counts


# Sums exactly, so that a mean taken a branch at a time is the same whatever order the branches came in.
_EXACT = Context(prec=MAX_PREC)


class IndicatorMeans:
    """Each indicator's mean over the branches that have a score for it, taken as the branches go past: a
    cycle's report streams fifty thousand branches and keeps none of them (issue 24). Each score is counted by its
    value, summed exactly once at the end: a cycle's scores are a few thousand values (people score with a few
    places, and a part's scores are shown to two), and counting one costs a dictionary's add, not a decimal's."""

    def __init__(self):
        self._counts: dict[Indicator, dict[float, int]] = {i: {} for i in INDICATORS}

    def add(self, scores: Mapping[Indicator, float]) -> None:
        counts = self._counts
        for indicator, value in scores.items():
            held = counts[indicator if type(indicator) is Indicator else Indicator(indicator)]
            held[value] = held.get(value, 0) + 1

    def means(self) -> dict[Indicator, float | None]:
        out = {}
        for indicator, held in self._counts.items():
            count, total = sum(held.values()), Decimal(0)
            for value, n in held.items():
                total = _EXACT.add(total, _EXACT.multiply(as_decimal(value), n))
            out[indicator] = two_places(total / count) if count else None
        return out


def averages(scores: Iterable[Mapping[Indicator, float]]) -> dict[Indicator, float | None]:
    """Each indicator's mean over the branches that have a score for it."""
    means = IndicatorMeans()
    for given in scores:
        means.add(given)
    return means.means()


LEVEL_ORDER = (Grade.ADVANCED, Grade.ORDINARY, Grade.LAGGING)
NOT_GRADED = "none"  # a branch with no final level in the earlier cycle (new, or not graded then)
UNDECIDED = "undecided"  # a branch whose level is not set yet in this cycle


def movement(pairs: Iterable[tuple[Grade | str | None, Grade | str | None]]) -> dict[str, dict[str, int]]:
    """晋位升级 between two cycles: how many branches went from each earlier level to each level now.

    ``pairs`` holds (earlier level, level now) per branch; rows are the earlier levels plus ``none``,
    columns the levels now plus ``undecided``, every cell present so that a chart needs no guessing.
    """
    rows = [g.value for g in LEVEL_ORDER] + [NOT_GRADED]
    columns = [g.value for g in LEVEL_ORDER] + [UNDECIDED]
    matrix = {row: {column: 0 for column in columns} for row in rows}
    for before, now in pairs:
        matrix[Grade(before).value if before else NOT_GRADED][Grade(now).value if now else UNDECIDED] += 1
    return matrix


def indicator_profile(part_weights: Mapping, parts: Mapping) -> dict[Indicator, float | None]:
    """A branch's score per indicator over the assessment parts, by the part weights (综合得分).

    ``part_weights`` maps each part to its percent, ``parts`` each part to its indicator scores. An
    indicator is None until every part that weighs has scored it, as a total is None until complete.
    """
    out: dict[Indicator, float | None] = {}
    for indicator in Indicator:
        weighed = [(Decimal(str(w)), parts.get(part, {}).get(indicator)) for part, w in part_weights.items() if w > 0]
        if not weighed or any(score is None for _, score in weighed):
            out[indicator] = None
            continue
        out[indicator] = two_places(sum(w * Decimal(str(score)) for w, score in weighed) / 100)
    return out
