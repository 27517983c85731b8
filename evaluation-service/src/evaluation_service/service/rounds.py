"""评议 EvaluationRound: the rating scale and each kind's default weights (默认权重), opening a round (by hand, in
bulk, for a fulfilled instant pledge), naming its peers (党员互评), and a round as the caller may see it (one, or
a list).

Rating in a round and closing it: round_results.py; paper 评议表 entered by a secretary (代录): paper_sheets.py.
"""
from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, units
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork
from pacesetter_shared.working_calendar import calendar_in_force
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY

from ..adapters.repository import RoundRepository, party_deadlines, raters_of, waited_for, weights_of
from ..adapters.tables import default_weights
from ..config import EvaluationConfig
from ..domain.model import (
    ANONYMOUS_PARTIES, DEFAULT_QUORUM_PERCENT, DEFAULT_WEIGHTS, PARTY_LABELS, RATING_SCALE, TARGET_KIND_LABELS,
    EvaluationError, InvalidEvaluation, Party, PartyWeights, RaterNotAllowed, RaterPseudonyms, RoundNotOpen, RoundState,
    TargetKind, check_quorum_percent,
)
from ..domain.parties import PartyTerms, RoundKind, why_left_out

RANDOM_PEERS = 5  # peers drawn when the secretary names none
PAPER = "paper"  # a rating a secretary entered from a paper 评议表 (代录); "online" for the others


class NotFound(EvaluationError):
    pass


class Forbidden(EvaluationError):
    pass


class AlreadyRated(EvaluationError):
    pass


class RoundExists(EvaluationError):
    pass


def _general_branch_leaders(directory: DirectoryView, unit_id) -> list[uuid.UUID]:
    general_branch = directory.general_branch_of(unit_id)
    if general_branch is None:
        return []
    return [p.id for p in directory.holders("general_branch_secretary", [general_branch.id])]


def _branch_members(uow: UnitOfWork, unit_id) -> list[uuid.UUID]:
    return list(uow.session.execute(sa.select(persons.c.id).where(
        persons.c.unit_id == unit_id, persons.c.active.is_(True), persons.c.category == "member")
        .order_by(persons.c.id)).scalars())


def default_weights_for(uow: UnitOfWork) -> dict[TargetKind, PartyWeights]:
    """Each kind's default weights: the organisation department's where it set them, else the domain's."""
    chosen = {TargetKind(row.target_kind): PartyWeights({Party(p): w for p, w in row.weights.items()})
              for row in uow.session.execute(sa.select(default_weights))}
    return {kind: chosen.get(kind, DEFAULT_WEIGHTS[kind]) for kind in TargetKind}


def set_default_weights(uow: UnitOfWork, identity: Identity, target_kind: str, percent: dict,
                        now: datetime | None = None) -> dict[TargetKind, PartyWeights]:
    """组织部 sets a kind's default weights; rounds already open keep theirs."""
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department sets the default weights."))
    weights = PartyWeights(percent)
    values = {"weights": {p.value: w for p, w in weights.percent.items()}, "updated_by": uuid.UUID(identity.subject),
              "updated_at": now or datetime.now(timezone.utc)}
    kind = TargetKind(target_kind).value
    updated = uow.session.execute(sa.update(default_weights).where(default_weights.c.target_kind == kind)
                                  .values(**values)).rowcount
    if not updated:
        uow.session.execute(sa.insert(default_weights).values(target_kind=kind, **values))
    return default_weights_for(uow)


def describe_scale(min_group: int, weights: dict) -> dict:
    """The rating scale, the parties and each kind of round's default weights, labelled in zh and en.

    ``min_group`` is the deployment's anonymity threshold, shown so that the portal can say when
    peer and masses results will appear; ``weights`` each kind's defaults as they now stand.
    """
    return {
        "scale": RATING_SCALE,
        "parties": [{"party": p, "zh": PARTY_LABELS[p][0], "en": PARTY_LABELS[p][1],
                     "anonymous": p in ANONYMOUS_PARTIES} for p in Party],
        "min_group": min_group,
        "target_kinds": [
            {"target_kind": kind, "zh": zh, "en": en,
             "weights": [{"party": p, "zh": PARTY_LABELS[p][0], "en": PARTY_LABELS[p][1], "weight": w}
                         for p, w in weights[kind].percent.items()]}
            for kind, (zh, en) in TARGET_KIND_LABELS.items()],
    }


def _may_organise(identity: Identity, directory: DirectoryView, unit_id) -> bool:
    if identity.has_role("org_department"):
        return True
    return any(identity.has_role("general_branch_secretary", str(u.id)) for u in directory.ancestors(unit_id))


def may_enter_paper(identity: Identity, directory: DirectoryView, row) -> bool:
    """代录: the secretary of the round's branch (the rated member's), or above it (the general branch, 组织部),
    enters paper 评议表 for raters without a login."""
    return identity.kind == "person" and (identity.has_role("branch_secretary", str(row.unit_id))
                                          or _may_organise(identity, directory, row.unit_id))


def open_round(uow: UnitOfWork, command: dict, *, opened_by=None, min_group: int,
               now: datetime | None = None, quorum_percent: float = DEFAULT_QUORUM_PERCENT,
               party_terms: PartyTerms | None = None, end_of_day: time = DEFAULT_END_OF_DAY) -> sa.Row:
    """Store a round, pick its raters, and ask them (evaluation.round_opened, evaluation.requested). The kind's
    party terms set the parties the round waits for and each one's own deadline, the latest being the round's."""
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    kind = TargetKind(command["target_kind"])
    weights = PartyWeights(command["weights"]) if command.get("weights") else default_weights_for(uow)[kind]
    quorum = quorum_percent if command.get("quorum_percent") is None else command["quorum_percent"]
    check_quorum_percent(quorum)
    unit_id = command["unit_id"]
    if directory.unit(unit_id) is None:
        raise InvalidEvaluation(_("Unknown unit."), {"unit_id": [_("no unit {unit_id}", unit_id=unit_id)]})
    if command["deadline"] <= now:
        raise InvalidEvaluation(_("The deadline has passed already."), {"deadline": [_("must lie in the future")]})
    subject = command.get("subject_person_id")
    period = command.get("period") or str(command["year"])
    repo = RoundRepository(uow.session)
    if repo.find(kind.value, command["target_id"], period) is not None:
        raise RoundExists(_("This target already has a round for that period."), {"period": [period]})

    self_ids = [subject] if subject else [p.id for p in directory.holders("branch_secretary", [unit_id])]
    leader_ids = command.get("leader_ids") or _general_branch_leaders(directory, unit_id)
    # one person, one voice: a leader comments and is not drawn as a peer too
    members = [m for m in _branch_members(uow, unit_id) if m != subject and m not in leader_ids]
    if command.get("peer_ids") is not None:
        outside = [str(p) for p in command["peer_ids"] if p not in members]
        if outside:  # 互评: members of the same branch, never the person evaluated
            raise InvalidEvaluation(_("Peers are other members of the same branch."), {"peer_ids": outside})
        peer_ids = list(dict.fromkeys(command["peer_ids"]))
    else:
        peer_ids = random.sample(members, min(command.get("peer_count") or RANDOM_PEERS, len(members)))
    asked = {Party.SELF: self_ids, Party.PEER: peer_ids, Party.LEADER: leader_ids}
    terms = party_terms or PartyTerms({})
    required = terms.required(weights)
    # working days as the service's calendar counts them: official holidays and the university's own days
    deadlines = terms.deadlines(weights, now, command["deadline"], calendar_in_force(uow, end_of_day).deadline_after)
    deadline = max((deadlines[p] for p in required), default=command["deadline"])
    values = {
        "id": uuid.uuid4(), "target_kind": kind.value, "target_id": command["target_id"], "period": period,
        "year": command["year"], "title": command.get("title") or "", "subject_person_id": subject,
        "unit_id": unit_id, "weights": {p.value: w for p, w in weights.percent.items()},
        "targets": list(command.get("targets") or []),
        "self_ids": [str(p) for p in self_ids] if Party.SELF in weights.parties else [],
        "peer_ids": [str(p) for p in peer_ids] if Party.PEER in weights.parties else [],
        "leader_ids": [str(p) for p in leader_ids] if Party.LEADER in weights.parties else [],
        "quorum_percent": quorum, "min_group": min_group, "deadline": deadline,
        "party_deadlines": {p.value: deadlines[p].isoformat() for p in required},
        "next_party_deadline": min((deadlines[p] for p in required), default=deadline),
        "state": RoundState.OPEN.value, "opened_by": opened_by, "opened_at": now,
    }
    repo.add(values, secret=RaterPseudonyms.new_secret())
    facts = {"round_id": values["id"], "target_kind": kind.value, "target_id": values["target_id"],
             "subject_person_id": subject, "unit_id": unit_id}
    uow.record("evaluation.round_opened", values["id"], facts | {
        "parties": [p.value for p in weights.parties], "deadline": values["deadline"]})
    for party in weights.parties:
        if asked.get(party):
            uow.record("evaluation.requested", values["id"], facts | {
                "party": party.value, "rater_ids": asked[party], "deadline": deadlines[party]})
    return repo.get(values["id"])


def open_round_by_hand(uow: UnitOfWork, identity: Identity, command: dict, config: EvaluationConfig) -> sa.Row:
    """The organisation department (or the general branch over the unit) opens a round."""
    if not _may_organise(identity, DirectoryView(uow.session), command["unit_id"]):
        raise Forbidden(_("Only the organisation department or the general branch opens a round here."))
    return open_round(uow, command, opened_by=uuid.UUID(identity.subject), min_group=config.min_group,
                      quorum_percent=config.quorum_percent,
                      party_terms=config.party_terms[RoundKind.of(command["target_kind"])],
                      end_of_day=config.deadline_end_of_day)


def open_rounds_in_bulk(uow: UnitOfWork, identity: Identity, command: dict, config: EvaluationConfig) -> dict:
    """The organisation department opens a year's rounds at once: one per member (党员年度评议) or one
    per branch (for grading) under a unit. Targets that have their round already are left alone."""
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department opens rounds in bulk."))
    directory = DirectoryView(uow.session)
    if directory.unit(command["unit_id"]) is None:
        raise InvalidEvaluation(_("Unknown unit."), {"unit_id": [_("no unit {unit_id}", unit_id=command["unit_id"])]})
    kind = TargetKind(command["target_kind"])
    branches = [u for u in directory.descendants(command["unit_id"]) if u.kind == "branch" and u.active]
    if kind is TargetKind.MEMBER_YEAR:
        targets = [(member, branch.id, member) for branch in branches for member in _branch_members(uow, branch.id)]
    elif kind is TargetKind.BRANCH:
        targets = [(branch.id, branch.id, None) for branch in branches]
    else:
        raise InvalidEvaluation(_("Rounds in bulk are for members' years and branches."),
                                {"target_kind": [_("member_year or branch")]})
    repo, opened, kept = RoundRepository(uow.session), 0, 0
    for target_id, unit_id, subject in targets:
        if repo.find(kind.value, target_id, str(command["year"])) is not None:
            kept += 1
            continue
        open_round(uow, {**command, "target_id": target_id, "unit_id": unit_id, "subject_person_id": subject,
                         "peer_ids": None, "leader_ids": None, "targets": [], "period": None},
                   opened_by=uuid.UUID(identity.subject), min_group=config.min_group,
                   quorum_percent=config.quorum_percent, party_terms=config.party_terms[RoundKind.of(kind)],
                   end_of_day=config.deadline_end_of_day)
        opened += 1
    return {"opened": opened, "already_open": kept}


class PeersFixed(EvaluationError):
    """Peers have begun rating: the choice stands."""


def choose_peers(uow: UnitOfWork, identity: Identity, round_id, peer_ids: list) -> sa.Row:
    """互评: the branch secretary (or the organisers) names the peers of an open round in place of those
    drawn at random, before any has rated; the newly named are asked (evaluation.requested)."""
    repo = RoundRepository(uow.session)
    row = repo.get(round_id, for_update=True)
    directory = DirectoryView(uow.session)
    if row is None or identity.kind != "person" or not (
            identity.has_role("branch_secretary", str(row.unit_id)) or _may_organise(identity, directory, row.unit_id)):
        raise NotFound(_("No such round for you to choose peers in."))
    if row.state != RoundState.OPEN.value:
        raise RoundNotOpen(_("This round is closed: no more ratings."), {"state": [row.state]})
    if Party.PEER not in weights_of(row).parties:
        raise InvalidEvaluation(_("This round has no peer review."), {"party": list(row.weights)})
    if any(r.party == Party.PEER.value for r in repo.ratings(row.id)):
        raise PeersFixed(_("Peers have begun rating: the choice stands."), {"peer_ids": [_("rating has begun")]})
    leaders = raters_of(row).leader_ids
    members = [m for m in _branch_members(uow, row.unit_id) if m != row.subject_person_id and m not in leaders]
    outside = [str(p) for p in peer_ids if p not in members]
    if outside:  # 互评: members of the same branch, never the person evaluated
        raise InvalidEvaluation(_("Peers are other members of the same branch."), {"peer_ids": outside})
    chosen = list(dict.fromkeys(peer_ids))
    newly = [p for p in chosen if p not in raters_of(row).peer_ids]
    repo.update(row.id, peer_ids=[str(p) for p in chosen])
    if newly:
        uow.record("evaluation.requested", row.id, {
            "round_id": row.id, "target_kind": row.target_kind, "target_id": row.target_id,
            "subject_person_id": row.subject_person_id, "unit_id": row.unit_id, "party": Party.PEER.value,
            "rater_ids": newly, "deadline": party_deadlines(row)[Party.PEER]})
    return repo.get(row.id)


def round_for_pledge(uow: UnitOfWork, envelope, data: dict, config: EvaluationConfig) -> None:
    """一事一评: a fulfilled instant pledge gets its round, once however often the event comes."""
    if data["kind"] != "instant":
        return
    if RoundRepository(uow.session).find(TargetKind.PLEDGE.value, data["pledge_id"], str(data["year"])):
        return
    open_round(uow, {
        "target_kind": TargetKind.PLEDGE.value, "target_id": data["pledge_id"], "year": data["year"],
        "title": data["title"], "targets": data["targets"] or [data["title"]], "unit_id": data["unit_id"],
        "subject_person_id": data["pledger_id"] if data["pledger_kind"] == "member" else None,
        "deadline": envelope.occurred_at + timedelta(days=config.instant_round_days),
    }, min_group=config.min_group, now=envelope.occurred_at, quorum_percent=config.quorum_percent,
        party_terms=config.party_terms[RoundKind.INSTANT_PLEDGE], end_of_day=config.deadline_end_of_day)


def _sees_result(identity: Identity, directory: DirectoryView, row) -> bool:
    """The evaluated, those who answer for them, their leaders and the organisers see the result."""
    me = uuid.UUID(identity.subject)
    raters = raters_of(row)
    return (me == row.subject_person_id or me in raters.self_ids or me in raters.leader_ids
            or _may_organise(identity, directory, row.unit_id))


def open_parties(identity: Identity, row, ratings, pseudonyms: RaterPseudonyms,
                 now: datetime | None = None) -> list[str]:
    """The parties the caller may rate for in this round now, by the rules submit_rating applies: none once
    the round is closed or the caller has rated; none past its own deadline; the masses (群众评议) open to any
    person asked for no other part."""
    now = now or datetime.now(timezone.utc)
    if identity.kind != "person" or row.state != RoundState.OPEN.value or row.deadline <= now:
        return []
    me = uuid.UUID(identity.subject)
    if any(pseudonyms.is_by(r, me) for r in ratings):
        return []
    raters, parties, deadlines = raters_of(row), [], party_deadlines(row)
    for party in weights_of(row).parties:
        if deadlines[party] <= now:
            continue
        try:
            raters.check(party, me)
        except RaterNotAllowed:
            continue
        parties.append(party.value)
    return parties


def get_round(uow: UnitOfWork, identity: Identity, round_id) -> dict:
    """A round as the caller may see it; peers and the masses who rated see only their own ratings. The masses
    reach an open round by its link (/evaluations/<id>), so anyone who may rate in it sees it while it is open;
    once it has closed, one of the masses is no longer told from anyone else (RaterPseudonyms)."""
    repo = RoundRepository(uow.session)
    row = repo.get(round_id)
    me = uuid.UUID(identity.subject)
    if row is None:
        raise NotFound(_("No such round."))
    ratings, pseudonyms = repo.ratings(row.id), repo.pseudonyms(row.id)
    directory = DirectoryView(uow.session)
    sees_result = _sees_result(identity, directory, row)
    if not (sees_result or me in raters_of(row).peer_ids or any(pseudonyms.is_by(r, me) for r in ratings)
            or open_parties(identity, row, ratings, pseudonyms)
            or (row.state == RoundState.OPEN.value and may_enter_paper(identity, directory, row))):
        raise NotFound(_("No such round."))
    return _view(row, ratings, pseudonyms, identity, sees_result, _names(uow, [row]))


def list_rounds(uow: UnitOfWork, identity: Identity, *, limit: int, offset: int, unit_id=None,
                **filters) -> tuple[list[dict], int]:
    """Rounds where I am evaluated or asked to rate (filters: see RoundRepository.list_for); with ``unit_id``, an
    organiser's view: the rounds of that unit and the units below (its branch secretary, a general branch's over
    it, 组织部), e.g. for the year's archive."""
    directory = DirectoryView(uow.session)
    repo = RoundRepository(uow.session)
    if unit_id is not None:
        if directory.unit(unit_id) is None or not (identity.has_role("branch_secretary", str(unit_id))
                                                   or _may_organise(identity, directory, unit_id)):
            raise Forbidden(_("Only the unit's secretaries or the organisation department list its rounds."))
        mine = {key: value for key, value in filters.items() if key in ("waiting", "role", "party") and value}
        if mine:  # what concerns me personally has no meaning in a unit's list
            raise InvalidEvaluation(_("A unit's rounds are not filtered by what I am asked."),
                                    {key: [_("not with unit_id")] for key in mine})
        units_ = [u.id for u in directory.descendants(unit_id)]
        rows, total = repo.list_of_units(units_, limit=limit, offset=offset, state=filters.get("state"),
                                         target_kind=filters.get("target_kind"), year=filters.get("year"),
                                         sort=filters.get("sort", "-opened_at"))
    else:
        rows, total = repo.list_for(uuid.UUID(identity.subject), limit=limit, offset=offset,
                                    now=datetime.now(timezone.utc), **filters)
    names, pseudonyms = _names(uow, rows), repo.pseudonyms_of([row.id for row in rows])
    return [_view(row, repo.ratings(row.id), pseudonyms[row.id], identity, _sees_result(identity, directory, row),
                  names) for row in rows], total


def _names(uow: UnitOfWork, rows) -> dict:
    """The names of the rounds' evaluated people and units, by id, in one query each."""
    people = {row.subject_person_id for row in rows if row.subject_person_id}
    unit_ids = {row.unit_id for row in rows}
    names = {}
    if people:
        names.update(uow.session.execute(sa.select(persons.c.id, persons.c.name).where(persons.c.id.in_(people))).all())
    if unit_ids:
        names.update(uow.session.execute(sa.select(units.c.id, units.c.name).where(units.c.id.in_(unit_ids))).all())
    return names


def round_view(uow: UnitOfWork, identity: Identity, row, ratings, pseudonyms: RaterPseudonyms) -> dict:
    """The round as the caller may see it (see _view)."""
    return _view(row, ratings, pseudonyms, identity, _sees_result(identity, DirectoryView(uow.session), row),
                 _names(uow, [row]))


def _view(row, ratings, pseudonyms: RaterPseudonyms, identity: Identity, sees_result: bool,
          names: dict | None = None) -> dict:
    """Counts while open; the stored, anonymity-guarded breakdown once closed, to those who may see it;
    the caller's own ratings (a peer's or masses' only while the round is open) and the parties still open
    to them; never who else rated what."""
    me = uuid.UUID(identity.subject)
    weights = weights_of(row).percent
    deadlines, waited = party_deadlines(row), waited_for(row)
    view = {**row._mapping,
            "parties": [{"party": p.value, "weight": w, "submitted": sum(1 for r in ratings if r.party == p.value),
                         "paper": sum(1 for r in ratings if r.party == p.value and r.source == PAPER),
                         "deadline": deadlines[p], "waited_for": p in waited}
                        for p, w in weights.items()],
            "left_out": [entry | {"deadline": datetime.fromisoformat(entry["deadline"]),
                                  "explanation": why_left_out(entry, row.min_group)} for entry in row.left_out or []],
            "my_ratings": [r for r in ratings if pseudonyms.is_by(r, me)],
            "my_parties": open_parties(identity, row, ratings, pseudonyms)}
    if names is not None:
        view.update(subject_name=names.get(row.subject_person_id), unit_name=names.get(row.unit_id))
    if not sees_result:
        view.update(score=None, level=None, breakdown=None, left_out=None)
    return view
