"""The grading cycle (评定周期, GradingCycle): deploying a year's grading (安排部署) over its branches, reading it,
and who may see or act for which of its branches (the scope every other use case checks)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import units
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycle_branches, cycles
from ..domain.classification import DEFAULT_PUBLICITY_DAYS, CycleState, CycleStateError
from ..domain.model import (
    DEFAULT_INDICATOR_WEIGHTS, DEFAULT_PART_WEIGHTS, INDICATOR_LABELS, PART_LABELS, AssessmentPart, GradingCycle,
    Indicator, InvalidGrading, LevelThresholds, Weights, CYCLE_YEAR_SPAN, check_cycle_year,
)
from ._common import Forbidden, NotFound, today_in_china


def describe_indicators() -> dict:
    """The seven indicators and the three assessment parts with their default weights, in zh and en."""
    return {
        "indicators": [{"code": i, "zh": INDICATOR_LABELS[i][0], "en": INDICATOR_LABELS[i][1], "default_weight": w}
                       for i, w in DEFAULT_INDICATOR_WEIGHTS.percent.items()],
        "parts": [{"code": p, "zh": PART_LABELS[p][0], "en": PART_LABELS[p][1], "default_weight": w}
                  for p, w in DEFAULT_PART_WEIGHTS.percent.items()],
    }


# --- cycles (安排部署) -------------------------------------------------------------------------

def _domain_cycle(row) -> GradingCycle:
    return GradingCycle(
        year=row.year, advanced_cap_percent=row.advanced_cap_percent,
        indicator_weights=Weights(Indicator, row.indicator_weights),
        part_weights=Weights(AssessmentPart, row.part_weights),
        thresholds=LevelThresholds(**row.thresholds))


def _cycle_row(uow: UnitOfWork, cycle_id, *, for_update: bool = False):
    query = sa.select(cycles).where(cycles.c.id == cycle_id)
    if for_update and uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = uow.session.execute(query).first()
    if row is None:
        raise NotFound(_("No such grading cycle."))
    return row


def _cycle_out(row, branch_count: int, decided: int = 0) -> dict:
    return {"id": row.id, "year": row.year, "state": row.state, "advanced_cap_percent": row.advanced_cap_percent,
            "cap_per_general_branch": row.cap_per_general_branch, "indicator_weights": row.indicator_weights,
            "part_weights": row.part_weights, "thresholds": row.thresholds, "criteria": row.criteria,
            "self_assessment_deadline": row.self_assessment_deadline, "superior_deadline": row.superior_deadline,
            "publicity_days": row.publicity_days, "publicity_ends_on": row.publicity_ends_on,
            "publicity_without_login": row.publicity_without_login, "opened_at": row.opened_at,
            "branch_count": branch_count, "decided": decided}


def _branch_count(uow: UnitOfWork, cycle_id) -> int:
    return uow.session.execute(sa.select(sa.func.count()).select_from(cycle_branches)
                               .where(cycle_branches.c.cycle_id == cycle_id)).scalar_one()


def _decided_count(uow: UnitOfWork, cycle_id) -> int:
    """Branches of the cycle with a level (拟定 or final): a cycle with none has no results yet."""
    return uow.session.execute(sa.select(sa.func.count()).select_from(cycle_branches)
                               .where(cycle_branches.c.cycle_id == cycle_id,
                                      cycle_branches.c.level.is_not(None))).scalar_one()


def open_cycle(uow: UnitOfWork, identity: Identity, command: dict, now: datetime | None = None,
               year_span: int = CYCLE_YEAR_SPAN) -> dict:
    """The organisation department deploys a year's grading (安排部署) and announces it: for last, this or
    next year (``year_span`` years either side of this one)."""
    now = now or datetime.now(timezone.utc)
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department opens a grading cycle."))
    check_cycle_year(command["year"], today_in_china(now).year, year_span)
    cycle = GradingCycle(
        year=command["year"], advanced_cap_percent=command["advanced_cap_percent"],
        indicator_weights=Weights(Indicator, command.get("indicator_weights") or DEFAULT_INDICATOR_WEIGHTS.percent),
        part_weights=Weights(AssessmentPart, command.get("part_weights") or DEFAULT_PART_WEIGHTS.percent),
        thresholds=LevelThresholds(**(command.get("thresholds") or {})))
    deadline, superior_deadline = command["self_assessment_deadline"], command.get("superior_deadline")
    if superior_deadline is not None and superior_deadline < deadline:
        raise InvalidGrading(_("The superior scores after the branches assess themselves."),
                             {"superior_deadline": [_("on or after self_assessment_deadline")]})
    if uow.session.execute(sa.select(cycles.c.id).where(cycles.c.year == cycle.year)).first():
        raise CycleStateError(_("A grading cycle for {year} is already open.", year=cycle.year), {"year": [_("taken")]})
    branches = _branches_for_cycle(uow, command.get("branch_ids"))
    cycle_id = uuid.uuid4()
    uow.session.execute(sa.insert(cycles).values(
        id=cycle_id, year=cycle.year, advanced_cap_percent=cycle.advanced_cap_percent,
        cap_per_general_branch=command.get("cap_per_general_branch", False),
        indicator_weights={k.value: v for k, v in cycle.indicator_weights.percent.items()},
        part_weights={k.value: v for k, v in cycle.part_weights.percent.items()},
        thresholds={"advanced": cycle.thresholds.advanced, "ordinary": cycle.thresholds.ordinary},
        criteria=command.get("criteria") or {}, self_assessment_deadline=deadline,
        superior_deadline=superior_deadline,
        publicity_days=command.get("publicity_days", DEFAULT_PUBLICITY_DAYS), state=CycleState.OPEN.value,
        opened_by=uuid.UUID(identity.subject), opened_at=now))
    uow.session.execute(sa.insert(cycle_branches), [
        {"cycle_id": cycle_id, "branch_id": b["id"], "general_branch_id": b["general_branch_id"], "name": b["name"]}
        for b in branches])
    uow.record("grading.cycle_opened", cycle_id, {
        "cycle_id": cycle_id, "year": cycle.year, "branch_ids": [b["id"] for b in branches],
        "self_assessment_deadline": deadline})
    return _cycle_out(_cycle_row(uow, cycle_id), len(branches))


def _branches_for_cycle(uow: UnitOfWork, branch_ids) -> list[dict]:
    """The listed branches, or every active branch (党支部) the directory knows."""
    query = sa.select(units).where(units.c.kind == "branch")
    if branch_ids:
        query = query.where(units.c.id.in_(list(branch_ids)))
    else:
        query = query.where(units.c.active.is_(True))
    rows = uow.session.execute(query).all()
    if branch_ids:
        missing = sorted(str(b) for b in set(branch_ids) - {r.id for r in rows})
        if missing:
            raise InvalidGrading(_("Some listed units are not branches in the directory."), {"branch_ids": missing})
    if not rows:
        raise InvalidGrading(_("A cycle needs at least one branch."), {"branch_ids": [_("no branch in the directory")]})
    general_of = {u.id: u for u in uow.session.execute(sa.select(units).where(units.c.kind == "general_branch"))}
    parents = {u.id: u.parent_id for u in uow.session.execute(sa.select(units.c.id, units.c.parent_id))}
    out = []
    for row in sorted(rows, key=lambda r: (r.name, str(r.id))):
        parent, seen = row.parent_id, set()
        while parent is not None and parent not in general_of and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        out.append({"id": row.id, "name": row.name, "general_branch_id": parent if parent in general_of else None})
    return out


def get_cycle(uow: UnitOfWork, cycle_id) -> dict:
    row = _cycle_row(uow, cycle_id)
    return _cycle_out(row, _branch_count(uow, cycle_id), _decided_count(uow, cycle_id))


def list_cycles(uow: UnitOfWork, limit: int, offset: int):
    total = uow.session.execute(sa.select(sa.func.count()).select_from(cycles)).scalar_one()
    rows = uow.session.execute(sa.select(cycles).order_by(cycles.c.year.desc()).limit(limit).offset(offset)).all()
    return [_cycle_out(r, _branch_count(uow, r.id), _decided_count(uow, r.id)) for r in rows], total


# --- scope --------------------------------------------------------------------------------------

def _cycle_branch(uow: UnitOfWork, cycle_id, branch_id):
    row = uow.session.execute(sa.select(cycle_branches).where(
        cycle_branches.c.cycle_id == cycle_id, cycle_branches.c.branch_id == branch_id)).first()
    if row is None:
        raise NotFound(_("That branch is not in this grading cycle."))
    return row


def _is_superior(identity: Identity, branch) -> bool:
    return branch.general_branch_id is not None and identity.has_role("general_branch_secretary",
                                                                      str(branch.general_branch_id))


def _require_superior(identity: Identity, branch) -> None:
    if not _is_superior(identity, branch):
        raise Forbidden(_("This branch is outside your general branch."),
                        {"branch_id": [str(branch.branch_id)]})


def _can_see(identity: Identity, branch) -> bool:
    return (identity.has_role("org_department") or _is_superior(identity, branch)
            or identity.has_role("branch_secretary", str(branch.branch_id)))


def _visible_filter(identity: Identity):
    """None for every branch, else a condition on the cycle's branches this person may see."""
    if identity.has_role("org_department"):
        return None
    general = [uuid.UUID(u) for u in identity.units_with("general_branch_secretary")]
    own = [uuid.UUID(u) for u in identity.units_with("branch_secretary")]
    return sa.or_(cycle_branches.c.general_branch_id.in_(general), cycle_branches.c.branch_id.in_(own))
