"""星级窗口 / 服务标兵: stars by satisfaction, for those rated often enough; thresholds as a setting."""
import pytest

from evaluation_service.domain.ratings import LevelCounts
from evaluation_service.domain.stars import DEFAULT_STAR_RULE, StarRule


def month(satisfied: int, unsatisfied: int) -> LevelCounts:
    return LevelCounts({5: satisfied, 1: unsatisfied})


@pytest.mark.parametrize("satisfied, unsatisfied, stars", [
    (98, 2, 5), (97, 3, 4), (95, 5, 4), (90, 10, 3), (89, 11, 0), (0, 100, 0)])
def test_the_most_stars_whose_threshold_is_reached(satisfied, unsatisfied, stars):
    assert DEFAULT_STAR_RULE.stars_for(month(satisfied, unsatisfied)) == stars


def test_too_few_ratings_earn_no_stars_however_good():
    assert DEFAULT_STAR_RULE.stars_for(month(29, 0)) == 0
    assert DEFAULT_STAR_RULE.stars_for(month(30, 0)) == 5
    assert StarRule(DEFAULT_STAR_RULE.thresholds, min_ratings=5).stars_for(month(5, 0)) == 5


def test_thresholds_read_from_the_setting():
    rule = StarRule.parse("3:0.9, 5:0.99")
    assert rule.thresholds == ((5, 0.99), (3, 0.9))
    assert rule.stars_for(month(95, 5)) == 3


@pytest.mark.parametrize("text", ["5", "5:x", "6:0.9", "5:1.5", "5:0.9,4:0.95", "5:0.9,5:0.8", "4:0.9,3:0.9"])
def test_thresholds_the_policy_cannot_mean_are_refused(text):
    with pytest.raises(ValueError):
        StarRule.parse(text)
