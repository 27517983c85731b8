"""Rectification (整改提高, Rectification): a branch's plan after the final results, its tasks, their progress,
and the overdue job that announces a task past its deadline."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import acceptances, plans, task_reports, tasks
from ..domain.classification import CycleState, CycleStateError
from ..domain.model import Grade
from ..domain.rectification import (
    EMPHASIS_LABELS, Emphasis, TaskState, check_deadline, emphasis_for, is_overdue, state_after_progress,
)
from ._common import Forbidden, NotFound, today_in_china
from .cycles import _can_see, _cycle_branch, _cycle_row, _is_superior


def _plan_row(uow: UnitOfWork, cycle_id, branch_id):
    row = uow.session.execute(sa.select(plans).where(plans.c.cycle_id == cycle_id,
                                                     plans.c.branch_id == branch_id)).first()
    if row is None:
        raise NotFound(_("This branch has no rectification plan for that cycle."))
    return row


def _plan_out(uow: UnitOfWork, plan) -> dict:
    task_rows = uow.session.execute(sa.select(tasks).where(tasks.c.plan_id == plan.id)
                                    .order_by(tasks.c.deadline, tasks.c.title)).all()
    accepted = uow.session.execute(sa.select(acceptances).where(acceptances.c.plan_id == plan.id)).first()
    return dict(plan._mapping) | {
        "emphasis_zh": EMPHASIS_LABELS[Emphasis(plan.emphasis)],
        "tasks": [dict(t._mapping) for t in task_rows],
        "acceptance": dict(accepted._mapping) if accepted else None}


def _may_plan(identity: Identity, branch) -> bool:
    return identity.has_role("branch_secretary", str(branch.branch_id)) or _is_superior(identity, branch)


def create_plan(uow: UnitOfWork, identity: Identity, cycle_id, branch_id, command: dict,
                now: datetime | None = None) -> dict:
    """A branch's plan after the final results: problems, measures, owner, deadline and its tasks."""
    now = now or datetime.now(timezone.utc)
    cycle_row = _cycle_row(uow, cycle_id)
    branch = _cycle_branch(uow, cycle_id, branch_id)
    if not _may_plan(identity, branch):
        raise Forbidden(_("The branch's secretary or its general branch draws up the plan."),
                        {"branch_id": [str(branch_id)]})
    if cycle_row.state != CycleState.FINAL.value:
        raise CycleStateError(_("A rectification plan follows the final results."),
                              {"state": [cycle_row.state]})
    if uow.session.execute(sa.select(plans.c.id).where(plans.c.cycle_id == cycle_id,
                                                       plans.c.branch_id == branch_id)).first():
        raise CycleStateError(_("This branch already has its plan for the cycle."), {"branch_id": [str(branch_id)]})
    today = today_in_china(now)
    check_deadline(command["deadline"], today)
    for n, task in enumerate(command["tasks"]):
        check_deadline(task["deadline"], today, f"tasks.{n}.deadline")
    plan_id = uuid.uuid4()
    uow.session.execute(sa.insert(plans).values(
        id=plan_id, cycle_id=cycle_id, branch_id=branch_id, level=branch.level,
        emphasis=emphasis_for(Grade(branch.level)).value, problems=command["problems"],
        measures=command["measures"], owner_id=command["owner_id"], deadline=command["deadline"],
        created_by=uuid.UUID(identity.subject), created_at=now))
    if command["tasks"]:
        uow.session.execute(sa.insert(tasks), [
            {"id": uuid.uuid4(), "plan_id": plan_id, "title": t["title"], "owner_id": t.get("owner_id"),
             "deadline": t["deadline"], "percent": 0, "state": TaskState.OPEN.value} for t in command["tasks"]])
    return get_plan(uow, identity, cycle_id, branch_id)


def get_plan(uow: UnitOfWork, identity: Identity, cycle_id, branch_id) -> dict:
    branch = _cycle_branch(uow, cycle_id, branch_id)
    if not _can_see(identity, branch):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    return _plan_out(uow, _plan_row(uow, cycle_id, branch_id))


def report_progress(uow: UnitOfWork, identity: Identity, task_id, percent: int, note: str,
                    now: datetime | None = None) -> dict:
    """A task's progress, by its owner, the branch's secretary or its general branch."""
    now = now or datetime.now(timezone.utc)
    task = uow.session.execute(sa.select(tasks).where(tasks.c.id == task_id)).first()
    if task is None:
        raise NotFound(_("No such rectification task."))
    plan = uow.session.execute(sa.select(plans).where(plans.c.id == task.plan_id)).one()
    branch = _cycle_branch(uow, plan.cycle_id, plan.branch_id)
    if not (_may_plan(identity, branch) or str(task.owner_id) == identity.subject):
        raise Forbidden(_("Only the task's owner, the branch's secretary or its general branch reports progress."))
    if task.state == TaskState.DONE.value:
        raise CycleStateError(_("This task is already done."), {"task_id": [str(task_id)]})
    done = state_after_progress(percent)
    uow.session.execute(sa.update(tasks).where(tasks.c.id == task_id).values(
        percent=percent, state=(done or TaskState(task.state)).value))
    uow.session.execute(sa.insert(task_reports).values(task_id=task_id, percent=percent, note=note,
                                                       by=uuid.UUID(identity.subject), at=now))
    return _plan_out(uow, plan)


def mark_overdue_tasks(uow: UnitOfWork, now: datetime | None = None) -> int:
    """The overdue job: each open task past its deadline becomes overdue and is announced, once."""
    today = today_in_china(now)
    query = (sa.select(tasks, plans.c.cycle_id, plans.c.branch_id).join(plans, plans.c.id == tasks.c.plan_id)
             .where(tasks.c.state == TaskState.OPEN.value, tasks.c.deadline < today))
    if uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=tasks, skip_locked=True)
    due = [t for t in uow.session.execute(query).all() if is_overdue(TaskState(t.state), t.deadline, today)]
    for task in due:
        uow.session.execute(sa.update(tasks).where(tasks.c.id == task.id, tasks.c.state == TaskState.OPEN.value)
                            .values(state=TaskState.OVERDUE.value))
        uow.record("rectification.task_overdue", task.id, {
            "cycle_id": task.cycle_id, "branch_id": task.branch_id, "task_id": task.id, "title": task.title,
            "owner_id": task.owner_id, "deadline": task.deadline})
    return len(due)
