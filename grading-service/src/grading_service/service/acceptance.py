"""Acceptance (考核验收): while the next cycle is classified, the general branch inspects a branch's last
rectification plan; the verdict is announced (rectification.accepted) and becomes an input of the new cycle."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import acceptances, cycles, plans
from ..domain.classification import CycleState, CycleStateError
from ..domain.rectification import ACCEPTANCE_QUESTIONS, acceptance_passed
from ._common import NotFound
from .cycles import _cycle_branch, _cycle_row, _require_superior
from .rectification import _plan_out


def accept_rectification(uow: UnitOfWork, identity: Identity, cycle_id, branch_id, command: dict,
                         now: datetime | None = None) -> dict:
    """考核验收: while the next cycle is deployed, the general branch inspects the branch's last plan."""
    now = now or datetime.now(timezone.utc)
    cycle_row = _cycle_row(uow, cycle_id)
    branch = _cycle_branch(uow, cycle_id, branch_id)
    _require_superior(identity, branch)
    if cycle_row.state != CycleState.OPEN.value:
        raise CycleStateError(_("Acceptance is recorded while the next cycle is being classified."),
                              {"state": [cycle_row.state]})
    plan = uow.session.execute(
        sa.select(plans).join(cycles, cycles.c.id == plans.c.cycle_id)
        .where(plans.c.branch_id == branch_id, cycles.c.year < cycle_row.year)
        .order_by(cycles.c.year.desc()).limit(1)).first()
    if plan is None:
        raise NotFound(_("This branch has no earlier rectification plan to inspect."))
    if uow.session.execute(sa.select(acceptances.c.plan_id).where(acceptances.c.plan_id == plan.id)).first():
        raise CycleStateError(_("This plan is already inspected."), {"plan_id": [str(plan.id)]})
    answers = {q: command[q] for q in ACCEPTANCE_QUESTIONS if q in command}
    passed = acceptance_passed(answers)
    uow.session.execute(sa.insert(acceptances).values(
        plan_id=plan.id, in_cycle_id=cycle_id, answers=answers, passed=passed, notes=command["notes"],
        by=uuid.UUID(identity.subject), at=now))
    # The new cycle takes the verdict as an input through its own consumer, like any outside source.
    uow.record("rectification.accepted", branch_id, {"cycle_id": plan.cycle_id, "branch_id": branch_id,
                                                     "passed": passed, "notes": command["notes"]})
    return _plan_out(uow, plan)
