"""The five-level scale, its reason tags, the follow-up deadline and the anonymity of summaries."""
from datetime import datetime, timezone

import pytest

from evaluation_service.domain.model import InvalidEvaluation
from evaluation_service.domain.ratings import (
    FIRST_TAG_SET, LevelCounts, RatingRejected, WindowRating, check_tag_set, followup_deadline,
)


def test_praise_goes_with_the_top_levels_and_complaints_with_the_bottom_two():
    assert WindowRating.given(5, ["热情周到"], 1, FIRST_TAG_SET).reasons == ("热情周到",)
    assert WindowRating.given(2, ["服务态度", "服务态度"], 1, FIRST_TAG_SET).reasons == ("服务态度",)
    assert WindowRating.given(1, [], 1, FIRST_TAG_SET).negative
    assert not WindowRating.given(3, [], 1, FIRST_TAG_SET).negative
    for level, reasons in [(1, ["热情周到"]), (5, ["服务效率"]), (3, ["其他"])]:
        with pytest.raises(RatingRejected) as caught:
            WindowRating.given(level, reasons, 1, FIRST_TAG_SET)
        assert "reasons" in caught.value.details


@pytest.mark.parametrize("level", [0, 6, None, "满意"])
def test_a_level_outside_the_scale_is_refused(level):
    with pytest.raises(RatingRejected):
        WindowRating.given(level, [], 1, FIRST_TAG_SET)


def test_a_tag_set_names_both_groups_with_each_tag_once():
    with pytest.raises(InvalidEvaluation) as caught:
        check_tag_set({"praise": ["好", "好"], "complaint": []})
    assert set(caught.value.details) == {"praise", "complaint"}


def test_follow_up_is_due_after_five_working_days_in_shanghai():
    friday_evening = datetime(2026, 11, 27, 15, 30, tzinfo=timezone.utc)  # Saturday 23:30 in Shanghai
    deadline = followup_deadline(friday_evening)
    # Saturday → Mon..Fri of the next week; due at the end of Friday 4 December, 17:30 Shanghai time (office
    # hours' end, DEADLINE_END_OF_DAY), not Saturday's 0:00
    assert deadline == datetime(2026, 12, 4, 9, 30, tzinfo=timezone.utc)


def test_follow_up_skips_the_national_day_holiday_and_counts_its_make_up_saturday():
    before_the_holiday = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Shanghai
    # 8, 9, 10 (the make-up Saturday), 12, 13 October; Monday to Friday alone said 7 October, a holiday
    assert followup_deadline(before_the_holiday) == datetime(2026, 10, 13, 9, 30, tzinfo=timezone.utc)


def counts(n, level=5) -> LevelCounts:
    return LevelCounts({level: n})


def test_satisfaction_counts_the_top_three_levels():
    group = LevelCounts({5: 2, 3: 1, 2: 1})
    assert (group.total, group.satisfied, group.satisfaction_rate) == (4, 3, 0.75)
    assert LevelCounts({}).satisfaction_rate is None
