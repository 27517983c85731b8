"""Grading branches: indicator and part weights, totals, suggested levels, the 先进 cap and its quotas."""
import random
import uuid
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from grading_service.domain.classification import IndicatorMeans, averages
from grading_service.domain.model import (
    DEFAULT_INDICATOR_WEIGHTS, DEFAULT_PART_WEIGHTS, INDICATOR_LABELS, AssessmentPart, Grade, GradingCycle,
    Indicator, InvalidGrading, LevelThresholds, Weights, advanced_quota, check_advanced_cap, split_quota,
)
from pacesetter_shared.events import grading as contract

A, O, L = Grade.ADVANCED, Grade.ORDINARY, Grade.LAGGING


def scores(value=80, **overrides):
    return {i: overrides.get(i.value, value) for i in Indicator}


def equal_indicator_weights():
    # 100 does not split evenly seven ways: 16 + 6 × 14
    return Weights(Indicator, {i: 16 if i is Indicator.LEADER else 14 for i in Indicator})


# -- the seven indicators and their weights --------------------------------------------------

def test_the_seven_indicators_of_the_policy():
    assert [INDICATOR_LABELS[i][0] for i in Indicator] == [
        "党组织带头人", "工作思路", "工作制度", "活动阵地", "保障机制", "工作业绩", "群众评价"]
    assert [i.value for i in Indicator] == [
        "leader", "work_plan", "rules", "venue", "support", "performance", "masses"]


def test_default_weights_add_up_to_100():
    assert sum(DEFAULT_INDICATOR_WEIGHTS.percent.values()) == 100
    assert sum(DEFAULT_PART_WEIGHTS.percent.values()) == 100
    assert list(DEFAULT_PART_WEIGHTS.percent) == [
        AssessmentPart.SELF, AssessmentPart.MEMBERS_AND_MASSES, AssessmentPart.SUPERIOR]


def test_levels_speak_the_event_contracts_words():
    assert [g.value for g in Grade] == list(contract.GRADES)


@pytest.mark.parametrize("leader", [14, 16.5])
def test_indicator_weights_must_add_up_to_100(leader):
    percent = dict(DEFAULT_INDICATOR_WEIGHTS.percent, **{Indicator.LEADER: leader})
    with pytest.raises(InvalidGrading) as caught:
        Weights(Indicator, percent)
    assert "add up to 100" in caught.value.details["weights"][0]


def test_every_indicator_must_be_weighted():
    percent = dict(DEFAULT_INDICATOR_WEIGHTS.percent)
    del percent[Indicator.VENUE]
    with pytest.raises(InvalidGrading) as caught:
        Weights(Indicator, percent)
    assert caught.value.details == {"venue": ["required"]}


@pytest.mark.parametrize("weight", [-1, 100.5, "10", None, False])
def test_a_weight_is_a_number_from_0_to_100(weight):
    with pytest.raises(InvalidGrading) as caught:
        Weights(AssessmentPart, {"self": weight, "members_and_masses": 50, "superior": 50})
    assert list(caught.value.details) == ["self"]


def test_an_unknown_indicator_is_named_in_the_error():
    with pytest.raises(InvalidGrading) as caught:
        Weights(Indicator, dict(DEFAULT_INDICATOR_WEIGHTS.percent, morale=0))
    assert "morale" in caught.value.details


@pytest.mark.parametrize("percent", [
    {"self": 20, "members_and_masses": 30, "superior": 49},
    {"self": 20, "members_and_masses": 30, "superior": 51},
])
def test_part_weights_must_add_up_to_100(percent):
    with pytest.raises(InvalidGrading):
        Weights(AssessmentPart, percent)


def test_part_weights_take_decimals():
    weights = Weights(AssessmentPart, {"self": 33.33, "members_and_masses": 33.33, "superior": 33.34})
    assert weights.percent[AssessmentPart.SUPERIOR] == 33.34


# -- a branch's total ------------------------------------------------------------------------

def test_the_total_weighs_each_indicator():
    total = DEFAULT_INDICATOR_WEIGHTS.weighted_total(scores(
        leader=90, work_plan=80, rules=70, venue=60, support=100, performance=85, masses=75))
    assert total == (15 * 90 + 10 * 80 + 10 * 70 + 10 * 60 + 10 * 100 + 25 * 85 + 20 * 75) / 100 == 80.75


@pytest.mark.parametrize("value", [0, 100, 89.99])
def test_equal_scores_give_that_score(value):
    assert DEFAULT_INDICATOR_WEIGHTS.weighted_total(scores(value)) == value
    assert equal_indicator_weights().weighted_total(scores(value)) == value


def test_a_total_ending_in_half_a_hundredth_rounds_up():
    # 80 + 10 × 0.05 / 100 = 80.005: 四舍五入 says 80.01, where round() on floats says 80.0
    assert DEFAULT_INDICATOR_WEIGHTS.percent[Indicator.RULES] == 10
    assert DEFAULT_INDICATOR_WEIGHTS.weighted_total(scores(80, rules=80.05)) == 80.01


def test_every_indicator_must_be_scored():
    partial = scores()
    del partial[Indicator.MASSES]
    with pytest.raises(InvalidGrading) as caught:
        DEFAULT_INDICATOR_WEIGHTS.weighted_total(partial)
    assert caught.value.details == {"masses": ["required"]}


def test_an_indicator_weighted_0_needs_no_score():
    weights = Weights(Indicator, dict(DEFAULT_INDICATOR_WEIGHTS.percent, venue=0, performance=35))
    partial = scores(90)
    del partial[Indicator.VENUE]
    assert weights.weighted_total(partial) == 90


@pytest.mark.parametrize("bad", [-0.5, 100.5, "90", None, True])
def test_a_score_is_a_number_from_0_to_100(bad):
    with pytest.raises(InvalidGrading) as caught:
        DEFAULT_INDICATOR_WEIGHTS.weighted_total(scores(leader=bad))
    assert "leader" in caught.value.details


def test_a_branch_total_combines_the_three_parts():
    cycle = GradingCycle(2024, advanced_cap_percent=30)
    total = cycle.branch_total({
        AssessmentPart.SELF: scores(95),
        AssessmentPart.MEMBERS_AND_MASSES: scores(85),
        AssessmentPart.SUPERIOR: scores(80, performance=90),  # 80 + 25 × 10 / 100 = 82.5
    })
    assert total == (20 * 95 + 30 * 85 + 50 * 82.5) / 100 == 85.75


def test_a_branch_total_names_the_part_and_the_indicator_at_fault():
    cycle = GradingCycle(2024, advanced_cap_percent=30)
    with pytest.raises(InvalidGrading) as caught:
        cycle.branch_total({AssessmentPart.SELF: scores(95), AssessmentPart.SUPERIOR: scores(80, rules=120)})
    assert caught.value.details == {"superior": {"rules": ["a score is a number from 0 to 100"]}}
    with pytest.raises(InvalidGrading) as caught:
        cycle.branch_total({AssessmentPart.SELF: scores(95), AssessmentPart.SUPERIOR: scores(80)})
    assert caught.value.details == {"members_and_masses": ["required"]}


# -- suggested level -------------------------------------------------------------------------

@pytest.mark.parametrize("total, level", [
    (100, A), (90, A), (89.99, O), (70, O), (69.99, L), (0, L),
])
def test_suggested_level_by_default_thresholds(total, level):
    assert GradingCycle(2024, advanced_cap_percent=30).suggested_level(total) is level


def test_thresholds_are_configurable():
    cycle = GradingCycle(2024, advanced_cap_percent=30, thresholds=LevelThresholds(advanced=85, ordinary=60))
    assert [cycle.suggested_level(t) for t in (85, 84.99, 60, 59.99)] == [A, O, O, L]


@pytest.mark.parametrize("advanced, ordinary", [(70, 70), (70, 90), (101, 70), (90, -1), ("90", 70)])
def test_thresholds_must_be_ordered_within_0_to_100(advanced, ordinary):
    with pytest.raises(InvalidGrading):
        LevelThresholds(advanced=advanced, ordinary=ordinary)


@pytest.mark.parametrize("total", [-0.01, 100.01])
def test_a_total_outside_0_to_100_has_no_level(total):
    with pytest.raises(InvalidGrading):
        LevelThresholds().level_for(total)


# -- the 先进 cap ----------------------------------------------------------------------------

@pytest.mark.parametrize("cap, branches, quota", [
    (30, 10, 3),  # exactly on a whole number
    (30, 7, 2),  # 2.1 → 2
    (30, 13, 3),  # 3.9 → 3: never rounded up
    (0, 20, 0),
    (100, 20, 20),
    (2.3, 1000, 23),  # floats would make this 22.999… → 22
    (14.3, 1000, 143),
    (30, 0, 0),
])
def test_max_advanced_is_the_floor_of_cap_percent_of_branches(cap, branches, quota):
    assert advanced_quota(cap, branches) == quota


def test_reaching_the_cap_exactly_is_allowed_and_one_more_exceeds_it():
    at_cap = check_advanced_cap([A, A, A] + [O] * 6 + [L], cap_percent=30)
    assert (at_cap.branches, at_cap.advanced, at_cap.max_advanced) == (10, 3, 3)
    assert (at_cap.within_cap, at_cap.exceeded_by) == (True, 0)
    over = check_advanced_cap([A, A, A, A] + [O] * 6, cap_percent=30)
    assert (over.within_cap, over.exceeded_by) == (False, 1)


def test_a_boundary_just_below_a_whole_number_is_floored():
    # 30 % of 9 is 2.7: the third 先进 already exceeds the cap
    check = check_advanced_cap([A, A, A] + [O] * 6, cap_percent=30)
    assert (check.max_advanced, check.exceeded_by) == (2, 1)


def test_the_cap_counts_only_advanced_branches():
    check = check_advanced_cap(["advanced", "lagging", "lagging", "ordinary"], cap_percent=25)
    assert (check.advanced, check.max_advanced, check.within_cap) == (1, 1, True)


def test_the_excess_is_how_many_must_come_down():
    check = check_advanced_cap([A] * 8 + [O] * 2, cap_percent=15)
    assert (check.max_advanced, check.exceeded_by) == (1, 7)


def test_a_cap_of_0_allows_no_advanced_branch():
    assert check_advanced_cap([A, O], cap_percent=0).exceeded_by == 1


def test_an_empty_cycle_is_within_any_cap():
    assert check_advanced_cap([], cap_percent=10).within_cap


@pytest.mark.parametrize("cap", [None, -1, 100.01, "30", True])
def test_the_cap_is_required_and_a_percentage(cap):
    with pytest.raises(InvalidGrading) as caught:
        GradingCycle(2024, advanced_cap_percent=cap)
    assert "advanced_cap_percent" in caught.value.details
    with pytest.raises(InvalidGrading):
        check_advanced_cap([A], cap_percent=cap)


def test_a_cycle_checks_against_its_own_cap():
    assert GradingCycle(2024, advanced_cap_percent=50).check_cap([A, A, O, O]).within_cap
    assert GradingCycle(2024, advanced_cap_percent=49).check_cap([A, A, O, O]).exceeded_by == 1


def test_a_cycle_needs_weights_over_the_right_things():
    with pytest.raises(InvalidGrading):
        GradingCycle(2024, advanced_cap_percent=30, indicator_weights=DEFAULT_PART_WEIGHTS)


# -- sharing the quota among general branches (largest remainder) ----------------------------

def gid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def test_whole_shares_need_no_remainder():
    assert split_quota(6, {gid(1): 10, gid(2): 20}) == {gid(1): 2, gid(2): 4}


def test_leftover_seats_go_to_the_largest_remainders():
    # exact shares of 10 over 7 / 5 / 3 / 0 branches: 4.667, 3.333, 2.0, 0 → 4 + 3 + 2 leaves one,
    # which goes to the largest remainder (.667)
    counts = {gid(1): 7, gid(2): 5, gid(3): 3, gid(4): 0}
    assert split_quota(10, counts) == {gid(1): 5, gid(2): 3, gid(3): 2, gid(4): 0}


def test_equal_remainders_go_to_the_lower_general_branch_id():
    counts = {gid(3): 1, gid(1): 1, gid(2): 1}
    assert split_quota(1, counts) == {gid(1): 1, gid(2): 0, gid(3): 0}
    assert split_quota(2, counts) == {gid(1): 1, gid(2): 1, gid(3): 0}


def test_the_split_does_not_depend_on_the_order_given():
    counts = {gid(n): c for n, c in enumerate([4, 4, 7, 2, 9, 4, 1], start=1)}
    expected = split_quota(9, counts)
    shuffler = random.Random(7)
    for _ in range(20):
        items = list(counts.items())
        shuffler.shuffle(items)
        assert split_quota(9, dict(items)) == expected


def test_shares_add_up_exactly_and_stay_within_one_of_the_exact_share():
    rng = random.Random(2024)
    for _ in range(500):
        counts = {gid(n): rng.randint(0, 30) for n in range(rng.randint(1, 12))}
        total = sum(counts.values())
        quota = rng.randint(0, total)
        shares = split_quota(quota, counts)
        assert sum(shares.values()) == quota
        for g, count in counts.items():
            exact = Fraction(quota * count, total) if total else 0
            assert exact - 1 < shares[g] < exact + 1
            assert shares[g] <= count


def test_nothing_to_share_among_no_branches():
    assert split_quota(0, {gid(1): 0, gid(2): 0}) == {gid(1): 0, gid(2): 0}
    assert split_quota(0, {}) == {}


@pytest.mark.parametrize("quota, counts", [
    (4, {gid(1): 2, gid(2): 1}),  # more seats than branches
    (-1, {gid(1): 2}),
    (1.5, {gid(1): 2}),
    (1, {gid(1): -2, gid(2): 5}),
    (1, {gid(1): 2.5}),
])
def test_an_impossible_split_is_refused(quota, counts):
    with pytest.raises(InvalidGrading):
        split_quota(quota, counts)


def test_a_cycle_shares_floor_of_cap_percent_of_all_branches():
    counts = {gid(1): 12, gid(2): 9, gid(3): 6}  # 27 branches at 20 % → 5 先进 (5.4 floored)
    shares = GradingCycle(2024, advanced_cap_percent=20).split_advanced_quota(counts)
    # exact: 2.222, 1.667, 1.111 → 2 + 1 + 1 leaves one, for the .667
    assert shares == {gid(1): 2, gid(2): 2, gid(3): 1}
    assert sum(shares.values()) == advanced_quota(20, 27) == 5


# -- the fast totals equal the policy read plainly (issue 24) ----------------------------------

def plain_weighted_total(weights: Weights, given_scores: dict) -> float:
    """Σ weight × score / 100 as the policy reads, member by member through the enum: what weighted_total did
    before it was made fast, kept here as the yardstick."""
    errors, given = {}, {}
    for key, value in given_scores.items():
        try:
            given[weights.kind(key)] = value
        except ValueError:
            errors[str(key)] = ["unknown"]
    for member in weights.kind:
        value = given.get(member)
        if value is None:
            if weights.percent[member] > 0:
                errors[member.value] = ["required"]
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            errors[member.value] = ["a score is a number from 0 to 100"]
    if errors:
        raise InvalidGrading("", errors)
    total = sum(Decimal(str(weights.percent[m])) * Decimal(str(given[m])) for m in weights.kind if weights.percent[m] > 0)
    return float((total / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def outcome(total, *args):
    try:
        return "total", total(*args)
    except InvalidGrading as exc:
        return "invalid", exc.details


@st.composite
def indicator_weights(draw) -> Weights:
    """Seven weights of up to two places (three, now and then) adding up to 100, some of them 0."""
    per_percent = draw(st.sampled_from([100, 100, 1000]))
    whole = 100 * per_percent
    cuts = sorted(draw(st.lists(st.sampled_from([0, whole // 10, whole // 4, whole]) | st.integers(0, whole),
                                min_size=6, max_size=6)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, whole])]
    return Weights(Indicator, {i: p // per_percent if p % per_percent == 0 else p / per_percent
                               for i, p in zip(Indicator, parts)})


# Two places as people score (summed in whole hundredths), and finer (summed in decimals).
a_score = st.one_of(st.floats(0, 100), st.integers(0, 100), st.decimals(0, 100, places=2).map(float),
                    st.decimals(0, 100, places=2).map(float), st.decimals(0, 100, places=3).map(float),
                    st.sampled_from([-0.0, 1e-300, 99.995, 80.005, 0.01, 99.99]))
a_bad_score = st.sampled_from([-0.5, 100.5, "90", True, float("nan"), float("inf")])
a_key = st.one_of(st.sampled_from(list(Indicator)), st.sampled_from([i.value for i in Indicator]),
                  st.sampled_from(["morale", "LEADER"]))


@settings(max_examples=400, deadline=None)
@given(weights=indicator_weights(), given_scores=st.dictionaries(  # None: a member left unscored, named all the same
    a_key, st.one_of(a_score, a_score, a_bad_score, st.none()), max_size=9))
def test_a_weighted_total_is_the_plain_one_for_any_scores(weights, given_scores):
    assert outcome(weights.weighted_total, given_scores) == outcome(plain_weighted_total, weights, given_scores)


@settings(max_examples=200, deadline=None)
@given(weights=indicator_weights(), parts=st.lists(st.dictionaries(st.sampled_from(list(Indicator)), a_score,
                                                                   min_size=7, max_size=7), min_size=3, max_size=3))
def test_a_branch_total_is_the_plain_one(weights, parts):
    cycle = GradingCycle(2026, advanced_cap_percent=30, indicator_weights=weights)
    part_totals = {p: plain_weighted_total(weights, s) for p, s in zip(AssessmentPart, parts)}
    assert cycle.branch_total(dict(zip(AssessmentPart, parts))) == plain_weighted_total(DEFAULT_PART_WEIGHTS,
                                                                                       part_totals)


@settings(max_examples=200, deadline=None)
@given(branches=st.lists(st.dictionaries(st.sampled_from(list(Indicator)), a_score), max_size=30),
       seed=st.integers(0, 1000))
def test_averages_taken_a_branch_at_a_time_are_the_sorted_means_in_any_order(branches, seed):
    def sorted_mean(values):
        return float((sum(sorted(Decimal(str(v)) for v in values)) / len(values))
                     .quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    expected = {i: sorted_mean([b[i] for b in branches if i in b]) if any(i in b for b in branches) else None
                for i in Indicator}
    shuffled = list(branches)
    random.Random(seed).shuffle(shuffled)
    assert averages(branches) == averages(shuffled) == expected
    means = IndicatorMeans()
    for b in shuffled:
        means.add(b)
    assert means.means() == expected
