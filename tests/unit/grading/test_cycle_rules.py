"""Classifying a cycle: inputs from other services, the cap per general branch, level changes."""
import pytest

from grading_service.domain.classification import (
    CapExceeded, LevelChange, PledgeFigures, averages, cap_violations, distribution, level_change,
    members_and_masses_scores, refuse_if_over_cap, satisfaction_score,
)
from grading_service.domain.model import Grade, GradingCycle, Indicator, InvalidGrading, check_cycle_year
from pacesetter_shared.i18n import ZH_CN, translate

A, O, L = Grade.ADVANCED, Grade.ORDINARY, Grade.LAGGING


@pytest.mark.parametrize("previous, current, change", [
    (L, O, LevelChange.UP), (O, A, LevelChange.UP), (L, A, LevelChange.UP),
    (A, A, LevelChange.SAME), (L, L, LevelChange.SAME),
    (A, O, LevelChange.DOWN), (O, L, LevelChange.DOWN), (A, L, LevelChange.DOWN),
])
def test_level_changes_are_up_same_or_down(previous, current, change):
    assert level_change(previous, current) is change


def test_a_first_year_has_no_change():
    assert level_change(None, A) is None


def test_the_members_part_waits_for_a_branch_round():
    assert members_and_masses_scores([], 90.0, PledgeFigures(10, 10, 5, 5)) is None


def test_the_mean_of_rounds_scores_every_indicator_whatever_their_order():
    forward = members_and_masses_scores([91.5, 84, 80.1], None, None)
    backward = members_and_masses_scores([80.1, 84, 91.5], None, None)
    assert forward == backward == {i: 85.2 for i in Indicator}


def test_window_satisfaction_and_pledge_figures_replace_their_indicators():
    scores = members_and_masses_scores([80], satisfaction_score([(45, 50), (0, 0)]), PledgeFigures(20, 18, 30, 23))
    assert scores[Indicator.MASSES] == 90.0
    assert scores[Indicator.PERFORMANCE] == 83.33
    assert scores[Indicator.LEADER] == 80.0


def test_no_ratings_is_no_satisfaction():
    assert satisfaction_score([]) is None and satisfaction_score([(0, 0)]) is None


def test_nothing_asked_of_a_branch_is_full_pledge_marks_and_more_than_asked_counts_once():
    assert PledgeFigures(0, 0, 0, 0).score() == 100.0
    assert PledgeFigures(10, 12, 4, 2).score() == 75.0


def levels(*entries):
    return {i: entry for i, entry in enumerate(entries)}


def test_ties_at_the_boundary_reaching_the_cap_exactly_is_allowed():
    cycle = GradingCycle(year=2026, advanced_cap_percent=50)
    assert cap_violations(cycle, levels(("g", A), ("g", O)), per_general_branch=False) == []
    [over] = cap_violations(cycle, levels(("g", A), ("g", A)), per_general_branch=False)
    assert (over.scope, over.max_advanced, over.exceeded_by) == ("overall", 1, 1)


def test_per_general_branch_quotas_come_from_the_overall_one():
    # 10 branches at 30 %: quota 3, split 7:3 → 2.1 and 0.9 → 2 and 1 (the larger remainder gets the seat).
    cycle = GradingCycle(year=2026, advanced_cap_percent=30)
    entries = [("g1", O)] * 7 + [("g2", O)] * 3
    within = levels(*([("g1", A)] * 2 + entries[2:7] + [("g2", A)] + entries[8:]))
    assert cap_violations(cycle, within, per_general_branch=True) == []
    over = levels(*([("g1", A)] * 3 + entries[3:]))
    [violation] = cap_violations(cycle, over, per_general_branch=True)
    assert (violation.scope, violation.advanced, violation.max_advanced) == ("g1", 3, 2)
    assert cap_violations(cycle, over, per_general_branch=False) == []


def test_the_refusal_says_by_how_many():
    cycle = GradingCycle(year=2026, advanced_cap_percent=20)
    with pytest.raises(CapExceeded) as refused:
        refuse_if_over_cap(cap_violations(cycle, levels(*[("g", A)] * 4 + [("g", O)] * 6), False))
    assert "需减少 2 个" in translate(refused.value.args[0], ZH_CN) and "2 must be lowered" in str(refused.value)
    assert refused.value.details["cap"][0]["exceeded_by"] == 2
    refuse_if_over_cap([])


def test_the_distribution_counts_every_level_and_the_undecided():
    assert distribution([A, O, O, None, L]) == {"advanced": 1, "ordinary": 2, "lagging": 1, "undecided": 1}


def test_averages_skip_branches_without_a_score():
    result = averages([{Indicator.LEADER: 90, Indicator.MASSES: 70}, {Indicator.LEADER: 85}])
    assert result[Indicator.LEADER] == 87.5 and result[Indicator.MASSES] == 70.0
    assert result[Indicator.VENUE] is None


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_a_cycle_is_for_last_this_or_next_year(year):
    check_cycle_year(year, 2026)


@pytest.mark.parametrize("year", [2024, 2028, 2058, 2082])
def test_another_year_is_refused_beside_the_year(year):
    with pytest.raises(InvalidGrading) as refused:
        check_cycle_year(year, 2026)
    assert refused.value.details["year"] == ["a year from 2025 to 2027"]
    assert translate(refused.value.args[0], ZH_CN) == "年度分类定级只能为 2025 至 2027 年度开展（上一年、本年或下一年）。"


def test_a_wider_span_is_a_setting():
    check_cycle_year(2030, 2026, span=4)
    with pytest.raises(InvalidGrading):
        check_cycle_year(2031, 2026, span=4)
