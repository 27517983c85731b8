"""An evaluation round's result: weights, the rating scale, re-normalising, anonymity, levels."""
import pytest

from evaluation_service.domain.model import (
    DEFAULT_WEIGHTS, MIN_ANONYMOUS_GROUP, POINTS, RATING_SCALE, EvaluationRound, InvalidEvaluation, Party,
    PartyWeights, Rating, TargetKind, level_for,
)
from pacesetter_shared.events import evaluation as contract
from pacesetter_shared.events import prepare_data

EVEN = PartyWeights({Party.SELF: 25, Party.PEER: 25, Party.MASSES: 25, Party.LEADER: 25})


def round_with(weights=EVEN, min_group=MIN_ANONYMOUS_GROUP, **ratings) -> EvaluationRound:
    evaluation = EvaluationRound(TargetKind.PLEDGE, weights, min_group)
    for party, given in ratings.items():
        for rating in given:
            evaluation.rate(Party(party), rating)
    return evaluation


def part(result, party):
    return next(p for p in result.breakdown if p.party is party)


# -- weights ---------------------------------------------------------------------------------

@pytest.mark.parametrize("percent", [
    {Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 19},
    {Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 21},
    {},
    {Party.MASSES: 99.99},
])
def test_weights_must_add_up_to_100(percent):
    with pytest.raises(InvalidEvaluation) as caught:
        PartyWeights(percent)
    assert "add up to 100" in caught.value.details["weights"][0]


@pytest.mark.parametrize("weight", [-10, 101, "30", None, True])
def test_each_weight_is_a_number_from_0_to_100(weight):
    with pytest.raises(InvalidEvaluation) as caught:
        PartyWeights({Party.SELF: weight, Party.LEADER: 100})
    assert list(caught.value.details) == ["self"]


def test_an_unknown_party_is_named_in_the_error():
    with pytest.raises(InvalidEvaluation) as caught:
        PartyWeights({"boss": 50, "leader": 50})
    assert "boss" in caught.value.details


def test_weights_accept_decimals_and_party_names():
    weights = PartyWeights({"self": 33.33, "peer": 33.33, "leader": 33.34})
    assert weights.percent == {Party.SELF: 33.33, Party.PEER: 33.33, Party.LEADER: 33.34}


def test_a_party_weighted_0_takes_no_part():
    weights = PartyWeights({Party.SELF: 0, Party.PEER: 50, Party.LEADER: 50})
    assert weights.parties == (Party.PEER, Party.LEADER)
    with pytest.raises(InvalidEvaluation):
        round_with(weights).rate(Party.SELF, Rating.GOOD)


def test_parties_keep_their_policy_order_whatever_order_they_were_given_in():
    weights = PartyWeights({Party.LEADER: 10, Party.SELF: 10, Party.MASSES: 40, Party.PEER: 40})
    assert weights.parties == (Party.SELF, Party.PEER, Party.MASSES, Party.LEADER)


@pytest.mark.parametrize("kind", list(TargetKind))
def test_every_target_kind_has_default_weights_adding_up_to_100(kind):
    assert sum(DEFAULT_WEIGHTS[kind].percent.values()) == 100


def test_a_window_has_no_self_assessment_by_default():
    assert Party.SELF not in DEFAULT_WEIGHTS[TargetKind.WINDOW].parties
    assert EvaluationRound.open(TargetKind.WINDOW).weights is DEFAULT_WEIGHTS[TargetKind.WINDOW]


def test_the_domain_speaks_the_event_contracts_words():
    assert [p.value for p in Party] == list(contract.PARTIES)
    assert [r.value for r in Rating] == list(contract.LEVELS)
    assert [k.value for k in TargetKind] == list(contract.TARGET_KINDS)


# -- the scale and levels --------------------------------------------------------------------

def test_ratings_count_as_95_85_70_50():
    assert POINTS == {Rating.EXCELLENT: 95, Rating.GOOD: 85, Rating.FAIR: 70, Rating.POOR: 50}
    assert [(s.zh, s.en) for s in RATING_SCALE] == [
        ("优秀", "Excellent"), ("良好", "Good"), ("一般", "Fair"), ("较差", "Poor")]


@pytest.mark.parametrize("rating", list(Rating))
def test_a_unanimous_rating_earns_its_own_level(rating):
    result = round_with(peer=[rating] * 3).result()
    assert result.score == POINTS[rating]
    assert result.level is rating


@pytest.mark.parametrize("score, level", [
    (100, Rating.EXCELLENT), (90, Rating.EXCELLENT), (89.99, Rating.GOOD), (80, Rating.GOOD),
    (79.99, Rating.FAIR), (60, Rating.FAIR), (59.99, Rating.POOR), (0, Rating.POOR),
])
def test_level_boundaries(score, level):
    assert level_for(score) is level


@pytest.mark.parametrize("score", [-0.01, 100.01])
def test_a_score_outside_0_to_100_has_no_level(score):
    with pytest.raises(InvalidEvaluation):
        level_for(score)


# -- the weighted result ---------------------------------------------------------------------

def test_the_result_weighs_each_partys_mean():
    weights = PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20})
    result = round_with(weights, self=["excellent"], peer=["excellent", "good", "good"],
                        masses=["good", "fair", "fair", "poor"], leader=["good"]).result()
    # (20 × 95 + 30 × 265/3 + 30 × 275/4 + 20 × 85) / 100 = 83.125, shown half up
    assert result.score == 83.13
    assert result.level is Rating.GOOD
    assert [(p.party, p.weight, p.raters, p.score) for p in result.breakdown] == [
        (Party.SELF, 20, 1, 95.0), (Party.PEER, 30, 3, 88.33), (Party.MASSES, 30, 4, 68.75),
        (Party.LEADER, 20, 1, 85.0)]


def test_weights_are_renormalised_over_the_parties_that_rated():
    weights = PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20})
    result = round_with(weights, self=["excellent"], leader=["good"]).result()
    assert result.score == 90.0  # (20 × 95 + 20 × 85) / 40, not / 100
    assert result.level is Rating.EXCELLENT


def test_renormalising_keeps_the_ratio_of_the_remaining_weights():
    weights = PartyWeights({Party.SELF: 10, Party.PEER: 20, Party.MASSES: 60, Party.LEADER: 10})
    result = round_with(weights, peer=["poor"] * 3, leader=["excellent"]).result()
    assert result.score == round((20 * 50 + 10 * 95) / 30, 2) == 65.0


def test_one_party_alone_decides_the_result():
    assert round_with(leader=["fair"]).result().score == 70.0


def test_parties_nobody_rated_stay_in_the_breakdown_without_a_score():
    result = round_with(self=["good"]).result()
    assert [(p.party, p.raters, p.score) for p in result.breakdown] == [
        (Party.SELF, 1, 85.0), (Party.PEER, 0, None), (Party.MASSES, 0, None), (Party.LEADER, 0, None)]


def test_a_round_nobody_rated_has_no_result():
    with pytest.raises(InvalidEvaluation):
        round_with().result()


def test_ratings_are_kept_as_numbers():
    evaluation = round_with(masses=["excellent", "poor"])
    assert evaluation.ratings == {Party.MASSES: [95, 50]}


def test_the_level_is_read_from_the_score_as_shown():
    # (500 × 95 + 501 × 85) / 1001 = 89.99500…: shown as 90.00, so 优秀, never 良好 beside a 90.00
    result = round_with(PartyWeights({Party.PEER: 100}), peer=["excellent"] * 500 + ["good"] * 501).result()
    assert (result.score, result.level) == (90.0, Rating.EXCELLENT)


def test_a_score_ending_in_half_a_hundredth_rounds_up():
    weights = PartyWeights({Party.SELF: 0.1, Party.LEADER: 99.9})
    result = round_with(weights, self=["excellent"], leader=["fair"]).result()
    assert result.score == 70.03  # 70.025 rounds up (四舍五入), where round-half-even says 70.02


# -- anonymity -------------------------------------------------------------------------------

@pytest.mark.parametrize("party", [Party.PEER, Party.MASSES])
def test_two_raters_are_too_few_to_show_and_so_do_not_count(party):
    result = round_with(**{party.value: ["poor", "poor"]}, leader=["excellent"]).result()
    assert (part(result, party).raters, part(result, party).score) == (2, None)
    # Counted, the hidden mean could be recovered from the total and the leader's shown part.
    assert result.score == 95.0


@pytest.mark.parametrize("party", [Party.PEER, Party.MASSES])
def test_three_raters_are_enough_to_show(party):
    result = round_with(**{party.value: ["poor", "poor", "good"]}).result()
    assert part(result, party).score == 61.67


@pytest.mark.parametrize("party", [Party.SELF, Party.LEADER])
def test_self_and_leader_are_shown_with_a_single_rater(party):
    result = round_with(**{party.value: ["good"]}).result()
    assert part(result, party).score == 85.0


def test_a_deployment_may_ask_for_a_larger_group():
    assert part(round_with(min_group=5, masses=["good"] * 4, leader=["fair"]).result(), Party.MASSES).score is None
    assert part(round_with(min_group=5, masses=["good"] * 5).result(), Party.MASSES).score == 85.0


@pytest.mark.parametrize("min_group", [2, 0, -1, 2.5, True])
def test_the_group_may_never_be_smaller_than_3(min_group):
    with pytest.raises(InvalidEvaluation) as caught:
        EvaluationRound(TargetKind.PLEDGE, EVEN, min_group)
    assert "min_group" in caught.value.details


def test_a_result_fits_the_evaluation_completed_contract():
    result = round_with(self=["good"], masses=["fair", "fair"]).result()
    data = prepare_data("evaluation.completed", 1, {
        "round_id": "5b0c3c1e-34b7-4b7e-9c55-5a2a6d3c2f10", "target_kind": "pledge",
        "target_id": "0e7f2f8e-4f1b-4f43-8b7b-7e3b3a1d9c11", "unit_id": "9d1e6f4a-2c3b-4a5d-8e7f-1a2b3c4d5e6f",
        "year": 2024, "score": result.score, "level": result.level.value,
        "breakdown": [{"party": p.party.value, "weight": p.weight, "score": p.score, "raters": p.raters}
                      for p in result.breakdown],
    })
    assert data["breakdown"][2] == {"party": "masses", "weight": 25.0, "score": None, "raters": 2}
