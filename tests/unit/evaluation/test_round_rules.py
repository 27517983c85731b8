"""Who may rate for which party, what each rating carries, and when a round may close."""
import uuid

import pytest

from pacesetter_shared.i18n import ZH_CN, translate

from evaluation_service.domain.model import (
    DEFAULT_WEIGHTS, EvaluationRound, InvalidEvaluation, Party, PartyWeights, RaterNotAllowed, Rating, RoundRaters,
    TargetKind, all_parties_in, check_quorum_percent, check_submission, quorum_met, try_result,
)

SUBJECT, PEER, LEADER, STRANGER = (uuid.uuid4() for _ in range(4))
RATERS = RoundRaters(subject_person_id=SUBJECT, self_ids=frozenset({SUBJECT}), peer_ids=frozenset({PEER}),
                     leader_ids=frozenset({LEADER}))


def test_no_one_reviews_themselves():
    with pytest.raises(RaterNotAllowed) as caught:
        RATERS.check(Party.PEER, SUBJECT)
    assert "评自己" in translate(caught.value.args[0], ZH_CN)


@pytest.mark.parametrize("party, rater", [(Party.PEER, STRANGER), (Party.LEADER, PEER), (Party.SELF, PEER),
                                          (Party.MASSES, PEER), (Party.MASSES, SUBJECT)])
def test_only_those_asked_rate_for_their_party(party, rater):
    with pytest.raises(RaterNotAllowed):
        RATERS.check(party, rater)


def test_those_asked_may_rate_and_anyone_else_is_one_of_the_masses():
    for party, rater in [(Party.SELF, SUBJECT), (Party.PEER, PEER), (Party.LEADER, LEADER), (Party.MASSES, STRANGER)]:
        RATERS.check(party, rater)


def test_the_self_assessment_reports_on_each_target():
    with pytest.raises(InvalidEvaluation) as caught:
        check_submission(Party.SELF, "good", targets=["公开课", "带教"],
                         target_reports=[{"target": "公开课", "done": "两次"}, {"target": "带教", "done": "  "}])
    assert caught.value.details == {"target_reports": ["report what was done for: 带教"]}
    check_submission(Party.SELF, "good", targets=["公开课"], target_reports=[{"target": "公开课", "done": "两次"}])


def test_a_leaders_comment_carries_its_mode_and_no_one_else_does():
    with pytest.raises(InvalidEvaluation) as caught:
        check_submission(Party.LEADER, "good")
    assert "mode" in caught.value.details
    check_submission(Party.LEADER, "good", mode="concentrated")
    with pytest.raises(InvalidEvaluation):
        check_submission(Party.PEER, "good", mode="on_site")


def test_a_rating_off_the_scale_is_refused():
    with pytest.raises(InvalidEvaluation) as caught:
        check_submission(Party.PEER, "perfect")
    assert "rating" in caught.value.details


def _round(**ratings) -> EvaluationRound:
    evaluation = EvaluationRound.open(TargetKind.PLEDGE)
    for party, given in ratings.items():
        for rating in given:
            evaluation.rate(Party(party), Rating(rating))
    return evaluation


def test_quorum_counts_only_the_parties_that_can_be_shown():
    weights = DEFAULT_WEIGHTS[TargetKind.PLEDGE]  # self 20, peer 30, masses 30, leader 20
    # two peers are too few to show: self and leader alone weigh 40
    partial = try_result(_round(self=["good"], leader=["good"], peer=["excellent", "excellent"]))
    assert not quorum_met(partial, weights, 60)
    assert quorum_met(partial, weights, 40)
    full = try_result(_round(self=["good"], leader=["good"], peer=["excellent"] * 3))
    assert quorum_met(full, weights, 60)
    assert not quorum_met(try_result(_round()), weights, 10)


@pytest.mark.parametrize("quorum", [0, 101, True, "60"])
def test_a_quorum_is_a_share_of_the_weights(quorum):
    with pytest.raises(InvalidEvaluation):
        check_quorum_percent(quorum)


def test_a_round_is_in_when_every_asked_rater_has_rated_and_the_masses_are_enough():
    weights = PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20})
    rated = {Party.SELF: {SUBJECT}, Party.PEER: {PEER}, Party.LEADER: {LEADER}, Party.MASSES: {1, 2}}
    assert not all_parties_in(weights, RATERS, rated, min_group=3)
    rated[Party.MASSES].add(3)
    assert all_parties_in(weights, RATERS, rated, min_group=3)
    no_peers = RoundRaters(SUBJECT, frozenset({SUBJECT}), frozenset(), frozenset({LEADER}))
    assert not all_parties_in(weights, no_peers, rated, min_group=3)
