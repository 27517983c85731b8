"""The masses' ratings of service windows (即时评价、在线评估) and the follow-up of bad ones (差评整改).

Plain Python: no framework here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from pacesetter_shared.events.labels import SATISFACTION_WORDS
from pacesetter_shared.i18n import _
from pacesetter_shared.workdays import WorkingCalendar

from .model import EvaluationError, InvalidEvaluation

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_BATCH = 500  # ratings a kiosk may send at once
FOLLOWUP_WORKING_DAYS = 5  # a bad rating is followed up within five working days
OFFICIAL_CALENDAR = WorkingCalendar()  # the published holidays only, ending a day at 17:30
MAX_CLOSE_BATCH = 100  # follow-up cases closed at once with the same result (批量办结)


class Satisfaction(IntEnum):
    """The five levels government service windows use (好差评); 5 is best."""

    VERY_SATISFIED = 5  # 非常满意
    SATISFIED = 4  # 满意
    BASICALLY_SATISFIED = 3  # 基本满意
    DISSATISFIED = 2  # 不满意
    VERY_DISSATISFIED = 1  # 非常不满意


SATISFACTION_LABELS = {level: (SATISFACTION_WORDS[level].zh, SATISFACTION_WORDS[level].title) for level in Satisfaction}
SATISFIED_LEVELS = frozenset({Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED})
NEGATIVE_LEVELS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})


class PraiseOrComplaint:
    """Which group of reason tags a level offers."""

    PRAISE = "praise"  # 非常满意, 满意
    COMPLAINT = "complaint"  # 不满意, 非常不满意: 服务效率、服务水平、服务态度、其他


def tag_group(level: Satisfaction) -> str | None:
    if level in (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED):
        return PraiseOrComplaint.PRAISE
    if level in NEGATIVE_LEVELS:
        return PraiseOrComplaint.COMPLAINT
    return None  # 基本满意 offers no reasons


# Version 1, as the organisation department first set it; later versions live in the database.
FIRST_TAG_SET = {
    PraiseOrComplaint.PRAISE: ["热情周到", "办事高效", "业务熟练", "耐心细致", "廉洁奉公"],
    PraiseOrComplaint.COMPLAINT: ["服务效率", "服务水平", "服务态度", "其他"],
}


class RatingRejected(EvaluationError):
    """One rating broke a rule; in a batch it is reported and the others are kept."""


class KioskForAnotherWindow(EvaluationError):
    """A kiosk is bound to one window and rates only that one."""


def check_tag_set(tags: Mapping) -> dict[str, list[str]]:
    errors = {}
    for group in (PraiseOrComplaint.PRAISE, PraiseOrComplaint.COMPLAINT):
        values = tags.get(group)
        if not isinstance(values, list) or not values or not all(isinstance(t, str) and t.strip() for t in values):
            errors[group] = [_("a non-empty list of tags")]
        elif len(set(values)) != len(values):
            errors[group] = [_("each tag once")]
    unknown = set(tags) - {PraiseOrComplaint.PRAISE, PraiseOrComplaint.COMPLAINT}
    if unknown:
        errors["tags"] = [_("unknown groups: {groups}", groups=", ".join(sorted(map(str, unknown))))]
    if errors:
        raise InvalidEvaluation(_("The tag set is not valid."), errors)
    return {group: list(tags[group]) for group in (PraiseOrComplaint.PRAISE, PraiseOrComplaint.COMPLAINT)}


@dataclass(frozen=True)
class WindowRating:
    """One judgement of a window by one of the masses."""

    level: Satisfaction
    reasons: tuple[str, ...]
    tag_set_version: int

    @classmethod
    def given(cls, level, reasons, tag_set_version: int, tags: Mapping[str, list[str]]) -> "WindowRating":
        try:
            level = Satisfaction(level)
        except (ValueError, TypeError):
            raise RatingRejected(_("A rating is one of the five levels."),
                                 {"level": [_("1 very dissatisfied … 5 very satisfied")]}) from None
        reasons = tuple(dict.fromkeys(reasons or ()))
        group = tag_group(level)
        offered = tags.get(group, []) if group else []
        wrong = [r for r in reasons if r not in offered]
        if wrong:
            raise RatingRejected(_("These reasons are not offered for that level."),
                                 {"reasons": [_("not offered: {reasons}", reasons=", ".join(wrong))]})
        return cls(level, reasons, tag_set_version)

    @property
    def negative(self) -> bool:
        return self.level in NEGATIVE_LEVELS


# a kiosk's or a phone's clock may run a little ahead: a kiosk drops a rating refused as from the future
CLOCK_SKEW = timedelta(minutes=5)


def _span(span: timedelta):
    seconds = int(span.total_seconds())
    if seconds >= 3600 and seconds % 3600 == 0:
        return _("{hours} h", hours=seconds // 3600)
    return _("{minutes} min", minutes=max(1, round(seconds / 60)))


@dataclass(frozen=True)
class IntakeRule:
    """What keeps the masses' ratings honest (a forged or back-dated one would feed 服务标兵 and open a case):
    how old a rating may be when it arrives, and how many online ratings one window takes in a span."""

    kiosk_max_age: timedelta = timedelta(hours=48)  # a kiosk's queue while it was offline
    online_max_age: timedelta = timedelta(minutes=10)  # a phone sends at once
    window_online_max: int = 60  # online ratings of one window …
    window_online_span: timedelta = timedelta(minutes=10)  # … within this span

    def check_rated_at(self, rated_at: datetime, now: datetime, *, kiosk: bool) -> None:
        if rated_at > now + CLOCK_SKEW:
            raise RatingRejected(_("A rating cannot come from the future."), {"rated_at": [rated_at.isoformat()]})
        max_age = self.kiosk_max_age if kiosk else self.online_max_age
        if rated_at < now - max_age:
            raise RatingRejected(_("A rating is taken at most {span} after it was given.", span=_span(max_age)),
                                 {"rated_at": [_("older than {span}", span=_span(max_age))]})


def check_on_duty(on_duty_id, serving: set[str]) -> None:
    """A rating names as on duty only someone who served the window: else anyone's figures could be filled."""
    if on_duty_id is not None and str(on_duty_id) not in serving:
        raise RatingRejected(_("Name only someone on duty at this window."),
                             {"on_duty_id": [_("not on duty at this window")]})


def followup_deadline(opened_at: datetime, working_days: int = FOLLOWUP_WORKING_DAYS,
                      calendar: WorkingCalendar | None = None) -> datetime:
    """The end of the n-th working day after ``opened_at`` (Shanghai): holidays and make-up workdays as
    published, with the university's own changes when ``calendar`` is the service's (``calendar_in_force``)."""
    return (calendar or OFFICIAL_CALENDAR).deadline_after(opened_at, working_days)


UNCLOSED_CASE_STATES = ("open", "escalated")  # a follow-up case still to be done (未结)


def case_overdue(state: str, deadline: datetime, now: datetime) -> bool:
    """A follow-up case not closed by its deadline (逾期): the rule the escalation job applies."""
    return state in UNCLOSED_CASE_STATES and deadline <= now


RATE_PLACES = 10_000  # a rate is kept to four places


def rate_in_places(satisfied, total):
    """The share of satisfied ratings in ten-thousandths, a half rounded up (四舍五入). Whole numbers and operators
    only: the database ranks thousands of windows by it (``figures.month_places`` passes its columns in), and
    rounds as this does."""
    return (satisfied * 2 * RATE_PLACES + total) // (2 * total)


def rate_of(satisfied: int, total: int) -> float | None:
    """The share of satisfied ratings (基本满意 and better), to four places; none without ratings."""
    return rate_in_places(satisfied, total) / RATE_PLACES if total else None


@dataclass(frozen=True)
class LevelCounts:
    """A group of ratings, as counts per level."""

    counts: Mapping[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return sum(n for level, n in self.counts.items() if level in SATISFIED_LEVELS)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate_of(self.satisfied, self.total)


class Granularity:
    DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
    ALL = (DAY, WEEK, MONTH, YEAR)


def bucket_of(day: date, granularity: str) -> date:
    """The first day of the period (Shanghai calendar) a day falls in; weeks start on Monday, and the first
    and last week of a year are cut at its edge: no period spans two years, so that each year's figures
    can be guarded on their own (an answer across the edge could be subtracted from either side)."""
    if granularity == Granularity.DAY:
        return day
    if granularity == Granularity.WEEK:
        return max(day - timedelta(days=day.weekday()), day.replace(month=1, day=1))
    if granularity == Granularity.MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


# 星级窗口 / 服务标兵: a month's ranking places the best satisfaction first among those rated often enough, then the
# most rated, then by id as text; ties on satisfaction share a rank, and who holds the last place of a ranking of two
# or more in two months running is flagged. Thousands of windows each month: the database ranks them
# (``figures.month_places``), by ``rate_in_places``.
MIN_RANKED_RATINGS = 30  # fewer ratings make no fair place in a ranking


def month_before(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)
