"""Working days (工作日): the official holidays and make-up workdays (法定节假日、调休上班), with the
university's own changes (工作日历调整) winning over them.

Plain Python: the official calendar comes from the ``chinesecalendar`` package, which is updated once the
State Council publishes the next year's arrangement (usually in November). For a year it does not know yet,
the calendar counts Monday to Friday plus the university's changes and says so (``unknown_years``), so that
a deadline still falls somewhere sensible and the organisation department sees why it may be off.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Office hours of 机关 and 高校 end at 17:30: a deadline then falls while whoever answers for a case, and the
# secretary it is escalated to, are still at work. DEADLINE_END_OF_DAY=23:59 gives the whole calendar day.
DEFAULT_END_OF_DAY = time(17, 30)


@dataclass(frozen=True)
class DayOverride:
    """One day of the university's own calendar: a working day (e.g. a make-up day for a campus holiday) or a
    day off (e.g. 校庆) — whatever the official calendar says about it."""

    day: date
    working: bool
    note: str = ""


@dataclass(frozen=True)
class CalendarDay:
    """A day that is not what its weekday suggests: a holiday on a weekday or a working weekend day."""

    day: date
    working: bool
    name: str  # the official holiday's code (national_day, spring_festival…), or the override's note
    overridden: bool


def parse_end_of_day(raw: str) -> time:
    """``HH:MM`` (e.g. 17:30 or 23:59): the moment a working day ends. ValueError when it is not one."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", raw or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59 or (int(match[1]), int(match[2])) == (0, 0):
        raise ValueError(f"{raw!r}: a time of day from 00:01 to 23:59 such as 17:30 or 23:59")
    return time(int(match[1]), int(match[2]))


def _holiday_code(name: str | None) -> str:
    """The package names a holiday in English ("National Day"); pages translate its code (national_day)."""
    if not name:
        return ""
    try:
        return chinese_calendar.Holiday(name).name
    except ValueError:  # a holiday added to the package after this code was written: its name as it is
        return name


# the years whose arrangement the installed package publishes (it names every holiday of those years)
_PUBLISHED_YEARS = frozenset(day.year for day in chinese_calendar.constants.holidays)


def _official(day: date) -> tuple[bool, str] | None:
    """(working, holiday code) from the published arrangement; None for a year not published in the package."""
    if day.year not in _PUBLISHED_YEARS:
        return None
    holiday, name = chinese_calendar.get_holiday_detail(day)
    return not holiday, _holiday_code(name)


@dataclass(frozen=True)
class WorkingCalendar:
    """工作日历: which days are working days, and when "n working days after" ends."""

    overrides: Mapping[date, DayOverride] = field(default_factory=dict)
    end_of_day: time = DEFAULT_END_OF_DAY

    @classmethod
    def of(cls, overrides: Iterable[DayOverride] = (), end_of_day: time = DEFAULT_END_OF_DAY) -> WorkingCalendar:
        return cls({o.day: o for o in overrides}, end_of_day)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day].working
        official = _official(day)
        return official[0] if official is not None else day.weekday() < 5

    def knows_year(self, year: int) -> bool:
        """Whether the official arrangement of ``year`` is in the package (else: Monday to Friday)."""
        return _official(date(year, 1, 1)) is not None

    def unknown_years(self, start: date, end: date) -> list[int]:
        return [year for year in range(start.year, end.year + 1) if not self.knows_year(year)]

    def nth_working_day_after(self, moment: datetime, working_days: int) -> date:
        """The n-th working day after the day of ``moment`` in Shanghai (that day itself is not counted)."""
        day = moment.astimezone(SHANGHAI).date()
        left = working_days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def deadline_after(self, moment: datetime, working_days: int) -> datetime:
        """The end of the n-th working day after ``moment`` (Shanghai, at ``end_of_day``), not the next day's 0:00."""
        return datetime.combine(self.nth_working_day_after(moment, working_days), self.end_of_day, SHANGHAI)

    def special_days(self, year: int) -> list[CalendarDay]:
        """The year's days that differ from their weekday (holidays on weekdays, make-up workdays on weekends, as
        published) and every override, by date."""
        days: dict[date, CalendarDay] = {}
        if self.knows_year(year):
            day = date(year, 1, 1)
            while day.year == year:
                working, name = _official(day)
                if working != (day.weekday() < 5) or (not working and name):
                    days[day] = CalendarDay(day, working, name, False)
                day += timedelta(days=1)
        for day, override in self.overrides.items():
            if day.year == year:
                days[day] = CalendarDay(day, override.working, override.note, True)
        return [days[d] for d in sorted(days)]
