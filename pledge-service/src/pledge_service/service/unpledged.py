"""Who has not pledged (未承诺名单) and reminding them (督促承诺), per branch at or under a unit."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PledgeRepository
from ..domain.model import InvalidPledge
from ..domain.statistics import Member, pledge_gaps
from .pledges import check_oversight, today_in_china
from .statistics import _branches_under


def _gaps_by_branch(uow: UnitOfWork, unit_id: uuid.UUID, year: int) -> list[tuple]:
    """(branch, PledgeGaps) for each branch at or under a unit: its groups' members and pledgers included,
    everything read in three queries whatever the number of branches, and never the pledges themselves."""
    branches = _branches_under(DirectoryView(uow.session), unit_id)
    every_id = [i for _, ids in branches for i in ids]
    if not every_id:
        return []
    pledgers_in = PledgeRepository(uow.session).annual_pledgers_by_unit(every_id, year)
    members_in: dict = {}
    for row in uow.session.execute(
            sa.select(persons.c.id, persons.c.name, persons.c.unit_id, persons.c.member_status, persons.c.exemptions)
            .where(persons.c.unit_id.in_(every_id), persons.c.active.is_(True))):
        members_in.setdefault(row.unit_id, []).append(
            Member(row.id, row.member_status, list(row.exemptions or []), row.name, row.unit_id))
    return [(branch, pledge_gaps(year, set().union(*(pledgers_in[i] for i in ids)),
                                 [m for i in ids for m in members_in.get(i, [])]))
            for branch, ids in branches]


def unpledged(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int | None = None, *,
              which: str = "missing", branch_id: uuid.UUID | None = None, name: str | None = None,
              limit: int = 20, offset: int = 0) -> dict:
    """Who has not pledged (未承诺名单): the members of each branch at or under a unit without an annual pledge
    for the year (``which="missing"``) or, apart, those exempted that year (``"exempted"``), a page at a time,
    by branch then name; with every branch's counts, for its secretaries, the general branch and 组织部."""
    check_oversight(uow, identity, unit_id)
    year = year or today_in_china().year
    gaps = _gaps_by_branch(uow, unit_id, year)
    if branch_id is not None and branch_id not in {branch.id for branch, _ in gaps}:
        raise InvalidPledge(_("Choose a branch at or under the unit."),
                            {"branch_id": [_("no branch {unit_id} under this unit", unit_id=branch_id)]})
    typed = (name or "").strip()
    rows = [{"person_id": m.id, "name": m.name, "unit_id": m.unit_id, "branch_id": branch.id,
             "branch_name": branch.name, "exemption_reason": (m.exemption(year) or {}).get("reason")}
            for branch, found in gaps if branch_id in (None, branch.id)
            for m in getattr(found, which) if typed.lower() in m.name.lower()]
    return {
        "unit_id": unit_id, "year": year, "list": which,
        "missing_total": sum(len(found.missing) for _, found in gaps),
        "exempted_total": sum(len(found.exempted) for _, found in gaps),
        "branches": [{"unit_id": branch.id, "name": branch.name, "parent_id": branch.parent_id,
                      "members_expected": found.expected, "missing": len(found.missing),
                      "exempted": len(found.exempted)} for branch, found in gaps],
        "items": rows[offset:offset + limit], "total": len(rows), "limit": limit, "offset": offset,
    }


def remind_unpledged(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int | None = None,
                     now: datetime | None = None) -> dict:
    """Remind every member without an annual pledge in each branch at or under a unit (督促承诺): one
    pledge.reminder_requested per branch, for notification-service to tell each of them. A member is reminded
    at most once a day whoever asks (the branch, then the general branch): the others count as already reminded."""
    now = now or datetime.now(timezone.utc)
    check_oversight(uow, identity, unit_id)
    year = year or today_in_china(now).year
    repo = PledgeRepository(uow.session)
    threshold = f"unpledged:{year}:{today_in_china(now).isoformat()}"
    branches = []
    for branch, found in _gaps_by_branch(uow, unit_id, year):
        claimed = repo.claim_reminders([m.id for m in found.missing], threshold, now)
        fresh = [m.id for m in found.missing if m.id in claimed]
        if fresh:
            uow.record("pledge.reminder_requested", branch.id, {
                "unit_id": branch.id, "year": year, "member_ids": fresh, "requested_by": identity.subject})
        branches.append({"unit_id": branch.id, "name": branch.name, "reminded": len(fresh),
                         "already_reminded": len(found.missing) - len(fresh)})
    return {"unit_id": unit_id, "year": year, "reminded": sum(b["reminded"] for b in branches),
            "already_reminded": sum(b["already_reminded"] for b in branches), "branches": branches}
