"""#21 gap 6, the domain: each kind of round's parties and their own deadlines, when a round may close, and which
parties a result leaves out (their weight shared among the others in proportion)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from evaluation_service.domain.model import (
    DEFAULT_WEIGHTS, EvaluationRound, Party, PartyWeights, Rating, RoundRaters, TargetKind,
)
from evaluation_service.domain.parties import (
    DEFAULT_PARTY_TERMS, PartyTerms, RoundKind, left_out, settled, why_left_out,
)

OPENED = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
DEADLINE = OPENED + timedelta(days=30)
SUBJECT, PEER, OTHER_PEER, LEADER = (uuid.uuid4() for _ in range(4))
RATERS = RoundRaters(SUBJECT, frozenset({SUBJECT}), frozenset({PEER, OTHER_PEER}), frozenset({LEADER}))


def days_later(start, n):  # stands in for the working-day calendar
    return start + timedelta(days=n)


def test_an_instant_pledges_round_waits_five_working_days_for_every_party_and_others_as_before():
    assert RoundKind.of(TargetKind.PLEDGE, instant=True) is RoundKind.INSTANT_PLEDGE
    assert RoundKind.of(TargetKind.PLEDGE) is RoundKind.ANNUAL_PLEDGE
    assert RoundKind.of(TargetKind.WINDOW) is RoundKind.WINDOW
    weights = DEFAULT_WEIGHTS[TargetKind.PLEDGE]
    instant = DEFAULT_PARTY_TERMS[RoundKind.INSTANT_PLEDGE]
    assert instant.deadlines(weights, OPENED, DEADLINE, days_later) == {p: OPENED + timedelta(days=5) for p in Party}
    annual = DEFAULT_PARTY_TERMS[RoundKind.ANNUAL_PLEDGE]
    assert annual.required(weights) == weights.parties
    assert annual.deadlines(weights, OPENED, DEADLINE, days_later) == {p: DEADLINE for p in Party}


def test_a_party_not_waited_for_rates_until_the_latest_of_the_others_and_none_past_the_round():
    terms = PartyTerms.parse("self:3, peer:10 ,leader")
    weights = DEFAULT_WEIGHTS[TargetKind.MEMBER_YEAR]
    assert terms.required(weights) == (Party.SELF, Party.PEER, Party.LEADER)
    deadlines = terms.deadlines(weights, OPENED, OPENED + timedelta(days=7), days_later)
    assert deadlines == {Party.SELF: OPENED + timedelta(days=3), Party.PEER: OPENED + timedelta(days=7),
                         Party.LEADER: OPENED + timedelta(days=7), Party.MASSES: OPENED + timedelta(days=7)}


@pytest.mark.parametrize("text", ["", "self:0", "self:251", "crowd", "peer,peer", "peer:-1"])
def test_party_terms_that_make_no_sense_are_refused(text):
    with pytest.raises(ValueError):
        PartyTerms.parse(text)


def test_a_round_may_close_once_each_party_waited_for_is_in_or_past_its_deadline():
    waited = {Party.SELF: OPENED + timedelta(days=5), Party.PEER: OPENED + timedelta(days=5),
              Party.MASSES: OPENED + timedelta(days=5)}
    rated = {Party.SELF: {SUBJECT}, Party.PEER: {PEER, OTHER_PEER}, Party.MASSES: {"a"}}
    assert not settled(waited, RATERS, rated, 3, OPENED + timedelta(days=1))  # the masses still have time
    assert settled(waited, RATERS, rated, 3, OPENED + timedelta(days=5))
    rated[Party.MASSES] |= {"b", "c"}
    assert settled(waited, RATERS, rated, 3, OPENED + timedelta(days=1))  # everyone is in
    # a paper peer sheet counts under its own pseudonym: as many ratings as asked peers is the peers in
    assert settled(waited, RATERS, {**rated, Party.PEER: {PEER, "sheet-key"}}, 3, OPENED)
    assert not settled(waited, RATERS, {**rated, Party.PEER: {PEER}}, 3, OPENED)


def test_a_party_short_of_its_minimum_is_left_out_with_why_and_its_weight_shared_out():
    evaluation = EvaluationRound(TargetKind.PLEDGE, PartyWeights({"self": 20, "peer": 30, "masses": 30, "leader": 20}))
    evaluation.rate(Party.SELF, Rating.EXCELLENT)
    for _ in range(3):
        evaluation.rate(Party.PEER, Rating.GOOD)
    evaluation.rate(Party.LEADER, Rating.EXCELLENT)
    evaluation.rate(Party.MASSES, Rating.POOR)
    result = evaluation.result()
    assert result.score == 90.71
    assert {p.party: p.share for p in result.breakdown} == {
        Party.SELF: 28.57, Party.PEER: 42.86, Party.MASSES: None, Party.LEADER: 28.57}
    deadlines = {p: OPENED for p in Party}
    [masses] = left_out(result.breakdown, deadlines)
    assert masses == {"party": "masses", "reason": "too_few", "raters": 1, "deadline": OPENED.isoformat()}
    assert why_left_out(masses, 3).translate("zh-CN").startswith("群众评议：截至评议期限仅 1 人参评")
    assert "fewer than the 3" in why_left_out(masses, 3)
    assert "no one rated" in why_left_out({**masses, "reason": "none_rated", "raters": 0}, 3)


def test_terms_naming_no_weighted_party_wait_for_every_party_until_the_deadline():
    window = DEFAULT_WEIGHTS[TargetKind.WINDOW]  # no self-assessment
    terms = PartyTerms.parse("self:5")
    assert terms.required(window) == window.parties
    assert set(terms.deadlines(window, OPENED, DEADLINE, days_later).values()) == {DEADLINE}
