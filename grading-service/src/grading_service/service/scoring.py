"""Scoring and classifying a cycle's branches (分类定级): 自评 and 上级评定, the suggested level from every part,
the general branch's confirmed or overridden level (拟定), every change logged with who, when and why."""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from operator import attrgetter

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import changes, cycle_branches, cycles, scores
from ..domain.classification import (
    CycleState, CycleStateError, indicator_profile, level_change, members_and_masses_scores, satisfaction_score,
)
from ..domain.model import AssessmentPart, Grade, GradingCycle, Indicator, InvalidGrading
from ._common import Forbidden, today_in_china
from .cycles import _can_see, _cycle_branch, _cycle_row, _domain_cycle, _require_superior, _visible_filter
from .inputs import _inputs_in_branch_order, _no_inputs, _take_input


def _scores_of(uow: UnitOfWork, cycle_id, branch_ids) -> dict:
    found: dict = {b: {} for b in branch_ids}
    query = sa.select(scores).where(scores.c.cycle_id == cycle_id)
    if len(found) <= 500:
        query = query.where(scores.c.branch_id.in_(list(found)))
    for row in uow.session.execute(query):
        if row.branch_id in found:
            found[row.branch_id].setdefault(row.part, {})[row.indicator] = row
    return found


def _classify(cycle: GradingCycle, scored: dict, got: dict) -> dict:
    """A branch's parts, total and suggested level; total and level stay None until every part is complete.
    ``scored`` holds the scores of 自评 and 上级评定 by part ("self", "superior") and indicator."""
    masses = members_and_masses_scores(got["rounds"], satisfaction_score(got["months"]), got["pledges"])
    parts = {AssessmentPart.SELF: scored.get("self", {}), AssessmentPart.SUPERIOR: scored.get("superior", {}),
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
    page = query.order_by(cycle_branches.c.name, cycle_branches.c.branch_id).limit(limit).offset(offset)
    return [_with_profile(cycle_row, b) for b in _classified(uow, cycle_row, page)], total


def _with_profile(cycle_row, branch: dict) -> dict:
    """A listed branch with its score per indicator over the parts (the list's and the branch's own view)."""
    weights = _domain_cycle(cycle_row).part_weights.percent
    branch["indicator_scores"] = {i.value: v for i, v in indicator_profile(weights, branch["_parts"]).items()}
    return branch


# Rows a server-side cursor hands over at a time: a cycle's report reads every branch, and holding fifty thousand
# branches' rows took ~700 MB (issue 24).
STREAMED_ROWS = 2000
# The parts a branch's scores are stored for (自评, 上级评定), by indicator: the columns of a branch's row.
SCORED = tuple((part.value, indicator) for part in (AssessmentPart.SELF, AssessmentPart.SUPERIOR)
               for indicator in Indicator)


def _classified(uow: UnitOfWork, cycle_row, branches_query) -> Iterator[dict]:
    """The branches of ``branches_query`` (a select of the cycle's branches) in order of name, each with its parts'
    scores (``_parts``), totals, suggested level and last final level, streamed: each branch read through a
    server-side cursor with its scores side by side (one row, not fourteen) and its last final level, its inputs
    through another in the same order, merged as they come. One way for a page, a branch and a system's fifty
    thousand (issue 24): only the branches asked for are read, each query narrowed to them."""
    cycle = _domain_cycle(cycle_row)
    listed = branches_query.subquery("listed")
    asked = sa.select(listed.c.branch_id)
    # Each branch's level in its latest earlier final cycle (the latest year wins); joined, not asked for
    # branch by branch (a subquery per row made PostgreSQL's plan costly enough to spend seconds compiling it).
    earlier = (sa.select(cycle_branches.c.branch_id, cycle_branches.c.level, sa.func.row_number().over(
        partition_by=cycle_branches.c.branch_id, order_by=cycles.c.year.desc()).label("latest"))
        .join(cycles, cycles.c.id == cycle_branches.c.cycle_id)
        .where(cycles.c.state == CycleState.FINAL.value, cycles.c.year < cycle_row.year,
               cycle_branches.c.branch_id.in_(asked)).subquery("earlier"))
    given = (sa.select(scores.c.branch_id, *(
        sa.func.max(sa.case((sa.and_(scores.c.part == part, scores.c.indicator == indicator.value), scores.c.score)))
        .label(f"{part}:{indicator.value}") for part, indicator in SCORED))
        .where(scores.c.cycle_id == cycle_row.id, scores.c.branch_id.in_(asked))
        .group_by(scores.c.branch_id).subquery("given"))
    streamed = {"yield_per": STREAMED_ROWS}
    branches = uow.session.execute(
        sa.select(listed, earlier.c.level.label("previous_level"), *(given.c[f"{p}:{i.value}"] for p, i in SCORED))
        .outerjoin(earlier, sa.and_(earlier.c.branch_id == listed.c.branch_id, earlier.c.latest == 1))
        .outerjoin(given, given.c.branch_id == listed.c.branch_id)
        .order_by(listed.c.name, listed.c.branch_id), execution_options=streamed)
    inputs_of = _grouped_by_branch(uow.session.execute(
        _inputs_in_branch_order(cycle_row.year, listed), execution_options=streamed))
    first_score = len(listed.c) + 1
    for row in branches:
        scored: dict = {}
        for (part, indicator), score in zip(SCORED, row[first_score:]):
            if score is not None:
                scored.setdefault(part, {})[indicator] = score
        got = _no_inputs()
        for found in inputs_of(row.branch_id):
            _take_input(got, found)
        result = _classify(cycle, scored, got)
        branch = _branch_out(row, result, got, row.previous_level)
        branch["_parts"] = result["parts"]
        yield branch


def _one_classified(uow: UnitOfWork, cycle_row, branch_id) -> dict:
    [branch] = _classified(uow, cycle_row, sa.select(cycle_branches).where(
        cycle_branches.c.cycle_id == cycle_row.id, cycle_branches.c.branch_id == branch_id))
    return branch


def _grouped_by_branch(rows) -> Callable[[object], list]:
    """Rows in the branches' order, taken a branch at a time: the rows of that branch, none if it has none."""
    groups = itertools.groupby(rows, key=attrgetter("branch_id"))
    head = next(groups, None)

    def of(branch_id) -> list:
        nonlocal head
        if head is None or head[0] != branch_id:
            return []
        found = list(head[1])
        head = next(groups, None)
        return found
    return of


def get_branch(uow: UnitOfWork, identity: Identity, cycle_id, branch_id) -> dict:
    cycle_row = _cycle_row(uow, cycle_id)
    row = _cycle_branch(uow, cycle_id, branch_id)
    if not _can_see(identity, row):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    stored = _scores_of(uow, cycle_id, [branch_id])[branch_id]
    out = _with_profile(cycle_row, _one_classified(uow, cycle_row, branch_id))
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
        suggested = _one_classified(uow, cycle_row, branch_id)["suggested_level"]
        if suggested is None:
            raise CycleStateError(_("No suggested level yet: every part must be scored first."),
                                  {"total": [_("incomplete")]})
        level, source = Grade(suggested), "confirmed"
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
