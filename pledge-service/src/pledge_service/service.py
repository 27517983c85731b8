"""Use cases of pledge-service: each runs in one unit of work and records its events there."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from .adapters.repository import PledgeRepository
from .domain.model import (
    InstantTrigger, InvalidPledge, LeadArea, Pledge, PledgeError, PledgeKind, PledgeMode, PledgeState,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

EVENT_OF_ACTION = {
    "submit": "pledge.submitted", "return": "pledge.returned", "approve": "pledge.approved",
    "publish": "pledge.published", "report_progress": "pledge.progressed", "mark_overdue": "pledge.overdue",
    "fulfil": "pledge.fulfilled", "withdraw": "pledge.withdrawn",
}
PLEDGER_ACTIONS = {"submit", "withdraw", "fulfil", "report_progress"}
REVIEWER_ACTIONS = {"return", "approve", "publish"}


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

    def is_reviewer(self, pledge: Pledge) -> bool:
        if self.identity.has_role("org_department"):
            return True
        general_branch = self.directory.general_branch_of(pledge.unit_id)
        return general_branch is not None and self.identity.has_role("general_branch_secretary",
                                                                     str(general_branch.id))

    def can_see(self, pledge: Pledge) -> bool:
        if self.is_pledger(pledge) or self.is_reviewer(pledge):
            return True
        if self.identity.has_role("branch_secretary", str(pledge.unit_id)):
            return True
        # Public pledges are open to supervision by the members of the unit (接受党员群众监督).
        visible = {PledgeState.PUBLISHED, PledgeState.OVERDUE, PledgeState.FULFILLED, PledgeState.EVALUATED,
                   PledgeState.CLOSED}
        return pledge.state in visible and self.identity.unit_id == str(pledge.unit_id)

    def reviewable_units(self) -> list[uuid.UUID] | None:
        """Branches whose pledges this person reviews; None means every unit."""
        if self.identity.has_role("org_department"):
            return None
        units: list[uuid.UUID] = []
        for general_branch in self.identity.units_with("general_branch_secretary"):
            units += [u.id for u in self.directory.descendants(uuid.UUID(general_branch))]
        return units


def _facts(pledge: Pledge, actor_id) -> dict:
    return {"pledge_id": pledge.id, "pledger_kind": pledge.pledger_kind, "pledger_id": pledge.pledger_id,
            "unit_id": pledge.unit_id, "kind": pledge.kind.value, "title": pledge.title, "year": pledge.year,
            "due_date": pledge.due_date, "actor_id": actor_id}


def _record_transition(uow: UnitOfWork, pledge: Pledge, action: str, actor_id, reason=None, **extra) -> None:
    event_type = EVENT_OF_ACTION.get(action)
    if event_type:
        data = _facts(pledge, actor_id) | extra
        if reason is not None and action in ("return", "withdraw"):
            data["reason"] = reason
        uow.record(event_type, pledge.id, data)


def create_pledge(uow: UnitOfWork, identity: Identity, command: dict, now: datetime | None = None) -> Pledge:
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    pledger_kind = command.get("pledger_kind", "member")
    if pledger_kind == "member":
        pledger_id = uuid.UUID(identity.subject)
        if not identity.unit_id:
            raise InvalidPledge("Only a member of a branch can make a personal pledge.",
                                {"pledger_kind": ["you belong to no branch"]})
        unit_id = uuid.UUID(identity.unit_id)
    else:
        unit_id = command.get("unit_id")
        if unit_id is None:
            raise InvalidPledge("An organisation pledge names its unit.", {"unit_id": ["required"]})
        if not identity.has_role("branch_secretary", str(unit_id)):
            raise Forbidden("Only the unit's secretary can pledge for the unit.")
        pledger_id = unit_id
    if directory.unit(unit_id) is None:
        raise InvalidPledge("Unknown unit.", {"unit_id": [f"no unit {unit_id}"]})
    pledge = Pledge.draft(
        id=uuid.uuid4(), pledger_kind=pledger_kind, pledger_id=pledger_id, unit_id=unit_id,
        kind=PledgeKind(command["kind"]), mode=PledgeMode(command.get("mode", "individual")),
        title=command["title"], content=command.get("content", ""), due_date=command["due_date"],
        areas=[LeadArea(a) for a in command["areas"]], targets=command.get("targets"),
        trigger=InstantTrigger(command["trigger"]) if command.get("trigger") else None,
        participant_ids=command.get("participant_ids"), masses_participants=command.get("masses_participants"),
        today=today_in_china(now), now=now,
    )
    repo = PledgeRepository(uow.session)
    if command.get("submit"):
        pledge.apply("submit", uuid.UUID(identity.subject), now)
    repo.add(pledge)
    if pledge.state is PledgeState.SUBMITTED:
        _record_transition(uow, pledge, "submit", identity.subject)
    return pledge


def get_pledge(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID) -> Pledge:
    pledge = PledgeRepository(uow.session).get(pledge_id)
    if pledge is None or not Access(identity, DirectoryView(uow.session)).can_see(pledge):
        raise NotFound("No such pledge.")
    return pledge


def act_on_pledge(uow: UnitOfWork, identity: Identity, pledge_id: uuid.UUID, action: str,
                  reason: str | None = None, now: datetime | None = None) -> Pledge:
    now = now or datetime.now(timezone.utc)
    repo = PledgeRepository(uow.session)
    pledge = repo.get(pledge_id, for_update=True)
    access = Access(identity, DirectoryView(uow.session))
    if pledge is None or not access.can_see(pledge):
        raise NotFound("No such pledge.")
    if action in PLEDGER_ACTIONS and not access.is_pledger(pledge):
        raise Forbidden(f"Only the pledger can {action.replace('_', ' ')} this pledge.")
    if action in REVIEWER_ACTIONS and not access.is_reviewer(pledge):
        raise Forbidden("Only the general branch that reviews this pledge can do that (党总支审核).")
    pledge.apply(action, uuid.UUID(identity.subject), now, reason)
    repo.save(pledge)
    _record_transition(uow, pledge, action, identity.subject, reason)
    return pledge


def list_pledges(uow: UnitOfWork, identity: Identity, scope: str, *, states=None, year=None, limit=20, offset=0):
    repo = PledgeRepository(uow.session)
    if scope == "mine":
        return repo.list(pledger_id=uuid.UUID(identity.subject), states=states, year=year, limit=limit,
                         offset=offset)
    if scope == "review":
        units = Access(identity, DirectoryView(uow.session)).reviewable_units()
        return repo.list(unit_ids=units, states=states or ["submitted"], year=year, limit=limit, offset=offset)
    raise InvalidPledge("Unknown scope.", {"scope": ["one of: mine, review"]})
