"""How an evaluation round's result is worked out (三评: 个人自评、党员互评、群众评议、领导点评).

Plain Python: no framework here.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from pacesetter_shared.events.labels import LEVEL_WORDS, PARTY_WORDS
from pacesetter_shared.i18n import _, term


class EvaluationError(Exception):
    """A rule of evaluation was broken by the request."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class InvalidEvaluation(EvaluationError):
    pass


class Party(str, Enum):
    """Who judges (评议主体)."""

    SELF = "self"  # 个人自评
    PEER = "peer"  # 党员互评
    MASSES = "masses"  # 群众评议
    LEADER = "leader"  # 领导点评


# Raters of these parties are anonymous, so their aggregate shows only for a large enough group.
ANONYMOUS_PARTIES = frozenset({Party.PEER, Party.MASSES})
MIN_ANONYMOUS_GROUP = 3  # the floor the policy allows; a deployment may ask for more

def _party(party: "Party"):
    """A party's name inside a message (English: its label)."""
    return term("party", party.value, PARTY_LABELS[party][1])


PARTY_LABELS = {party: (PARTY_WORDS[party.value].zh, PARTY_WORDS[party.value].title) for party in Party}


class Rating(str, Enum):
    """A rater's verdict, and also the level of a result."""

    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    FAIR = "fair"  # 一般
    POOR = "poor"  # 较差


@dataclass(frozen=True)
class ScaleStep:
    rating: Rating
    points: int  # what one such rating counts as
    min_score: int  # the lowest result that earns this level

    @property
    def zh(self) -> str:
        return LEVEL_WORDS[self.rating.value].zh

    @property
    def en(self) -> str:
        return LEVEL_WORDS[self.rating.value].title


# The one place where ratings become numbers and numbers become levels; best first.
RATING_SCALE: tuple[ScaleStep, ...] = (
    ScaleStep(Rating.EXCELLENT, points=95, min_score=90),
    ScaleStep(Rating.GOOD, points=85, min_score=80),
    ScaleStep(Rating.FAIR, points=70, min_score=60),
    ScaleStep(Rating.POOR, points=50, min_score=0),
)
POINTS = {step.rating: step.points for step in RATING_SCALE}


def level_for(score: float) -> Rating:
    """The level a result earns: >=90 优秀, >=80 良好, >=60 一般, else 较差."""
    if not 0 <= score <= 100:
        raise InvalidEvaluation(_("A score lies between 0 and 100."), {"score": [_("{value} is out of range", value=score)]})
    return next(step.rating for step in RATING_SCALE if score >= step.min_score)


def _two_places(value: Decimal) -> float:
    # Half up (四舍五入), as people round; the level is read from this shown value.
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class TargetKind(str, Enum):
    """What a round evaluates."""

    PLEDGE = "pledge"  # 承诺践诺: yearly for annual pledges, one by one for instant ones (一事一评)
    MEMBER_YEAR = "member_year"  # 党员年度民主评议
    BRANCH = "branch"  # 基层党组织
    WINDOW = "window"  # 服务窗口 (三亮三比三评)


TARGET_KIND_LABELS = {
    TargetKind.PLEDGE: ("党员承诺践诺", "Pledge"),
    TargetKind.MEMBER_YEAR: ("党员年度评议", "Member's year"),
    TargetKind.BRANCH: ("基层党组织", "Branch"),
    TargetKind.WINDOW: ("服务窗口", "Service window"),
}


@dataclass(frozen=True)
class PartyWeights:
    """How much each party counts, in percent (权重); together exactly 100.

    A party left out, or weighted 0, takes no part in the round.
    """

    percent: Mapping[Party, float]

    def __post_init__(self):
        errors: dict[str, list[str]] = {}
        weights: dict[Party, float] = {}
        for key, weight in self.percent.items():
            try:
                party = Party(key)
            except ValueError:
                errors[str(key)] = [_("not a party; one of {choices}", choices=", ".join(p.value for p in Party))]
                continue
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 100:
                errors[party.value] = [_("a weight is a number from 0 to 100")]
            weights[party] = weight
        if not errors:
            total = sum(Decimal(str(w)) for w in weights.values())
            if total != 100:
                errors["weights"] = [_("must add up to 100, not {total}", total=total)]
        if errors:
            raise InvalidEvaluation(_("The weights are not valid."), errors)
        # Party order, zero weights dropped: a round's parties are exactly the keys.
        object.__setattr__(self, "percent", {p: weights[p] for p in Party if weights.get(p, 0) > 0})

    @property
    def parties(self) -> tuple[Party, ...]:
        return tuple(self.percent)


# Defaults the organisation department starts from. Windows have no self-assessment: the policy's
# three judgements there are 群众评议、党员互评、领导点评, and the masses' word weighs most.
DEFAULT_WEIGHTS = {
    TargetKind.PLEDGE: PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20}),
    TargetKind.MEMBER_YEAR: PartyWeights({Party.SELF: 20, Party.PEER: 40, Party.MASSES: 20, Party.LEADER: 20}),
    TargetKind.BRANCH: PartyWeights({Party.SELF: 20, Party.PEER: 30, Party.MASSES: 30, Party.LEADER: 20}),
    TargetKind.WINDOW: PartyWeights({Party.PEER: 20, Party.MASSES: 60, Party.LEADER: 20}),
}


@dataclass(frozen=True)
class PartyResult:
    party: Party
    weight: float  # as configured, before re-normalising over the parties that rated
    raters: int
    score: float | None  # None when no one rated, or too few to show without exposing them
    share: float | None = None  # the weight it counts with in the score, the left-out parties' shared out


@dataclass(frozen=True)
class RoundResult:
    score: float
    level: Rating
    breakdown: tuple[PartyResult, ...]


@dataclass
class EvaluationRound:
    """One round of evaluation of one target (评议), from the ratings to its result."""

    target_kind: TargetKind
    weights: PartyWeights
    min_group: int = MIN_ANONYMOUS_GROUP
    ratings: dict[Party, list[int]] = field(default_factory=dict)  # the points of each rating, by party

    def __post_init__(self):
        if isinstance(self.min_group, bool) or not isinstance(self.min_group, int) \
                or self.min_group < MIN_ANONYMOUS_GROUP:
            raise InvalidEvaluation(
                _("Too small a group would expose its raters."),
                {"min_group": [_("at least {count}", count=MIN_ANONYMOUS_GROUP)]})

    @classmethod
    def open(cls, target_kind: TargetKind, weights: PartyWeights | None = None,
             min_group: int = MIN_ANONYMOUS_GROUP) -> "EvaluationRound":
        return cls(target_kind, weights or DEFAULT_WEIGHTS[target_kind], min_group)

    def rate(self, party: Party, rating: Rating) -> None:
        party, rating = Party(party), Rating(rating)
        if party not in self.weights.parties:
            raise InvalidEvaluation(_("{party} takes no part in this round.", party=_party(party)),
                                    {"party": [_("one of {choices}", choices=", ".join(p.value for p in self.weights.parties))]})
        self.ratings.setdefault(party, []).append(POINTS[rating])

    def result(self) -> RoundResult:
        """The weighted score over the parties that may be shown, its level, and each party's part.

        A party with too few raters to show stays out of the score too: were it counted, its
        mean could be worked back out of the total and the other parts (inference by subtraction).
        """
        means = {p: Decimal(sum(self.ratings[p])) / len(self.ratings[p])
                 for p in self.weights.parties if self._shown(p)}
        if not means:
            raise InvalidEvaluation(_("Too few have rated to give a result."), {"ratings": [_("none to show")]})
        # A party that drops out leaves its share to the others, in proportion to their weights.
        present_weight = sum(Decimal(str(self.weights.percent[p])) for p in means)
        score = _two_places(
            sum(Decimal(str(self.weights.percent[p])) * mean for p, mean in means.items()) / present_weight)
        breakdown = tuple(
            PartyResult(party, weight, raters=len(self.ratings.get(party, [])),
                        score=_two_places(means[party]) if self._shown(party) else None,
                        share=_two_places(Decimal(str(weight)) * 100 / present_weight) if self._shown(party) else None)
            for party, weight in self.weights.percent.items())
        return RoundResult(score, level_for(score), breakdown)

    def _shown(self, party: Party) -> bool:
        raters = len(self.ratings.get(party, []))
        if party in ANONYMOUS_PARTIES:
            return raters >= self.min_group
        return raters > 0


class RoundNotOpen(EvaluationError):
    """The round is already completed or incomplete: no more ratings (评议已结束)."""


class RaterNotAllowed(EvaluationError):
    """This person may not rate for that party in this round."""


class RoundState(str, Enum):
    OPEN = "open"
    COMPLETED = "completed"  # 评议完成: a result and its level
    INCOMPLETE = "incomplete"  # the deadline passed without the quorum


class LeaderMode(str, Enum):
    """How a leader came to the comment (领导点评方式)."""

    CONCENTRATED = "concentrated"  # 集中点评
    INDIVIDUAL = "individual"  # 个别点评
    RANDOM = "random"  # 随机点评
    ON_SITE = "on_site"  # 现场点评


DEFAULT_QUORUM_PERCENT = 60  # at the deadline, the parties that can be shown must weigh at least this much


def check_quorum_percent(quorum_percent) -> None:
    if isinstance(quorum_percent, bool) or not isinstance(quorum_percent, (int, float)) \
            or not 0 < quorum_percent <= 100:
        raise InvalidEvaluation(_("The quorum is a share of the weights."), {"quorum_percent": [_("from 1 to 100")]})


@dataclass(frozen=True)
class RoundRaters:
    """Who is asked to rate in a round; the masses are open to anyone but the evaluated person."""

    subject_person_id: object | None
    self_ids: frozenset = frozenset()  # the evaluated person, or a unit's secretary
    peer_ids: frozenset = frozenset()
    leader_ids: frozenset = frozenset()

    def check(self, party: Party, rater_id) -> None:
        """The rules of who rates for which party (互评: never oneself; self and leaders as asked)."""
        if party is Party.PEER and rater_id == self.subject_person_id:
            raise RaterNotAllowed(_("No one reviews themselves."), {"party": [_("you are evaluated here")]})
        if party is Party.MASSES and (rater_id == self.subject_person_id
                                      or rater_id in self.self_ids | self.peer_ids | self.leader_ids):
            raise RaterNotAllowed(_("Those asked to rate in another party are not the masses here."),
                                  {"party": [_("you rate in another party of this round")]})
        invited = {Party.SELF: self.self_ids, Party.PEER: self.peer_ids, Party.LEADER: self.leader_ids}.get(party)
        if invited is not None and rater_id not in invited:
            raise RaterNotAllowed(_("You are not asked to rate as {party} in this round.",
                                    party=term("party", party.value, PARTY_LABELS[party][1].lower())),
                                  {"party": [_("not one of the raters of this party")]})


# Rated by people known by design, whose rating keeps their id: the self-assessment (个人自评) is the evaluated
# person's own report, or their unit's secretary's, and a leader's comment (领导点评) is the leader's signed word.
NAMED_PARTIES = frozenset({Party.SELF, Party.LEADER})


@dataclass(frozen=True)
class RaterPseudonyms:
    """评议人化名: what a round keeps of who rated. Every rating keeps its rater as a keyed pseudonym — HMAC-SHA256
    of their id under the round's own secret — which is enough to refuse a second rating, to show someone their
    own rating and to tell which asked peers are in, and nothing more.

    党员互评 and 群众评议 are anonymous (ANONYMOUS_PARTIES): their ratings and comments keep the pseudonym only.
    The secret lives while the round is open and is destroyed when it closes (completed, or at its deadline),
    so from then on no one — not even a reader of the database — can tell whose a peer's or masses' rating is;
    the result and the comments stay. A secret of its own per round: one person's pseudonyms in two rounds do
    not match. While a round is open, whoever holds its secret can work the pseudonyms out (the service must,
    to refuse a second rating); what a closed round keeps ties no rating of these parties to anyone.
    """

    secret: bytes | None  # None once the round has closed

    @staticmethod
    def new_secret() -> bytes:
        return secrets.token_bytes(32)

    def of(self, rater_id) -> str:
        """The rater's pseudonym in this round (the round must be open: a closed one has no secret)."""
        return hmac.digest(self.secret, str(rater_id).encode(), hashlib.sha256).hex()

    def kept(self, party: Party, rater_id) -> dict:
        """What a new rating keeps of its rater: the pseudonym, and the id only for NAMED_PARTIES."""
        return {"rater_key": self.of(rater_id), "rater_id": rater_id if Party(party) in NAMED_PARTIES else None}

    def is_by(self, rating, rater_id) -> bool:
        """Whether a stored rating is this person's: any, by pseudonym, while the round is open; once it has
        closed, only a self-assessment or a leader's comment is still anyone's."""
        if rating.rater_id is not None:
            return rating.rater_id == rater_id
        return self.secret is not None and rating.rater_key == self.of(rater_id)

    def rated(self, ratings: Iterable, raters: RoundRaters) -> dict[Party, set]:
        """Who is in, per party, as all_parties_in counts them (the round must be open): the known parties and
        the asked peers by id, the masses by pseudonym (only their number counts)."""
        peers = {self.of(p): p for p in raters.peer_ids}
        done: dict[Party, set] = {}
        for rating in ratings:
            who = rating.rater_id if rating.rater_id is not None else peers.get(rating.rater_key, rating.rater_key)
            done.setdefault(Party(rating.party), set()).add(who)
        return done


def check_submission(party: Party, rating, *, mode=None, targets=(), target_reports=None) -> None:
    """What each party's rating must carry: leaders their mode; the self-assessment a report per target."""
    errors: dict[str, list[str]] = {}
    try:
        Rating(rating)
    except ValueError:
        errors["rating"] = [_("one of {choices}", choices=", ".join(r.value for r in Rating))]
    if party is Party.LEADER:
        try:
            LeaderMode(mode)
        except ValueError:
            errors["mode"] = [_("a leader's comment says how: one of {choices}",
                                  choices=", ".join(m.value for m in LeaderMode))]
    elif mode is not None:
        errors["mode"] = [_("only leaders' comments carry a mode")]
    if party is Party.SELF:
        reported = {r.get("target") for r in target_reports or [] if str(r.get("done", "")).strip()}
        missing = [t for t in targets if t not in reported]
        if missing:
            errors["target_reports"] = [_("report what was done for: {target}", target=t) for t in missing]
    elif target_reports:
        errors["target_reports"] = [_("only the self-assessment reports against the targets")]
    if errors:
        raise InvalidEvaluation(_("The rating is not valid."), errors)


def party_done(party: Party, raters: RoundRaters, done: set, min_group: int) -> bool:
    """A party is in: every asked rater has rated — for peers, as many as were asked, since a paper sheet (代录)
    counts under its own pseudonym — and the masses are enough to be shown."""
    if party is Party.MASSES:
        return len(done) >= min_group
    asked = {Party.SELF: raters.self_ids, Party.PEER: raters.peer_ids, Party.LEADER: raters.leader_ids}[party]
    if party is Party.PEER:
        return bool(asked) and len(done) >= len(asked)
    return bool(asked) and asked <= done


def all_parties_in(weights: PartyWeights, raters: RoundRaters, rated: Mapping[Party, set],
                   min_group: int) -> bool:
    """Every asked rater has rated, and the masses are enough to be shown."""
    return all(party_done(party, raters, rated.get(party, set()), min_group) for party in weights.parties)


def quorum_met(result: RoundResult | None, weights: PartyWeights, quorum_percent: float) -> bool:
    """At the deadline: do the parties that can be shown weigh enough?"""
    if result is None:
        return False
    shown = sum(Decimal(str(p.weight)) for p in result.breakdown if p.score is not None)
    return shown * 100 >= Decimal(str(quorum_percent)) * sum(Decimal(str(w)) for w in weights.percent.values())


def try_result(evaluation: EvaluationRound) -> RoundResult | None:
    try:
        return evaluation.result()
    except InvalidEvaluation:
        return None
