"""Use cases of grading-service: each runs in one unit of work and records its events there."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pacesetter_shared.db import insert_ignoring
from pacesetter_shared.directory import DirectoryView, units
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from .adapters.tables import (
    acceptances, changes, cycle_branches, cycles, inputs, objections, plans, scores, task_reports, tasks,
)
from .domain.classification import (
    CHANGE_LABELS, DEFAULT_PUBLICITY_DAYS, GRADE_LABELS, CycleState, CycleStateError, LevelChange, PledgeFigures,
    averages, cap_violations, distribution, indicator_profile, level_change, members_and_masses_scores, movement,
    refuse_if_over_cap, satisfaction_score,
)
from .domain.model import (
    DEFAULT_INDICATOR_WEIGHTS, DEFAULT_PART_WEIGHTS, INDICATOR_LABELS, PART_LABELS, AssessmentPart, Grade,
    GradingCycle, GradingError, Indicator, InvalidGrading, LevelThresholds, Weights, advanced_quota,
    CYCLE_YEAR_SPAN, check_cycle_year,
)
from .domain.rectification import (
    ACCEPTANCE_QUESTIONS, EMPHASIS_LABELS, Emphasis, TaskState, acceptance_passed, check_deadline, emphasis_for,
    is_overdue, state_after_progress,
)


SHANGHAI = ZoneInfo("Asia/Shanghai")


class NotFound(GradingError):
    pass


class Forbidden(GradingError):
    pass


class LoginRequired(GradingError):
    """Someone not logged in asked for what only the organisation's people, or its campus network, may read."""


def today_in_china(now: datetime | None = None) -> date:
    """People's dates are Shanghai dates; storage stays UTC."""
    return (now or datetime.now(timezone.utc)).astimezone(SHANGHAI).date()


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


# --- inputs from events (out-of-order and duplicate tolerant) ------------------------------------

INPUTS_WAITING = "grading.inputs"


def _keep_latest(uow: UnitOfWork, source: str, kind: str, unit_id, year: int, as_of: datetime, payload: dict):
    """Store a source's state unless a newer (or, at the same time, an equal-or-greater) one is there.

    Stored just before the commit, with every other state the unit of work was given (nothing in an event's
    handling reads inputs back): a consumer's batch of results costs one statement, not one per event."""
    row = {"source": source, "kind": kind, "unit_id": unit_id, "year": year, "as_of": as_of, "payload": payload}
    waiting = uow.memo.get(INPUTS_WAITING)
    if waiting is None:
        waiting = uow.memo[INPUTS_WAITING] = {}
        session = uow.session
        uow.before_commit(INPUTS_WAITING, lambda: _store_inputs(session, list(waiting.values())))
    held = waiting.get(source)
    if held is None or _order(row) > _order(held):
        waiting[source] = row


def _order(row) -> tuple:
    # Equal times are settled by the payload's text, so that order never decides.
    return (row["as_of"], _canonical(row["payload"]))


def _store_inputs(session, rows: list[dict]) -> None:
    # A source's first state (every round's result) is its part of one INSERT; only later states read what is there.
    created = set(session.execute(insert_ignoring(session, inputs, "source", returning=("source",)), rows).scalars())
    later = [r for r in rows if r["source"] not in created]
    if not later:
        return
    current = {r.source: _order({"as_of": r.as_of, "payload": r.payload}) for r in session.execute(
        sa.select(inputs.c.source, inputs.c.as_of, inputs.c.payload)
        .where(inputs.c.source.in_([r["source"] for r in later])))}
    newer = [r for r in later if r["source"] not in current or current[r["source"]] < _order(r)]
    if newer:
        session.execute(sa.delete(inputs).where(inputs.c.source.in_([r["source"] for r in newer])))
        session.execute(sa.insert(inputs), newer)


def _canonical(payload: dict) -> str:
    return repr(sorted(payload.items()))


def on_evaluation_completed(uow: UnitOfWork, envelope, data: dict) -> None:
    """A branch round (党员群众评议) of evaluation-service; other targets are not grading's business."""
    if data["target_kind"] != "branch":
        return
    # A round completes once and every copy carries its one result; the round's year stands in for a time.
    _keep_latest(uow, f"evaluation:{data['round_id']}", "evaluation", data["target_id"], data["year"],
                 datetime(data["year"], 1, 1, tzinfo=timezone.utc), {"score": data["score"]})


def on_window_satisfaction(uow: UnitOfWork, envelope, data: dict) -> None:
    """A window's month as it stands (群众评价 of the window's branch); a month the anonymity guard hides
    (v2, ``shown`` false) is kept as hidden and counts for nothing."""
    shown = data.get("shown", True)  # v1 carried every month's counts
    _keep_latest(uow, f"satisfaction:{data['window_id']}:{data['month']}", "satisfaction", data["unit_id"],
                 int(data["month"][:4]), data["as_of"],
                 {"satisfied": data["satisfied"] if shown else None, "ratings": data["ratings"] if shown else None})


def on_pledge_statistics(uow: UnitOfWork, envelope, data: dict) -> None:
    """A unit's pledge figures for a year as they stand (工作业绩)."""
    _keep_latest(uow, f"pledges:{data['unit_id']}:{data['year']}", "pledges", data["unit_id"], data["year"],
                 data["as_of"], {k: data[k] for k in ("members_expected", "members_with_annual_pledge",
                                                     "pledges_total", "fulfilled_on_time")})


def on_rectification_accepted(uow: UnitOfWork, envelope, data: dict) -> None:
    """考核验收 of a branch's last rectification: an input of its next classification."""
    inspected = uow.session.execute(sa.select(cycles.c.year).where(cycles.c.id == data["cycle_id"])).scalar()
    year = inspected if inspected is not None else envelope.occurred_at.year
    _keep_latest(uow, f"acceptance:{data['cycle_id']}:{data['branch_id']}", "acceptance", data["branch_id"],
                 year, envelope.occurred_at, {"passed": data["passed"], "notes": data["notes"]})


def _branch_of_units(uow: UnitOfWork) -> dict:
    """Every unit → its branch (itself, or the branch above a group), from the directory projection."""
    rows = {u.id: u for u in uow.session.execute(sa.select(units.c.id, units.c.kind, units.c.parent_id))}
    out = {}
    for unit_id in rows:
        current, seen = rows.get(unit_id), set()
        while current is not None and current.kind != "branch" and current.id not in seen:
            seen.add(current.id)
            current = rows.get(current.parent_id)
        if current is not None and current.kind == "branch":
            out[unit_id] = current.id
    return out


def _inputs_by_branch(uow: UnitOfWork, year: int, branch_ids) -> dict:
    wanted = set(branch_ids)
    branch_of = _branch_of_units(uow)
    found: dict = {b: {"rounds": [], "months": [], "pledges": None, "acceptance": None} for b in wanted}
    rows = uow.session.execute(sa.select(inputs).where(
        sa.or_(inputs.c.year == year, sa.and_(inputs.c.kind == "acceptance", inputs.c.year == year - 1)))).all()
    for row in rows:
        branch = branch_of.get(row.unit_id, row.unit_id)
        if branch not in wanted:
            continue
        got = found[branch]
        if row.kind == "evaluation":
            got["rounds"].append(row.payload["score"])
        elif row.kind == "satisfaction" and row.payload["ratings"] is not None:
            got["months"].append((row.payload["satisfied"], row.payload["ratings"]))
        elif row.kind == "pledges":
            got["pledges"] = PledgeFigures(**row.payload)
        elif row.kind == "acceptance":
            got["acceptance"] = row.payload
    return found


# --- classification (分类定级) -------------------------------------------------------------------

def _scores_of(uow: UnitOfWork, cycle_id, branch_ids) -> dict:
    found: dict = {b: {} for b in branch_ids}
    query = sa.select(scores).where(scores.c.cycle_id == cycle_id)
    if len(found) <= 500:
        query = query.where(scores.c.branch_id.in_(list(found)))
    for row in uow.session.execute(query):
        if row.branch_id in found:
            found[row.branch_id].setdefault(row.part, {})[row.indicator] = row
    return found


def _classify(cycle: GradingCycle, stored: dict, got: dict) -> dict:
    """A branch's parts, total and suggested level; total and level stay None until every part is complete."""
    masses = members_and_masses_scores(got["rounds"], satisfaction_score(got["months"]), got["pledges"])
    parts = {AssessmentPart.SELF: {Indicator(i): r.score for i, r in stored.get("self", {}).items()},
             AssessmentPart.SUPERIOR: {Indicator(i): r.score for i, r in stored.get("superior", {}).items()},
             AssessmentPart.MEMBERS_AND_MASSES: masses or {}}
    part_totals, complete = {}, True
    for part, given in parts.items():
        try:
            part_totals[part] = cycle.indicator_weights.weighted_total(given)
        except InvalidGrading:
            part_totals[part] = None
            complete = complete and cycle.part_weights.percent[part] == 0
    total = (cycle.part_weights.weighted_total({p: t for p, t in part_totals.items() if t is not None})
             if complete else None)
    return {"parts": parts, "part_totals": part_totals, "total": total,
            "suggested_level": cycle.suggested_level(total) if total is not None else None}


def _branch_out(row, result: dict, got: dict, previous: str | None) -> dict:
    level = row.level or None
    change = level_change(Grade(previous) if previous else None, Grade(level)) if level else None
    return {"previous_level": previous, "change": change.value if change else None,
            "branch_id": row.branch_id, "name": row.name, "general_branch_id": row.general_branch_id,
            "part_totals": {p.value: t for p, t in result["part_totals"].items()},
            "total": result["total"], "suggested_level": result["suggested_level"].value
            if result["suggested_level"] else None, "level": level, "level_source": row.level_source,
            "members_and_masses": {i.value: s for i, s in result["parts"][AssessmentPart.MEMBERS_AND_MASSES].items()},
            "evaluation_rounds": len(got["rounds"]), "satisfaction": satisfaction_score(got["months"]),
            "pledge_score": got["pledges"].score() if got["pledges"] else None,
            "last_rectification": got["acceptance"]}


def _branch_filters(query, filters: dict | None):
    """A list's filters: name holding ``q``, ``levels`` (advanced/ordinary/lagging, ``none`` for no level
    yet) and ``general_branch_id``."""
    filters = filters or {}
    if filters.get("q"):
        query = query.where(cycle_branches.c.name.contains(filters["q"], autoescape=True))
    if filters.get("levels"):
        levels = [level for level in filters["levels"] if level != "none"]
        condition = cycle_branches.c.level.in_(levels)
        if "none" in filters["levels"]:
            condition = sa.or_(condition, cycle_branches.c.level.is_(None))
        query = query.where(condition)
    if filters.get("general_branch_id"):
        query = query.where(cycle_branches.c.general_branch_id == filters["general_branch_id"])
    return query


def list_branches(uow: UnitOfWork, identity: Identity, cycle_id, limit: int, offset: int,
                  filters: dict | None = None):
    cycle_row = _cycle_row(uow, cycle_id)
    query = _branch_filters(sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id), filters)
    visible = _visible_filter(identity)
    if visible is not None:
        query = query.where(visible)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(cycle_branches.c.name, cycle_branches.c.branch_id)
                               .limit(limit).offset(offset)).all()
    return _classified(uow, cycle_row, rows), total


def _classified(uow: UnitOfWork, cycle_row, rows) -> list[dict]:
    cycle = _domain_cycle(cycle_row)
    ids = [r.branch_id for r in rows]
    stored, got = _scores_of(uow, cycle_row.id, ids), _inputs_by_branch(uow, cycle_row.year, ids)
    previous = _previous_levels(uow, cycle_row.year)
    out = []
    for r in rows:
        result = _classify(cycle, stored[r.branch_id], got[r.branch_id])
        branch = _branch_out(r, result, got[r.branch_id], previous.get(r.branch_id))
        branch["indicator_scores"] = {i.value: v for i, v in
                                      indicator_profile(cycle.part_weights.percent, result["parts"]).items()}
        branch["_parts"] = result["parts"]
        out.append(branch)
    return out


def cycle_results(uow: UnitOfWork, identity: Identity, cycle_id) -> tuple[dict, list[dict]]:
    """Per cycle: levels' distribution, indicator averages per part and how many branches moved,
    over the branches the caller may see; with those branches for the report."""
    cycle_row = _cycle_row(uow, cycle_id)
    query = sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)
    visible = _visible_filter(identity)
    if visible is not None:
        query = query.where(visible)
    branches = _classified(uow, cycle_row, uow.session.execute(
        query.order_by(cycle_branches.c.name, cycle_branches.c.branch_id)).all())
    moved = {c.value: 0 for c in LevelChange}
    for b in branches:
        if b["change"]:
            moved[b["change"]] += 1
    results = {
        "cycle_id": cycle_id, "year": cycle_row.year, "state": cycle_row.state, "branches": len(branches),
        "distribution": distribution(b["level"] for b in branches),
        "indicator_averages": {part.value: {i.value: v for i, v in averages(b["_parts"][part] for b in branches).items()}
                               for part in AssessmentPart},
        "moved": moved, "advanced_quota": _quotas(uow, cycle_row), "advanced": _advanced_counts(uow, cycle_row, branches)}
    return results, branches


def report_unit_name(uow: UnitOfWork, identity: Identity) -> str:
    """Whose results the caller's report holds, for its print header: the committee for the organisation
    department, else the caller's general branches, else their branches (as :func:`_visible_filter` scopes)."""
    held = next((ids for role in ("org_department", "general_branch_secretary", "branch_secretary")
                 if (ids := identity.units_with(role))), set())
    return "、".join(uow.session.execute(sa.select(units.c.name).where(units.c.id.in_([uuid.UUID(u) for u in held]))
                                        .order_by(units.c.name)).scalars())


# --- dashboards ---------------------------------------------------------------------------------

# Fewest branches whose average a branch's own secretary may see beside their own figures.
MIN_BRANCHES_FOR_AVERAGE = 3


def level_movement(uow: UnitOfWork, identity: Identity, cycle_id, from_cycle_id=None) -> dict:
    """晋位升级: the visible branches of a cycle counted by their level in an earlier cycle (by default the
    latest earlier final one) and their level now."""
    cycle_row = _cycle_row(uow, cycle_id)
    if from_cycle_id is not None:
        earlier = _cycle_row(uow, from_cycle_id)
        if earlier.year >= cycle_row.year:
            raise InvalidGrading(_("Compare with an earlier year's cycle."), {"from_cycle_id": [str(from_cycle_id)]})
    else:
        earlier = uow.session.execute(sa.select(cycles).where(
            cycles.c.year < cycle_row.year, cycles.c.state == CycleState.FINAL.value)
            .order_by(cycles.c.year.desc()).limit(1)).first()
    query = sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)
    visible = _visible_filter(identity)
    if visible is not None:
        query = query.where(visible)
    now = uow.session.execute(query).all()
    before = {}
    if earlier is not None:
        before = {r.branch_id: r.level for r in uow.session.execute(
            sa.select(cycle_branches.c.branch_id, cycle_branches.c.level)
            .where(cycle_branches.c.cycle_id == earlier.id))}
    return {"cycle_id": cycle_id, "year": cycle_row.year, "from_cycle_id": earlier.id if earlier else None,
            "from_year": earlier.year if earlier else None, "branches": len(now),
            "matrix": movement((before.get(r.branch_id), r.level) for r in now)}


def branch_profile(uow: UnitOfWork, identity: Identity, cycle_id, branch_id) -> dict:
    """A branch's seven indicators, per part and weighted over the parts, beside the cycle's averages."""
    cycle_row = _cycle_row(uow, cycle_id)
    row = _cycle_branch(uow, cycle_id, branch_id)
    if not _can_see(identity, row):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    cycle = _domain_cycle(cycle_row)
    every = _classified(uow, cycle_row, uow.session.execute(
        sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)).all())
    profiles = {}
    for b in every:
        combined = indicator_profile(cycle.part_weights.percent, b["_parts"])
        profiles[b["branch_id"]] = dict(b["_parts"], combined={i: v for i, v in combined.items() if v is not None})
    # A branch's own secretary sees an average only when it hides every other branch's figures.
    shown = len(every) >= MIN_BRANCHES_FOR_AVERAGE or _visible_filter(identity) is None or _is_superior(identity, row)
    keys = ["combined"] + list(AssessmentPart)
    means = {key: averages(p[key] for p in profiles.values()) for key in keys} if shown else None
    # How many branches each average is over: those with that part scored (combined: every part that weighs).
    over = {key: sum(1 for p in profiles.values() if p[key]) for key in keys} if shown else None
    mine = profiles[branch_id]

    def named(key):
        return key if key == "combined" else key.value

    return {"cycle_id": cycle_id, "year": cycle_row.year, "branch_id": branch_id, "name": row.name,
            "level": row.level, "average_over": {named(k): n for k, n in over.items()} if shown else None,
            "indicators": [{"code": i.value, "zh": INDICATOR_LABELS[i][0], "en": INDICATOR_LABELS[i][1],
                            "branch": {named(k): mine[k].get(i) for k in keys},
                            "average": {named(k): means[k][i] for k in keys} if means else None}
                           for i in Indicator]}

def _advanced_counts(uow: UnitOfWork, cycle_row, visible: list[dict]) -> dict:
    """How many 先进 there are (拟定 or final), to set beside the quota: over the whole cycle (a count only),
    and per general branch over the branches the caller sees."""
    overall = uow.session.execute(sa.select(sa.func.count()).select_from(cycle_branches).where(
        cycle_branches.c.cycle_id == cycle_row.id, cycle_branches.c.level == Grade.ADVANCED.value)).scalar_one()
    by_general_branch: dict[str, int] = {}
    for b in visible:
        key = str(b["general_branch_id"])
        by_general_branch[key] = by_general_branch.get(key, 0) + (b["level"] == Grade.ADVANCED.value)
    return {"overall": overall, "by_general_branch": by_general_branch}


def _quotas(uow: UnitOfWork, cycle_row) -> dict:
    """How many 先进 the cycle allows, and each general branch's share when the cap applies per general branch."""
    counts = {str(gid): n for gid, n in uow.session.execute(
        sa.select(cycle_branches.c.general_branch_id, sa.func.count())
        .where(cycle_branches.c.cycle_id == cycle_row.id).group_by(cycle_branches.c.general_branch_id))}
    cycle = _domain_cycle(cycle_row)
    return {"overall": advanced_quota(cycle.advanced_cap_percent, sum(counts.values())),
            "by_general_branch": cycle.split_advanced_quota(counts) if cycle_row.cap_per_general_branch else None}


def get_branch(uow: UnitOfWork, identity: Identity, cycle_id, branch_id) -> dict:
    cycle_row = _cycle_row(uow, cycle_id)
    row = _cycle_branch(uow, cycle_id, branch_id)
    if not _can_see(identity, row):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    stored = _scores_of(uow, cycle_id, [branch_id])[branch_id]
    [out] = _classified(uow, cycle_row, [row])
    out["scores"] = {part: {i: {"score": r.score, "evidence": r.evidence, "by": r.by, "at": r.at}
                            for i, r in given.items()} for part, given in stored.items()}
    out["changes"] = [dict(c._mapping) for c in uow.session.execute(
        sa.select(changes).where(changes.c.cycle_id == cycle_id, changes.c.branch_id == branch_id)
        .order_by(changes.c.id))]
    return out


def _log(uow: UnitOfWork, cycle_id, branch_id, what: str, old, new, actor, now, reason: str) -> None:
    uow.session.execute(sa.insert(changes).values(
        cycle_id=cycle_id, branch_id=branch_id, what=what, old=None if old is None else str(old), new=str(new),
        actor_id=uuid.UUID(actor), at=now, reason=reason))


def score_branch(uow: UnitOfWork, identity: Identity, cycle_id, branch_id, part: AssessmentPart,
                 entries: list[dict], reason: str = "", now: datetime | None = None) -> dict:
    """自评 by the branch's secretary before the deadline, or 上级评定 by its general branch's secretary."""
    now = now or datetime.now(timezone.utc)
    cycle_row = _cycle_row(uow, cycle_id, for_update=True)
    branch = _cycle_branch(uow, cycle_id, branch_id)
    if cycle_row.state != CycleState.OPEN.value:
        raise CycleStateError(_("The results are published; scores can no longer change."), {"state": [cycle_row.state]})
    today = today_in_china(now)
    if part is AssessmentPart.SELF:
        if not identity.has_role("branch_secretary", str(branch_id)):
            raise Forbidden(_("Only the branch's secretary assesses the branch."))
        if today > cycle_row.self_assessment_deadline:
            raise InvalidGrading(_("The self-assessment deadline has passed."),
                                 {"self_assessment_deadline": [cycle_row.self_assessment_deadline.isoformat()]})
    else:
        _require_superior(identity, branch)
        if cycle_row.superior_deadline is not None and today > cycle_row.superior_deadline:
            raise InvalidGrading(_("The deadline for the superior's scores has passed."),
                                 {"superior_deadline": [cycle_row.superior_deadline.isoformat()]})
    named = [entry["indicator"] for entry in entries]
    twice = sorted({i for i in named if named.count(i) > 1})
    if twice:
        raise InvalidGrading(_("Score each indicator once per request."), {i: [_("given twice")] for i in twice})
    current = _scores_of(uow, cycle_id, [branch_id])[branch_id].get(part.value, {})
    for entry in entries:
        indicator = Indicator(entry["indicator"]).value
        old = current.get(indicator)
        if old is not None:
            if old.score == entry["score"] and old.evidence == entry["evidence"]:
                continue
            uow.session.execute(sa.delete(scores).where(
                scores.c.cycle_id == cycle_id, scores.c.branch_id == branch_id, scores.c.part == part.value,
                scores.c.indicator == indicator))
        uow.session.execute(sa.insert(scores).values(
            cycle_id=cycle_id, branch_id=branch_id, part=part.value, indicator=indicator, score=entry["score"],
            evidence=entry["evidence"], by=uuid.UUID(identity.subject), at=now))
        _log(uow, cycle_id, branch_id, f"score:{part.value}:{indicator}", old.score if old else None,
             entry["score"], identity.subject, now, reason or entry["evidence"])
    return get_branch(uow, identity, cycle_id, branch_id)


def set_level(uow: UnitOfWork, identity: Identity, cycle_id, branch_id, command: dict,
              now: datetime | None = None) -> dict:
    """The general branch confirms the suggested level, or overrides it with a written reason."""
    now = now or datetime.now(timezone.utc)
    cycle_row = _cycle_row(uow, cycle_id, for_update=True)
    branch = _cycle_branch(uow, cycle_id, branch_id)
    _require_superior(identity, branch)
    if cycle_row.state != CycleState.OPEN.value:
        raise CycleStateError(_("The results are published; levels can no longer change."), {"state": [cycle_row.state]})
    reason = (command.get("reason") or "").strip()
    if command["action"] == "confirm":
        stored = _scores_of(uow, cycle_id, [branch_id])[branch_id]
        got = _inputs_by_branch(uow, cycle_row.year, [branch_id])[branch_id]
        suggested = _classify(_domain_cycle(cycle_row), stored, got)["suggested_level"]
        if suggested is None:
            raise CycleStateError(_("No suggested level yet: every part must be scored first."),
                                  {"total": [_("incomplete")]})
        level, source = suggested, "confirmed"
    else:
        if not reason:
            raise InvalidGrading(_("An override needs a written reason."), {"reason": [_("required")]})
        if not command.get("level"):
            raise InvalidGrading(_("An override names the level."), {"level": [_("required")]})
        level, source = Grade(command["level"]), "overridden"
    uow.session.execute(sa.update(cycle_branches).where(
        cycle_branches.c.cycle_id == cycle_id, cycle_branches.c.branch_id == branch_id)
        .values(level=level.value, level_source=source))
    _log(uow, cycle_id, branch_id, "level", branch.level, level.value, identity.subject, now, reason or source)
    return get_branch(uow, identity, cycle_id, branch_id)


# --- publicity (公示), objections (异议) and final results ------------------------------------

# A refusal to publish names this many branches without a level; its details carry their ids.
SHOWN_BY_NAME = 10


def objection_deadline(publicity_ends_on: date) -> datetime:
    """Objections are taken through the publicity period's last day (Shanghai): its last minute, as people read it."""
    return datetime.combine(publicity_ends_on, time(23, 59), SHANGHAI)


def publish(uow: UnitOfWork, identity: Identity, cycle_id, now: datetime | None = None) -> dict:
    """Show the results for the publicity period (公示) once every branch's level is confirmed (or overridden) by
    its general branch; refused while the 先进 exceed the cap. Every branch and general branch is told
    (grading.publicity_started) with the objection deadline."""
    now = now or datetime.now(timezone.utc)
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department publishes the results."))
    cycle_row = _cycle_row(uow, cycle_id, for_update=True)
    if cycle_row.state != CycleState.OPEN.value:
        raise CycleStateError(_("The results are already published."), {"state": [cycle_row.state]})
    rows = uow.session.execute(sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)).all()
    undecided = sorted((r for r in rows if r.level is None), key=lambda r: (r.name, str(r.branch_id)))
    if undecided:
        names = "、".join(r.name for r in undecided[:SHOWN_BY_NAME]) + ("…" if len(undecided) > SHOWN_BY_NAME else "")
        raise CycleStateError(_("{count} branches have no level confirmed by their general branch yet: {names}.",
                                count=len(undecided), names=names),
                              {"branch_ids": [str(r.branch_id) for r in undecided[:50]]})
    cycle = _domain_cycle(cycle_row)
    levels = {r.branch_id: (r.general_branch_id, Grade(r.level)) for r in rows}
    refuse_if_over_cap(cap_violations(cycle, levels, cycle_row.cap_per_general_branch))
    ends_on = today_in_china(now) + timedelta(days=cycle_row.publicity_days)
    uow.session.execute(sa.update(cycles).where(cycles.c.id == cycle_id)
                        .values(state=CycleState.PUBLICITY.value, publicity_ends_on=ends_on))
    uow.record("grading.publicity_started", cycle_id, {
        "cycle_id": cycle_id, "year": cycle_row.year, "branch_ids": [r.branch_id for r in rows],
        "general_branch_ids": sorted({r.general_branch_id for r in rows if r.general_branch_id is not None}, key=str),
        "publicity_ends_on": ends_on, "objection_deadline": objection_deadline(ends_on)})
    return get_cycle(uow, cycle_id)


def set_publicity_access(uow: UnitOfWork, identity: Identity, cycle_id, without_login: bool) -> dict:
    """组织部 chooses whether the cycle's publicity list is also shown without login on the campus network
    (在一定范围公之于众: the networks are the PUBLICITY_OPEN_NETWORKS setting)."""
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department decides who may read the publicity list."))
    _cycle_row(uow, cycle_id, for_update=True)
    uow.session.execute(sa.update(cycles).where(cycles.c.id == cycle_id)
                        .values(publicity_without_login=without_login))
    return get_cycle(uow, cycle_id)


def publicity_list(uow: UnitOfWork, identity: Identity, cycle_id, limit: int, offset: int,
                   filters: dict | None = None, from_open_network: bool = False):
    """公示: once published, every branch's level is shown to every person of the organisation, so that anyone
    may lodge an objection (广泛听取党员群众意见) — nothing else about the branch is in it. Someone not logged in
    reads it only from the campus network (``from_open_network``; elsewhere not even whether the cycle exists) and
    only when 组织部 chose so for the cycle; so does a kiosk, which is no person of the organisation.
    Returns the rows, their total and the cycle (its year, state and last day of publicity)."""
    outsider = identity.kind != "person"
    if outsider and not from_open_network:
        raise LoginRequired(_("Without login, this publicity list is shown only on the campus network: "
                              "log in to read it."))
    cycle_row = _cycle_row(uow, cycle_id)
    if outsider and not cycle_row.publicity_without_login:
        raise LoginRequired(_("This publicity list is shown to the organisation's people only: log in to read it."))
    if cycle_row.state == CycleState.OPEN.value:
        raise CycleStateError(_("The results are not published yet."), {"state": [cycle_row.state]})
    query = (sa.select(cycle_branches.c.branch_id, cycle_branches.c.name, cycle_branches.c.general_branch_id,
                       cycle_branches.c.level)
             .where(cycle_branches.c.cycle_id == cycle_id))
    query = _branch_filters(query, filters)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(cycle_branches.c.name, cycle_branches.c.branch_id)
                               .limit(limit).offset(offset)).all()
    cycle = {"year": cycle_row.year, "state": cycle_row.state, "publicity_ends_on": cycle_row.publicity_ends_on}
    return [r._asdict() for r in rows], total, cycle


def lodge_objection(uow: UnitOfWork, identity: Identity, cycle_id, branch_id, text: str,
                    now: datetime | None = None) -> dict:
    """Any person may object to any branch's published level until the publicity period's last day."""
    now = now or datetime.now(timezone.utc)
    cycle_row = _cycle_row(uow, cycle_id)
    _cycle_branch(uow, cycle_id, branch_id)
    if cycle_row.state != CycleState.PUBLICITY.value:
        raise CycleStateError(_("Objections are lodged during the publicity period."),
                              {"state": [cycle_row.state]})
    if today_in_china(now) > cycle_row.publicity_ends_on:
        raise CycleStateError(_("The publicity period has ended."),
                              {"publicity_ends_on": [cycle_row.publicity_ends_on.isoformat()]})
    objection_id = uuid.uuid4()
    uow.session.execute(sa.insert(objections).values(
        id=objection_id, cycle_id=cycle_id, branch_id=branch_id, text=text, lodged_by=uuid.UUID(identity.subject),
        lodged_at=now))
    return _objection(uow, objection_id)


def _objection(uow: UnitOfWork, objection_id) -> dict:
    row = uow.session.execute(sa.select(objections).where(objections.c.id == objection_id)).first()
    if row is None:
        raise NotFound(_("No such objection."))
    return dict(row._mapping)


def answer_objection(uow: UnitOfWork, identity: Identity, cycle_id, objection_id, answer: str,
                     now: datetime | None = None) -> dict:
    now = now or datetime.now(timezone.utc)
    objection = _objection(uow, objection_id)
    if objection["cycle_id"] != cycle_id:
        raise NotFound(_("No such objection."))
    branch = _cycle_branch(uow, cycle_id, objection["branch_id"])
    if not (identity.has_role("org_department") or _is_superior(identity, branch)):
        raise Forbidden(_("The general branch or the organisation department answers an objection."))
    if objection["answer"] is not None:
        raise CycleStateError(_("This objection is already answered."), {"objection_id": [str(objection_id)]})
    uow.session.execute(sa.update(objections).where(objections.c.id == objection_id)
                        .values(answer=answer, answered_by=uuid.UUID(identity.subject), answered_at=now))
    return _objection(uow, objection_id)


def list_objections(uow: UnitOfWork, identity: Identity, cycle_id, limit: int, offset: int,
                    filters: dict | None = None):
    """The objections this person may read; ``filters``: ``mine`` (those I lodged), ``answered`` (true or
    false), ``branch_id``."""
    _cycle_row(uow, cycle_id)
    filters = filters or {}
    query = sa.select(objections).where(objections.c.cycle_id == cycle_id)
    if filters.get("mine"):
        query = query.where(objections.c.lodged_by == uuid.UUID(identity.subject))
    if filters.get("answered") is not None:
        query = query.where(objections.c.answer.is_not(None) if filters["answered"] else objections.c.answer.is_(None))
    if filters.get("branch_id"):
        query = query.where(objections.c.branch_id == filters["branch_id"])
    visible = _visible_filter(identity)
    if visible is not None:
        # The secretaries' branches, and whatever this person lodged (to read the answer).
        query = query.where(sa.or_(objections.c.branch_id.in_(
            sa.select(cycle_branches.c.branch_id).where(cycle_branches.c.cycle_id == cycle_id, visible)),
            objections.c.lodged_by == uuid.UUID(identity.subject)))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(objections.c.lodged_at, objections.c.id).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows], total


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
    rows = uow.session.execute(sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)).all()
    cycle = _domain_cycle(cycle_row)
    ids = [r.branch_id for r in rows]
    stored, got = _scores_of(uow, cycle_id, ids), _inputs_by_branch(uow, cycle_row.year, ids)
    previous = _previous_levels(uow, cycle_row.year)
    for row in rows:
        total = _classify(cycle, stored[row.branch_id], got[row.branch_id])["total"]
        # An overridden branch may lack a part; its published total is what was computed, else 0.
        total = total if total is not None else 0.0
        uow.session.execute(sa.update(cycle_branches).where(
            cycle_branches.c.cycle_id == cycle_id, cycle_branches.c.branch_id == row.branch_id)
            .values(final_total=total))
        uow.record("grading.level_finalised", row.branch_id, {
            "cycle_id": cycle_id, "year": cycle_row.year, "branch_id": row.branch_id, "grade": row.level,
            "previous_grade": previous.get(row.branch_id), "total": total})
    uow.session.execute(sa.update(cycles).where(cycles.c.id == cycle_id)
                        .values(state=CycleState.FINAL.value, finalised_at=now))
    return get_cycle(uow, cycle_id)


def _previous_levels(uow: UnitOfWork, year: int) -> dict:
    """Each branch's final level in its latest earlier final cycle."""
    rows = uow.session.execute(
        sa.select(cycle_branches.c.branch_id, cycle_branches.c.level, cycles.c.year)
        .join(cycles, cycles.c.id == cycle_branches.c.cycle_id)
        .where(cycles.c.state == CycleState.FINAL.value, cycles.c.year < year).order_by(cycles.c.year)).all()
    return {r.branch_id: r.level for r in rows}


# --- history (晋位升级) --------------------------------------------------------------------------

def branch_history(uow: UnitOfWork, identity: Identity, branch_id) -> list[dict]:
    """A branch's final level by year and its change (晋位/持平/降位)."""
    rows = uow.session.execute(
        sa.select(cycle_branches, cycles.c.year).join(cycles, cycles.c.id == cycle_branches.c.cycle_id)
        .where(cycle_branches.c.branch_id == branch_id, cycles.c.state == CycleState.FINAL.value)
        .order_by(cycles.c.year)).all()
    if not rows:
        if DirectoryView(uow.session).unit(branch_id) is None:
            raise NotFound(_("No such branch."))
        return []
    if not _can_see(identity, rows[-1]):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    out, previous = [], None
    for row in rows:
        change = level_change(previous, Grade(row.level))
        out.append({"year": row.year, "cycle_id": row.cycle_id, "level": row.level,
                    "level_zh": GRADE_LABELS[Grade(row.level)], "total": row.final_total,
                    "change": change.value if change else None,
                    "change_zh": CHANGE_LABELS[change] if change else None})
        previous = Grade(row.level)
    return out


# --- rectification (整改提高) and acceptance (考核验收) -----------------------------------------

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
