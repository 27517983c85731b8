"""The working calendar (工作日历): official holidays and make-up workdays, the university's own days, and the
end of a deadline's last day."""
from datetime import date, datetime, time, timezone

import pytest

from pacesetter_shared.workdays import SHANGHAI, DayOverride, WorkingCalendar, parse_end_of_day

OFFICIAL = WorkingCalendar()


def test_the_national_day_week_is_off_and_its_make_up_saturday_is_worked():
    # 2026: 1–7 October off (中秋 is 25–27 September), Sunday 20 September and Saturday 10 October worked
    assert not any(OFFICIAL.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert OFFICIAL.is_working_day(date(2026, 10, 10))  # a Saturday
    assert OFFICIAL.is_working_day(date(2026, 9, 20))  # a Sunday
    assert not OFFICIAL.is_working_day(date(2026, 10, 11))  # the Sunday after is a weekend as usual
    assert OFFICIAL.is_working_day(date(2026, 10, 9))


def test_five_working_days_from_before_national_day_end_after_it_at_half_past_five():
    wednesday = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    # 8, 9, 10 (Saturday, worked), 12, 13 October
    assert OFFICIAL.nth_working_day_after(wednesday, 5) == date(2026, 10, 13)
    assert OFFICIAL.deadline_after(wednesday, 5) == datetime(2026, 10, 13, 17, 30, tzinfo=SHANGHAI)
    # Monday to Friday alone would have said Wednesday 7 October, in the middle of the holiday
    assert WorkingCalendar(end_of_day=time(23, 59)).deadline_after(wednesday, 5) == datetime(
        2026, 10, 13, 23, 59, tzinfo=SHANGHAI)


def test_the_day_of_the_moment_is_not_counted_and_shanghai_decides_the_day():
    friday_evening = datetime(2026, 11, 27, 15, 30, tzinfo=timezone.utc)  # Saturday 23:30 in Shanghai
    assert OFFICIAL.deadline_after(friday_evening, 1) == datetime(2026, 11, 30, 17, 30, tzinfo=SHANGHAI)


def test_the_university_s_own_days_win_over_the_official_calendar():
    campus = WorkingCalendar.of([DayOverride(date(2026, 10, 8), False, "校庆"),
                                 DayOverride(date(2026, 10, 7), True, "迎新值班")])
    assert not campus.is_working_day(date(2026, 10, 8)) and campus.is_working_day(date(2026, 10, 7))
    wednesday = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)
    # 7 (worked here), 9, 10, 12, 13 October
    assert campus.nth_working_day_after(wednesday, 5) == date(2026, 10, 13)
    assert campus.nth_working_day_after(wednesday, 1) == date(2026, 10, 7)


def test_a_year_the_package_does_not_know_counts_monday_to_friday_with_the_overrides_and_says_so():
    assert OFFICIAL.knows_year(2026) and not OFFICIAL.knows_year(2027)
    assert OFFICIAL.unknown_years(date(2026, 12, 28), date(2027, 1, 8)) == [2027]
    assert not OFFICIAL.is_working_day(date(2027, 1, 2))  # a Saturday
    assert OFFICIAL.is_working_day(date(2027, 1, 1))  # New Year's Day, not yet published
    new_year = WorkingCalendar.of([DayOverride(date(2027, 1, 1), False, "元旦")])
    assert not new_year.is_working_day(date(2027, 1, 1))
    thursday = datetime(2026, 12, 31, 2, 0, tzinfo=timezone.utc)
    assert OFFICIAL.nth_working_day_after(thursday, 1) == date(2027, 1, 1)
    assert new_year.nth_working_day_after(thursday, 1) == date(2027, 1, 4)
    assert [(d.day, d.working, d.overridden) for d in new_year.special_days(2027)] == [(date(2027, 1, 1), False, True)]


def test_the_year_s_special_days_list_holidays_and_make_up_workdays():
    days = {d.day: d for d in OFFICIAL.special_days(2026)}
    assert days[date(2026, 10, 1)].name == "national_day" and not days[date(2026, 10, 1)].working
    assert days[date(2026, 10, 3)].name == "national_day"  # a Saturday inside the holiday is listed with it
    assert days[date(2026, 10, 10)].working and days[date(2026, 10, 10)].name == "national_day"
    assert days[date(2026, 2, 17)].name == "spring_festival"
    assert date(2026, 10, 9) not in days and date(2026, 10, 17) not in days  # ordinary days are not listed


@pytest.mark.parametrize("raw, expected", [("17:30", time(17, 30)), ("23:59", time(23, 59)), (" 9:00 ", time(9, 0))])
def test_the_end_of_a_working_day_is_a_time_of_day(raw, expected):
    assert parse_end_of_day(raw) == expected


@pytest.mark.parametrize("raw", ["24:00", "00:00", "17:60", "5pm", "", "17.30"])
def test_a_time_that_is_not_one_is_refused(raw):
    with pytest.raises(ValueError):
        parse_end_of_day(raw)
