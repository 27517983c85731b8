"""The yearly grading of branches (基层党组织分类定级): totals, levels, the 先进 cap and its quotas.

Plain Python: no framework here.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import Enum
from functools import lru_cache
from typing import TypeVar

from pacesetter_shared.i18n import _


class GradingError(Exception):
    """A rule of grading was broken by the request."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class InvalidGrading(GradingError):
    pass


class Indicator(str, Enum):
    """The seven indicators (七项指标) a branch is graded on."""

    LEADER = "leader"  # 党组织带头人
    WORK_PLAN = "work_plan"  # 工作思路
    RULES = "rules"  # 工作制度
    VENUE = "venue"  # 活动阵地
    SUPPORT = "support"  # 保障机制
    PERFORMANCE = "performance"  # 工作业绩
    MASSES = "masses"  # 群众评价


INDICATOR_LABELS = {
    Indicator.LEADER: ("党组织带头人", "Leader of the Party organisation"),
    Indicator.WORK_PLAN: ("工作思路", "Work plan"),
    Indicator.RULES: ("工作制度", "Rules and procedures"),
    Indicator.VENUE: ("活动阵地", "Activity venue"),
    Indicator.SUPPORT: ("保障机制", "Support mechanisms"),
    Indicator.PERFORMANCE: ("工作业绩", "Work performance"),
    Indicator.MASSES: ("群众评价", "Evaluation by the masses"),
}


class AssessmentPart(str, Enum):
    """Who assesses a branch: 自评、党员群众评议、上级党组织评定相结合."""

    SELF = "self"  # 基层党组织自评
    MEMBERS_AND_MASSES = "members_and_masses"  # 党员群众评议
    SUPERIOR = "superior"  # 上级党组织评定


PART_LABELS = {
    AssessmentPart.SELF: ("基层党组织自评", "Self-assessment of the branch"),
    AssessmentPart.MEMBERS_AND_MASSES: ("党员群众评议", "Evaluation by members and the masses"),
    AssessmentPart.SUPERIOR: ("上级党组织评定", "Determination by the superior organisation"),
}


class Grade(str, Enum):
    ADVANCED = "advanced"  # 先进
    ORDINARY = "ordinary"  # 一般
    LAGGING = "lagging"  # 后进


# A cycle is opened for last year, this year or next year (this year ± CYCLE_YEAR_SPAN): a typo such as 2058
# would otherwise open a cycle no one grades, which pickers would then show first.
CYCLE_YEAR_SPAN = 1


def check_cycle_year(year: int, this_year: int, span: int = CYCLE_YEAR_SPAN) -> None:
    """Refuse a cycle's year more than ``span`` years from this year (Beijing time)."""
    first, last = this_year - span, this_year + span
    if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
        raise InvalidGrading(_("A grading cycle is opened for a year from {first} to {last}.", first=first, last=last),
                             {"year": [_("a year from {first} to {last}", first=first, last=last)]})


def _number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


_HUNDREDTH = Decimal("0.01")


@lru_cache(maxsize=1 << 16)
def as_decimal(score: float) -> Decimal:
    # Through the decimal text, as people wrote the score. Cached: people score with a few places, so a cycle's
    # hundreds of thousands of scores are a few thousand values (80 and 80.0 share one: the same number).
    return Decimal(str(score))


def _hundredths(value: float) -> int | None:
    """``value`` in whole hundredths when it has at most two places, else None.

    Exact: when n / 100 rounds to the float itself, n / 100 is that float's shortest decimal text, so the same
    number ``as_decimal`` reads (a float near 100 is 10⁻¹⁴ from the next one, a hundredth far more)."""
    n = round(value * 100)
    return n if n / 100 == value else None


def two_places(value: Decimal) -> float:
    # Half up (四舍五入), as people round; the level is read from this shown value.
    return float(value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Weights:
    """Percent weights (权重) over every member of one enum, together exactly 100.

    Every member must be named: the policy fixes the seven indicators and the three parts, so a
    missing one is a mistake, not a choice; weight 0 is how a cycle leaves one out on purpose.
    """

    kind: type[Enum]
    percent: Mapping[Enum, float]

    def __post_init__(self):
        errors: dict[str, list[str]] = {}
        weights = {}
        for key, weight in self.percent.items():
            try:
                member = self.kind(key)
            except ValueError:
                errors[str(key)] = [_("unknown; one of {choices}", choices=", ".join(m.value for m in self.kind))]
                continue
            if not _number(weight) or not 0 <= weight <= 100:
                errors[member.value] = [_("a weight is a number from 0 to 100")]
            weights[member] = weight
        for member in self.kind:
            if member not in weights:
                errors[member.value] = [_("required")]
        if not errors:
            total = sum(Decimal(str(w)) for w in weights.values())
            if total != 100:
                errors["weights"] = [_("must add up to 100, not {total}", total=total)]
        if errors:
            raise InvalidGrading(_("The weights are not valid."), errors)
        object.__setattr__(self, "percent", {m: weights[m] for m in self.kind})
        # Made once, not per total: a cycle totals fifty thousand branches with the same weights (issue 24).
        object.__setattr__(self, "_decimal_percent", tuple(
            (m, Decimal(str(w)) if w > 0 else None) for m, w in self.percent.items()))
        # 0 for a member left out; None for a weight with more places than two.
        object.__setattr__(self, "_hundredths", tuple(
            (m, _hundredths(w) if w > 0 else 0) for m, w in self.percent.items()))

    def weighted_total(self, scores: Mapping[Enum, float]) -> float:
        """Σ weight × score / 100, to two places; every weighted member is scored from 0 to 100."""
        total = self._total(scores)
        if total is None:
            total = self._total(self._checked(scores))
        return total

    def _total(self, scores: Mapping[Enum, float]) -> float | None:
        """The total when every score is a number from 0 to 100 under a member and every weighted member is scored,
        else None. The one sum, in the members' order, without going through the enum for each score.

        In whole hundredths when every weight and score has at most two places, as people score: the same sum as
        in decimals, without a decimal per score, which took most of the time of classifying fifty thousand
        branches (issue 24). Anything finer is summed in decimals."""
        total, found, in_hundredths = 0, 0, True
        for member, weight in self._hundredths:
            score = scores.get(member)
            if score is None:
                if weight != 0:
                    return None
                continue
            found += 1
            if not (type(score) is float or type(score) is int or _number(score)) or not 0 <= score <= 100:
                return None
            if weight != 0 and in_hundredths:
                score_hundredths = _hundredths(score)
                if weight is None or score_hundredths is None:
                    in_hundredths = False
                else:
                    total += weight * score_hundredths
        if found != len(scores):  # a key that names no member, or names one in a way get() does not find
            return None
        if not in_hundredths:
            return two_places(sum(weight * as_decimal(scores[member])
                                   for member, weight in self._decimal_percent if weight is not None) / 100)
        # total is Σ weight × score in ten-thousandths; the result, half up to hundredths, is total / 10⁶.
        return (total + 5_000) // 10_000 / 100

    def _checked(self, scores: Mapping[Enum, float]) -> dict:
        """``scores`` by member, each scored from 0 to 100 and every weighted member scored; else InvalidGrading
        saying what is wrong with each."""
        errors: dict[str, list[str]] = {}
        given = {}
        for key, score in scores.items():
            try:
                given[self.kind(key)] = score
            except ValueError:
                errors[str(key)] = [_("unknown")]
        for member in self.kind:
            score = given.get(member)
            if score is None:
                if self.percent[member] > 0:
                    errors[member.value] = [_("required")]
            elif not _number(score) or not 0 <= score <= 100:
                errors[member.value] = [_("a score is a number from 0 to 100")]
        if errors:
            raise InvalidGrading(_("The scores are not valid."), errors)
        return {member: score for member, score in given.items() if score is not None}  # None: unweighted, unscored


# Defaults the organisation department starts a cycle from: what a branch achieves and how the
# masses see it weigh most (群众满意作为衡量标准), the superior's determination most among the parts.
DEFAULT_INDICATOR_WEIGHTS = Weights(Indicator, {
    Indicator.LEADER: 15, Indicator.WORK_PLAN: 10, Indicator.RULES: 10, Indicator.VENUE: 10,
    Indicator.SUPPORT: 10, Indicator.PERFORMANCE: 25, Indicator.MASSES: 20,
})
DEFAULT_PART_WEIGHTS = Weights(AssessmentPart, {
    AssessmentPart.SELF: 20, AssessmentPart.MEMBERS_AND_MASSES: 30, AssessmentPart.SUPERIOR: 50,
})


@dataclass(frozen=True)
class LevelThresholds:
    """The lowest totals for 先进 and 一般; anything below ``ordinary`` is 后进."""

    advanced: float = 90
    ordinary: float = 70

    def __post_init__(self):
        if not (_number(self.advanced) and _number(self.ordinary) and 0 <= self.ordinary < self.advanced <= 100):
            raise InvalidGrading(_("Thresholds need 0 <= ordinary < advanced <= 100."),
                                 {"thresholds": [_("advanced={advanced}, ordinary={ordinary}", advanced=self.advanced, ordinary=self.ordinary)]})

    def level_for(self, total: float) -> Grade:
        if not _number(total) or not 0 <= total <= 100:
            raise InvalidGrading(_("A total lies between 0 and 100."), {"total": [_("{value} is out of range", value=total)]})
        if total >= self.advanced:
            return Grade.ADVANCED
        if total >= self.ordinary:
            return Grade.ORDINARY
        return Grade.LAGGING


def _checked_cap(cap_percent) -> Decimal:
    if not _number(cap_percent) or not 0 <= cap_percent <= 100:
        raise InvalidGrading(_("The cap on advanced branches is a percentage from 0 to 100, set for every cycle."),
                             {"advanced_cap_percent": [_("a number from 0 to 100 is required")]})
    # Through the decimal text: 2.3 % of 1000 is 23, where binary floats give 22.999…
    return Decimal(str(cap_percent))


def advanced_quota(cap_percent: float, branches: int) -> int:
    """How many branches may be 先进: floor(cap% × n)."""
    if isinstance(branches, bool) or not isinstance(branches, int) or branches < 0:
        raise InvalidGrading(_("The number of branches is a whole number, 0 or more."), {"branches": [str(branches)]})
    return int((_checked_cap(cap_percent) * branches / 100).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class CapCheck:
    """Whether a cycle's 先进 stay within the cap (先进比例不能过高)."""

    branches: int
    advanced: int
    max_advanced: int

    @property
    def exceeded_by(self) -> int:
        return max(0, self.advanced - self.max_advanced)

    @property
    def within_cap(self) -> bool:
        return self.exceeded_by == 0


def check_advanced_cap(levels: Iterable[Grade], cap_percent: float) -> CapCheck:
    """Check the levels of all branches of a cycle against the cap; reaching it exactly is allowed."""
    levels = [Grade(level) for level in levels]
    return CapCheck(branches=len(levels), advanced=levels.count(Grade.ADVANCED),
                    max_advanced=advanced_quota(cap_percent, len(levels)))


GeneralBranchId = TypeVar("GeneralBranchId")  # anything orderable: ties are broken by it


def _count_branches(branch_counts: Mapping[GeneralBranchId, int]) -> int:
    errors = {str(gid): [_("a branch count is a whole number, 0 or more")] for gid, count in branch_counts.items()
              if isinstance(count, bool) or not isinstance(count, int) or count < 0}
    if errors:
        raise InvalidGrading(_("The branch counts are not valid."), errors)
    return sum(branch_counts.values())


def split_quota(quota: int, branch_counts: Mapping[GeneralBranchId, int]) -> dict[GeneralBranchId, int]:
    """Share ``quota`` among general branches (党总支) in proportion to how many branches each has.

    Largest remainder (最大余额法): everyone gets the whole part of their exact share, and the seats
    left over go to the largest fractional parts, so the shares add up to exactly ``quota``. Equal
    remainders go to the lower general-branch id, so the same input always gives the same split.
    """
    total = _count_branches(branch_counts)
    if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= total:
        raise InvalidGrading(_("The quota cannot be split."),
                             {"quota": [_("a whole number from 0 to the {total} branches there are", total=total)]})
    if total == 0:
        return {gid: 0 for gid in branch_counts}
    # Integer arithmetic: quota × count / total = whole + remainder / total, exactly.
    shares = {gid: quota * count // total for gid, count in branch_counts.items()}
    left = quota - sum(shares.values())
    by_remainder = sorted(branch_counts, key=lambda gid: (-(quota * branch_counts[gid] % total), gid))
    for gid in by_remainder[:left]:
        shares[gid] += 1
    return shares


@dataclass(frozen=True)
class GradingCycle:
    """A year's grading (年度分类定级) and the rules the organisation department opened it with."""

    year: int
    advanced_cap_percent: float  # 先进比例上限: required, the policy says the share may not be too high
    indicator_weights: Weights = DEFAULT_INDICATOR_WEIGHTS
    part_weights: Weights = DEFAULT_PART_WEIGHTS
    thresholds: LevelThresholds = field(default_factory=LevelThresholds)

    def __post_init__(self):
        _checked_cap(self.advanced_cap_percent)
        if self.indicator_weights.kind is not Indicator or self.part_weights.kind is not AssessmentPart:
            raise InvalidGrading(_("Weights must be over the seven indicators and the three parts."))

    def branch_total(self, scores_by_part: Mapping[AssessmentPart, Mapping[Indicator, float]]) -> float:
        """Each part's indicator total, combined by the part weights (自评 + 党员群众评议 + 上级评定)."""
        part_totals, errors = {}, {}
        for part, scores in scores_by_part.items():
            try:
                part_totals[part] = self.indicator_weights.weighted_total(scores)
            except InvalidGrading as exc:
                errors[str(getattr(part, "value", part))] = exc.details
        if errors:
            raise InvalidGrading(_("The scores are not valid."), errors)
        # From the parts' totals as shown, so that anyone re-adding the published figures gets the same.
        return self.part_weights.weighted_total(part_totals)

    def suggested_level(self, total: float) -> Grade:
        return self.thresholds.level_for(total)

    def check_cap(self, levels: Iterable[Grade]) -> CapCheck:
        return check_advanced_cap(levels, self.advanced_cap_percent)

    def split_advanced_quota(self, branch_counts: Mapping[GeneralBranchId, int]) -> dict[GeneralBranchId, int]:
        """The cycle's overall 先进 quota, floor(cap% × all branches), shared among general branches."""
        quota = advanced_quota(self.advanced_cap_percent, _count_branches(branch_counts))
        return split_quota(quota, branch_counts)
