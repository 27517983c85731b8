"""How old a rating may arrive (a kiosk's queue, a phone's minutes), never from the future, and whom it may name."""
from datetime import datetime, timedelta, timezone

import pytest

from evaluation_service.domain.ratings import CLOCK_SKEW, IntakeRule, RatingRejected, check_on_duty
from pacesetter_shared.i18n import translate

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
RULE = IntakeRule()


@pytest.mark.parametrize("kiosk, age, taken", [
    (True, timedelta(hours=47, minutes=59), True), (True, timedelta(hours=48, minutes=1), False),
    (False, timedelta(minutes=9, seconds=59), True), (False, timedelta(minutes=10, seconds=1), False),
    (True, -CLOCK_SKEW, True), (False, -CLOCK_SKEW - timedelta(seconds=1), False),
    (True, NOW - datetime(1900, 1, 1, tzinfo=timezone.utc), False),
])
def test_a_rating_arrives_within_its_ways_span_and_not_from_the_future(kiosk, age, taken):
    if taken:
        RULE.check_rated_at(NOW - age, NOW, kiosk=kiosk)
    else:
        with pytest.raises(RatingRejected) as refused:
            RULE.check_rated_at(NOW - age, NOW, kiosk=kiosk)
        assert "rated_at" in refused.value.details


def test_the_refusal_says_the_span_in_the_readers_language():
    with pytest.raises(RatingRejected) as kiosk:
        RULE.check_rated_at(NOW - timedelta(days=3), NOW, kiosk=True)
    with pytest.raises(RatingRejected) as phone:
        IntakeRule(online_max_age=timedelta(seconds=90)).check_rated_at(NOW - timedelta(hours=1), NOW, kiosk=False)
    assert str(kiosk.value.args[0]) == "A rating is taken at most 48 h after it was given."
    assert translate(kiosk.value.args[0], "zh-CN") == "评价须在作出后 48 小时内提交。"
    assert translate(phone.value.args[0], "zh-CN") == "评价须在作出后 2 分钟内提交。"


def test_only_someone_serving_the_window_may_be_named():
    serving = {"a", "b"}
    check_on_duty(None, serving)
    check_on_duty("a", serving)
    with pytest.raises(RatingRejected) as refused:
        check_on_duty("c", serving)
    assert list(refused.value.details) == ["on_duty_id"]
