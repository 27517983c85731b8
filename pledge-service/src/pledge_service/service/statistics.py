"""The figures (承诺统计) asked for: a unit's for a year, and each branch's at or under a unit for the dashboards.
(The figures themselves are computed in ``pledges.compute_statistics``: every change of a pledge announces them.)"""
from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PledgeRepository
from ..domain.statistics import Member, UnitStatistics, coverage_percent, fulfilment_percent, statistics_of
from .pledges import check_oversight, compute_statistics


def get_statistics(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int) -> UnitStatistics:
    check_oversight(uow, identity, unit_id)
    return compute_statistics(uow, unit_id, year)


def statistics_by_branch(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int) -> list[dict]:
    """Each branch (党支部) at or under a unit with its figures, its groups' pledges and members included:
    pledge coverage and fulfilment by unit for the dashboards, in one call."""
    check_oversight(uow, identity, unit_id)
    now = datetime.now(timezone.utc)
    out = []
    for branch, ids in _branches_under(DirectoryView(uow.session), unit_id):
        members = [Member(r.id, r.member_status, list(r.exemptions or [])) for r in uow.session.execute(
            sa.select(persons.c.id, persons.c.member_status, persons.c.exemptions)
            .where(persons.c.unit_id.in_(ids), persons.c.active.is_(True)))]
        stats = statistics_of(branch.id, year, PledgeRepository(uow.session).counts_in_units_year(ids, year), members,
                              now)
        out.append(asdict(stats) | {"name": branch.name, "parent_id": branch.parent_id,
                                    "coverage_percent": coverage_percent(stats),
                                    "fulfilment_percent": fulfilment_percent(stats)})
    return out


def _branches_under(directory: DirectoryView, unit_id: uuid.UUID) -> list[tuple]:
    """Each active branch (党支部) at or under a unit, by name, with the ids of it and its groups (党小组)."""
    below = directory.descendants(unit_id)
    children: dict = {}
    for unit in below:
        children.setdefault(unit.parent_id, []).append(unit.id)
    found = []
    for branch in sorted((u for u in below if u.kind == "branch" and u.active), key=lambda u: (u.name, str(u.id))):
        ids, frontier = [branch.id], [branch.id]
        while frontier:
            frontier = [c for f in frontier for c in children.get(f, [])]
            ids += frontier
        found.append((branch, ids))
    return found
