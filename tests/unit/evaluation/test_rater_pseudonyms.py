"""评议人化名: what a round keeps of who rated — a pseudonym under the round's secret for everyone, the id only
for the self-assessment and a leader's comment — and what it can still tell while open and once closed."""
import uuid
from types import SimpleNamespace

from evaluation_service.domain.model import (
    DEFAULT_WEIGHTS, NAMED_PARTIES, Party, RaterPseudonyms, RoundRaters, TargetKind, all_parties_in,
)

SUBJECT, PEER, OTHER_PEER, LEADER, MASSES = (uuid.uuid4() for _ in range(5))
RATERS = RoundRaters(subject_person_id=SUBJECT, self_ids=frozenset({SUBJECT}),
                     peer_ids=frozenset({PEER, OTHER_PEER}), leader_ids=frozenset({LEADER}))


def _stored(pseudonyms: RaterPseudonyms, party: Party, rater) -> SimpleNamespace:
    return SimpleNamespace(party=party.value, **pseudonyms.kept(party, rater))


def test_peers_and_the_masses_are_kept_by_pseudonym_only_and_known_raters_by_id_too():
    open_round = RaterPseudonyms(RaterPseudonyms.new_secret())
    assert NAMED_PARTIES == {Party.SELF, Party.LEADER}
    for party, rater in ((Party.PEER, PEER), (Party.MASSES, MASSES)):
        kept = open_round.kept(party, rater)
        assert kept["rater_id"] is None and str(rater) not in kept["rater_key"]
        assert kept["rater_key"] == open_round.of(rater) and len(kept["rater_key"]) == 64
    assert open_round.kept(Party.SELF, SUBJECT)["rater_id"] == SUBJECT
    assert open_round.kept(Party.LEADER, LEADER)["rater_id"] == LEADER


def test_a_person_has_another_pseudonym_in_every_round():
    first, second = (RaterPseudonyms(RaterPseudonyms.new_secret()) for _ in range(2))
    assert first.of(PEER) == first.of(PEER) == first.of(str(PEER))
    assert first.of(PEER) != second.of(PEER) and first.of(PEER) != first.of(OTHER_PEER)


def test_while_open_a_rater_is_told_by_pseudonym_and_once_closed_only_known_raters_are():
    secret = RaterPseudonyms.new_secret()
    open_round = RaterPseudonyms(secret)
    ratings = [_stored(open_round, Party.PEER, PEER), _stored(open_round, Party.MASSES, MASSES),
               _stored(open_round, Party.SELF, SUBJECT), _stored(open_round, Party.LEADER, LEADER)]
    for rater, party in ((PEER, "peer"), (MASSES, "masses"), (SUBJECT, "self"), (LEADER, "leader")):
        assert [r.party for r in ratings if open_round.is_by(r, rater)] == [party]
    assert not any(open_round.is_by(r, OTHER_PEER) for r in ratings)

    closed = RaterPseudonyms(None)  # the secret destroyed with the round
    assert [r.party for r in ratings if closed.is_by(r, PEER) or closed.is_by(r, MASSES)] == []
    assert [r.party for r in ratings if closed.is_by(r, SUBJECT)] == ["self"]
    assert [r.party for r in ratings if closed.is_by(r, LEADER)] == ["leader"]


def test_the_round_completes_when_every_asked_peer_is_in_though_no_peer_id_is_stored():
    pseudonyms = RaterPseudonyms(RaterPseudonyms.new_secret())
    weights = DEFAULT_WEIGHTS[TargetKind.MEMBER_YEAR]
    ratings = [_stored(pseudonyms, Party.SELF, SUBJECT), _stored(pseudonyms, Party.LEADER, LEADER),
               _stored(pseudonyms, Party.PEER, PEER)]
    ratings += [_stored(pseudonyms, Party.MASSES, uuid.uuid4()) for _ in range(3)]
    rated = pseudonyms.rated(ratings, RATERS)
    assert rated[Party.PEER] == {PEER} and len(rated[Party.MASSES]) == 3
    assert not all_parties_in(weights, RATERS, rated, min_group=3)  # one asked peer is still out
    ratings.append(_stored(pseudonyms, Party.PEER, OTHER_PEER))
    rated = pseudonyms.rated(ratings, RATERS)
    assert rated[Party.PEER] == {PEER, OTHER_PEER}
    assert all_parties_in(weights, RATERS, rated, min_group=3)
