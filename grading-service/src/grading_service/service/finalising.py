"""Finalising a cycle (确定等次): after the publicity period, every objection answered, each branch's level is final
and announced (grading.level_finalised) with its total and last year's level."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycle_branches, cycles, objections
from ..domain.classification import CycleState, CycleStateError
from ._common import Forbidden, today_in_china
from .cycles import _cycle_row, get_cycle
from .scoring import _classified


def finalise(uow: UnitOfWork, identity: Identity, cycle_id, now: datetime | None = None) -> dict:
    """After the publicity period, with every objection answered: the results are final (grading.level_finalised)."""
    now = now or datetime.now(timezone.utc)
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department finalises the results."))
    cycle_row = _cycle_row(uow, cycle_id, for_update=True)
    if cycle_row.state != CycleState.PUBLICITY.value:
        raise CycleStateError(_("Only published results in their publicity period can be finalised."),
                              {"state": [cycle_row.state]})
    if today_in_china(now) < cycle_row.publicity_ends_on:
        raise CycleStateError(_("The publicity period lasts until {date}; it has not ended.",
                                date=cycle_row.publicity_ends_on.isoformat()),
                              {"publicity_ends_on": [cycle_row.publicity_ends_on.isoformat()]})
    open_ones = uow.session.execute(sa.select(sa.func.count()).select_from(objections).where(
        objections.c.cycle_id == cycle_id, objections.c.answer.is_(None))).scalar_one()
    if open_ones:
        raise CycleStateError(_("{count} objections are unanswered.", count=open_ones),
                              {"objections": [open_ones]})
    # read whole before the first row is written, as before: finalising writes the rows the cursor reads
    branches = list(_classified(uow, cycle_row, sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)))
    for branch in branches:
        # An overridden branch may lack a part; its published total is what was computed, else 0.
        total = branch["total"] if branch["total"] is not None else 0.0
        uow.session.execute(sa.update(cycle_branches).where(
            cycle_branches.c.cycle_id == cycle_id, cycle_branches.c.branch_id == branch["branch_id"])
            .values(final_total=total))
        uow.record("grading.level_finalised", branch["branch_id"], {
            "cycle_id": cycle_id, "year": cycle_row.year, "branch_id": branch["branch_id"], "grade": branch["level"],
            "previous_grade": branch["previous_level"], "total": total})
    uow.session.execute(sa.update(cycles).where(cycles.c.id == cycle_id)
                        .values(state=CycleState.FINAL.value, finalised_at=now))
    return get_cycle(uow, cycle_id)
