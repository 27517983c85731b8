"""The pledge (承诺) and its life cycle: make, edit, submit, review, publish, report progress (践诺进展),
fulfil, withdraw, close; its evaluation result (一诺一评) kept when it arrives; who may see and do what with a
pledge (``Access``, ``check_oversight``); and the unit's figures every change announces (pledge.statistics_updated).

Each use case runs in one unit of work and records its events there.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons
from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PledgeRepository
from ..domain.model import (
    EvaluationResult, InstantTrigger, InvalidPledge, LeadArea, Pledge, PledgeError, PledgeKind, PledgeMode,
    PledgeState, ProgressReport,
)
from ..domain.statistics import Member, UnitStatistics, statistics_of

SHANGHAI = ZoneInfo("Asia/Shanghai")

EVENT_OF_ACTION = {
    "submit": "pledge.submitted", "return": "pledge.returned", "approve": "pledge.approved",
    "publish": "pledge.published", "report_progress": "pledge.progressed", "mark_overdue": "pledge.overdue",
    "fulfil": "pledge.fulfilled", "withdraw": "pledge.withdrawn",
}
PLEDGER_ACTIONS = {"submit", "withdraw", "fulfil", "report_progress"}
# A collective pledge is its participants' pledge too: they report what they did; the pledger leads the rest.
PARTICIPANT_ACTIONS = {"report_progress"}
REVIEWER_ACTIONS = {"return", "approve", "publish", "close"}
# Public pledges are open to supervision (接受党员群众监督): the unit's members and the pledge wall.
PUBLIC_STATES = (PledgeState.PUBLISHED, PledgeState.OVERDUE, PledgeState.FULFILLED, PledgeState.EVALUATED,
                 PledgeState.CLOSED)
# The actor of what the system does by itself (overdue, evaluation result).
SYSTEM_ACTOR = uuid.UUID(int=0)


class NotFound(PledgeError):
    pass


class Forbidden(PledgeError):
    pass


def today_in_china(now: datetime | None = None) -> date:
    """People's dates are Shanghai dates; storage stays UTC."""
    return (now or datetime.now(timezone.utc)).astimezone(SHANGHAI).date()


class Access:
    """Who may see and do what with a pledge (scope rules of the gateway's identity)."""

    def __init__(self, identity: Identity, directory: DirectoryView):
        self.identity = identity
        self.directory = directory

    def is_pledger(self, pledge: Pledge) -> bool:
        if pledge.pledger_kind == "member":
            return pledge.pledger_id == uuid.UUID(self.identity.subject)
        return self.identity.has_role("branch_secretary", str(pledge.pledger_id))

    def is_participant(self, pledge: Pledge) -> bool:
        return pledge.takes_part(uuid.UUID(self.identity.subject))

    def may(self, pledge: Pledge, action: str) -> bool:
        """May this person do a pledger's action (PLEDGER_ACTIONS)?"""
        return self.is_pledger(pledge) or (action in PARTICIPANT_ACTIONS and self.is_participant(pledge))

    def is_reviewer(self, pledge: Pledge) -> bool:
        if self.identity.has_role("org_department"):
            return True
        general_branch = self.directory.general_branch_of(pledge.unit_id)
        return general_branch is not None and self.identity.has_role("general_branch_secretary",
                                                                     str(general_branch.id))

    def can_see(self, pledge: Pledge) -> bool:
        if self.is_pledger(pledge) or self.is_participant(pledge) or self.is_reviewer(pledge):
            return True
        if self.identity.has_role("branch_secretary", str(pledge.unit_id)):
            return True
        return pledge.state in PUBLIC_STATES and self.identity.unit_id == str(pledge.unit_id)

    def can_oversee(self, unit_id: uuid.UUID) -> bool:
        """The unit's secretary, its general branch's secretary and the organisation department (台账, 统计)."""
        if self.identity.has_role("org_department") or self.identity.has_role("branch_secretary", str(unit_id)):
            return True
        return any(self.identity.has_role("general_branch_secretary", str(u.id))
                   for u in self.directory.ancestors(unit_id) if u.kind == "general_branch")

    def reviewable_units(self) -> list[uuid.UUID] | None:
        """Branches whose pledges this person reviews; None means every unit."""
        if self.identity.has_role("org_department"):
            return None
        units: list[uuid.UUID] = []
        for general_branch in self.identity.units_with("general_branch_secretary"):
            units += [u.id for u in self.directory.descendants(uuid.UUID(general_branch))]
        return units


def pledge_facts(pledge: Pledge, actor_id) -> dict:
    return {"pledge_id": pledge.id, "pledger_kind": pledge.pledger_kind, "pledger_id": pledge.pledger_id,
            "unit_id": pledge.unit_id, "kind": pledge.kind.value, "title": pledge.title, "year": pledge.year,
            "due_date": pledge.due_date, "actor_id": actor_id}


def _record_transition(uow: UnitOfWork, pledge: Pledge, action: str, actor_id, reason=None, **extra) -> None:
    event_type = EVENT_OF_ACTION.get(action)
    if event_type:
        data = pledge_facts(pledge, actor_id) | extra
        if reason is not None and action in ("return", "withdraw"):
            data["reason"] = reason
        if action == "fulfil":
            data["targets"] = pledge.targets
        uow.record(event_type, pledge.id, data)
    if action != "report_progress":
        record_statistics(uow, pledge.unit_id, pledge.year)


def create_pledge(uow: UnitOfWork, identity: Identity, command: dict, now: datetime | None = None) -> Pledge:
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    pledger_kind = command.get("pledger_kind", "member")
    if pledger_kind == "member":
        pledger_id = uuid.UUID(identity.subject)
        if not identity.unit_id:
            raise InvalidPledge(_("Only a member of a branch can make a personal pledge."),
                                {"pledger_kind": [_("you belong to no branch")]})
        unit_id = uuid.UUID(identity.unit_id)
    else:
        unit_id = command.get("unit_id")
        if unit_id is None:
            raise InvalidPledge(_("An organisation pledge names its unit."), {"unit_id": [_("required")]})
        if not identity.has_role("branch_secretary", str(unit_id)):
            raise Forbidden(_("Only the unit's secretary can pledge for the unit."))
        pledger_id = unit_id
    if directory.unit(unit_id) is None:
        raise InvalidPledge(_("Unknown unit."), {"unit_id": [_("no unit {unit_id}", unit_id=unit_id)]})
    pledge = Pledge.draft(
        id=uuid.uuid4(), pledger_kind=pledger_kind, pledger_id=pledger_id, unit_id=unit_id,
        kind=PledgeKind(command["kind"]), mode=PledgeMode(command.get("mode", "individual")),
        title=command["title"], content=command.get("content", ""), due_date=command["due_date"],
        areas=[LeadArea(a) for a in command["areas"]], targets=command.get("targets"),
        trigger=InstantTrigger(command["trigger"]) if command.get("trigger") else None,
        participant_ids=command.get("participant_ids"), masses_participants=command.get("masses_participants"),
        linked_to=command.get("linked_to"), today=today_in_china(now), now=now,
    )
    repo = PledgeRepository(uow.session)
    _check_participants(uow, pledge)
    _check_link(repo, pledge)
    if command.get("submit"):
        pledge.apply("submit", uuid.UUID(identity.subject), now)
    repo.add(pledge)
    if pledge.state is PledgeState.SUBMITTED:
        _record_transition(uow, pledge, "submit", identity.subject)
    return pledge


def get_pledge(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID) -> Pledge:
    pledge = PledgeRepository(uow.session).get(pledge_id)
    if pledge is None or not Access(identity, DirectoryView(uow.session)).can_see(pledge):
        raise NotFound(_("No such pledge."))
    return pledge


def act_on_pledge(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, action: str,
                  reason: str | None = None, now: datetime | None = None) -> Pledge:
    now = now or datetime.now(timezone.utc)
    repo = PledgeRepository(uow.session)
    pledge = repo.get(pledge_id, for_update=True)
    access = Access(identity, DirectoryView(uow.session))
    if pledge is None or not access.can_see(pledge):
        raise NotFound(_("No such pledge."))
    if action in PLEDGER_ACTIONS and not access.may(pledge, action):
        raise Forbidden(_("Only the pledger can {action} this pledge.",
                          action=term("pledge_action", action, action.replace("_", " "))))
    if action in REVIEWER_ACTIONS and not access.is_reviewer(pledge):
        raise Forbidden(_("Only the general branch that reviews this pledge can do that."))
    pledge.apply(action, uuid.UUID(identity.subject), now, reason)
    repo.save(pledge)
    _record_transition(uow, pledge, action, identity.subject, reason)
    return pledge


def list_pledges(uow: UnitOfWork, identity: Identity, scope: str, *, states=None, year=None, kind=None,
                 pledger_id=None, sort="-created_at", limit=20, offset=0):
    """A page of my pledges or of those I review, and how many match in all."""
    repo = PledgeRepository(uow.session)
    filters = {"year": year, "kind": kind, "sort": sort, "limit": limit, "offset": offset}
    if scope == "mine":
        # mine: my own pledges and the collective pledges I take part in
        return repo.list(member_id=uuid.UUID(identity.subject), pledger_id=pledger_id, states=states, **filters)
    if scope == "review":
        units = Access(identity, DirectoryView(uow.session)).reviewable_units()
        return repo.list(unit_ids=units, pledger_id=pledger_id, states=states or ["submitted"], **filters)
    raise InvalidPledge(_("Unknown scope."), {"scope": [_("one of: mine, review")]})


def _pledger_owned(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, what: str) -> Pledge:
    pledge = PledgeRepository(uow.session).get(pledge_id, for_update=True)
    access = Access(identity, DirectoryView(uow.session))
    if pledge is None or not access.can_see(pledge):
        raise NotFound(_("No such pledge."))
    if not access.may(pledge, what):
        raise Forbidden(_("Only the pledger can {action} this pledge.",
                          action=term("pledge_action", what, {"report_progress": "report progress on"}.get(what, what))))
    return pledge


def edit_pledge(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, changes: dict,
                now: datetime | None = None) -> Pledge:
    """The pledger edits a draft, or a pledge the reviewer returned (退回修改)."""
    pledge = _pledger_owned(uow, identity, pledge_id, "edit")
    converted = dict(changes)
    if "areas" in converted:
        converted["areas"] = list(dict.fromkeys(LeadArea(a) for a in converted["areas"]))
    if "mode" in converted:
        converted["mode"] = PledgeMode(converted["mode"])
    if "trigger" in converted:
        converted["trigger"] = InstantTrigger(converted["trigger"]) if converted["trigger"] else None
    if "participant_ids" in converted:
        converted["participant_ids"] = list(dict.fromkeys(converted["participant_ids"]))
    for text in ("title", "content"):
        if text in converted:
            converted[text] = converted[text].strip()
    pledge.edit(today_in_china(now), **converted)
    repo = PledgeRepository(uow.session)
    _check_participants(uow, pledge)
    _check_link(repo, pledge)
    repo.save(pledge)
    return pledge


def _check_participants(uow: UnitOfWork, pledge: Pledge) -> None:
    """A collective pledge's fellow members come from the pledger's branch (its groups included): they see
    it among their own pledges and it counts for them in the branch's figures."""
    if not pledge.participants:
        return
    directory = DirectoryView(uow.session)
    branch = next((u for u in directory.ancestors(pledge.unit_id) if u.kind == "branch"), None)
    unit_ids = [u.id for u in directory.descendants(branch.id)] if branch is not None else [pledge.unit_id]
    members = set(uow.session.execute(
        sa.select(persons.c.id).where(persons.c.id.in_(pledge.participants), persons.c.unit_id.in_(unit_ids),
                                      persons.c.active.is_(True))).scalars())
    strangers = [person_id for person_id in pledge.participants if person_id not in members]
    if strangers:
        raise InvalidPledge(_("The pledge is not valid."), {"participant_ids": [
            _("no member {person_id} in your branch", person_id=person_id) for person_id in strangers]})


def _check_link(repo: PledgeRepository, pledge: Pledge) -> None:
    """A member's pledge may support an organisation pledge of the same branch (基层党组织承诺)."""
    if pledge.linked_to is None:
        return
    target = repo.get(pledge.linked_to)
    if (target is None or target.pledger_kind != "unit" or target.unit_id != pledge.unit_id
            or target.state is PledgeState.WITHDRAWN):
        raise InvalidPledge(_("Link only to an organisation pledge of your branch."),
                            {"linked_to": [_("no organisation pledge {pledge_id} in your branch", pledge_id=pledge.linked_to)]})


def linked_pledges(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, *, limit: int, offset: int):
    """Members' pledges supporting an organisation pledge: all of them for its overseers, else the public ones."""
    target = get_pledge(uow, identity, pledge_id)
    overseer = Access(identity, DirectoryView(uow.session)).can_oversee(target.unit_id)
    states = None if overseer else [s.value for s in PUBLIC_STATES]
    return PledgeRepository(uow.session).list(linked_to=pledge_id, states=states, limit=limit, offset=offset)


def report_progress(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, command: dict,
                    now: datetime | None = None) -> ProgressReport:
    now = now or datetime.now(timezone.utc)
    today = today_in_china(now)
    pledge = _pledger_owned(uow, identity, pledge_id, "report_progress")
    report = pledge.report_progress(report_id=uuid.uuid4(), reported_on=command.get("reported_on") or today,
                                    evidence=command["evidence"], attachments=command.get("attachments", []),
                                    actor_id=uuid.UUID(identity.subject), today=today, now=now)
    repo = PledgeRepository(uow.session)
    repo.save(pledge)
    repo.add_report(report)
    _record_transition(uow, pledge, "report_progress", identity.subject, report_id=report.id)
    reporter = DirectoryView(uow.session).person(report.reporter_id)
    return replace(report, reporter_name=reporter.name if reporter else None)


def list_progress(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, *, limit: int, offset: int):
    get_pledge(uow, identity, pledge_id)
    return PledgeRepository(uow.session).reports(pledge_id, limit=limit, offset=offset)


def record_evaluation(uow: UnitOfWork, data: dict) -> Pledge | None:
    """The result of a pledge's evaluation round (一诺一评) arrives from evaluation-service."""
    repo = PledgeRepository(uow.session)
    pledge = repo.get(data["target_id"], for_update=True)
    if pledge is None:
        return None
    result = EvaluationResult(round_id=data["round_id"], score=data["score"], level=data["level"],
                              at=datetime.now(timezone.utc))
    if pledge.record_evaluation(result, SYSTEM_ACTOR):
        repo.save(pledge)
        record_statistics(uow, pledge.unit_id, pledge.year)
    return pledge


def _members_of(uow: UnitOfWork, unit_id: uuid.UUID) -> list[Member]:
    rows = uow.session.execute(sa.select(persons.c.id, persons.c.member_status, persons.c.exemptions)
                               .where(persons.c.unit_id == unit_id, persons.c.active.is_(True))).all()
    return [Member(r.id, r.member_status, list(r.exemptions or [])) for r in rows]


def compute_statistics(uow: UnitOfWork, unit_id: uuid.UUID, year: int,
                       now: datetime | None = None) -> UnitStatistics:
    return statistics_of(unit_id, year, PledgeRepository(uow.session).counts_in_units_year([unit_id], year),
                         _members_of(uow, unit_id), now or datetime.now(timezone.utc))


def record_statistics(uow: UnitOfWork, unit_id: uuid.UUID, year: int) -> UnitStatistics:
    """Announce the unit's figures as they stand after a change (pledge.statistics_updated, for grading)."""
    stats = compute_statistics(uow, unit_id, year)
    uow.record("pledge.statistics_updated", unit_id, asdict(stats))
    return stats


def check_oversight(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID):
    """The unit (its directory row) when ``identity`` may oversee it; the ledger's print header names it."""
    directory = DirectoryView(uow.session)
    unit = directory.unit(unit_id)
    if unit is None:
        raise InvalidPledge(_("Unknown unit."), {"unit_id": [_("no unit {unit_id}", unit_id=unit_id)]})
    if not Access(identity, directory).can_oversee(unit_id):
        raise Forbidden(_("Only the unit's secretaries and the organisation department see its ledger and figures."))
    return unit
