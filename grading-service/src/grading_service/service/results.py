"""A cycle's results (分类定级结果): the levels' distribution, indicator averages and 先进 against the quota, the
report's figures, and the dashboards: movement between years (晋位升级) and a branch's profile beside the averages."""
from __future__ import annotations

import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator

import sqlalchemy as sa

from pacesetter_shared.directory import units
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycle_branches, cycles
from ..domain.classification import (
    CycleState, IndicatorMeans, LevelChange, averages, distribution, indicator_profile, movement,
)
from ..domain.model import INDICATOR_LABELS, AssessmentPart, Grade, Indicator, InvalidGrading, advanced_quota
from ._common import Forbidden
from .cycles import _can_see, _cycle_branch, _cycle_row, _domain_cycle, _is_superior, _visible_filter
from .scoring import _classified


def cycle_results(uow: UnitOfWork, identity: Identity, cycle_id) -> dict:
    """Per cycle: levels' distribution, indicator averages per part and how many branches moved,
    over the branches the caller may see."""
    return cycle_report(uow, identity, cycle_id)[2]()


def cycle_report(uow: UnitOfWork, identity: Identity, cycle_id) -> tuple[int, Iterator[dict], Callable[[], dict]]:
    """The report of a cycle over the branches the caller may see: its year, its branches classified in order of
    name and streamed, and its figures (as :func:`cycle_results`), counted as the branches go past: a system's
    fifty thousand branches are never held at once (issue 24). The figures read whatever branches are left first."""
    cycle_row = _cycle_row(uow, cycle_id)
    query = sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)
    visible = _visible_filter(identity)
    if visible is not None:
        query = query.where(visible)
    tally = _Tally()

    def branches() -> Iterator[dict]:
        for branch in _classified(uow, cycle_row, query):
            tally.add(branch)
            yield branch
    streamed = branches()

    def figures() -> dict:
        deque(streamed, maxlen=0)
        return {"cycle_id": cycle_id, "year": cycle_row.year, "state": cycle_row.state, "branches": tally.branches,
                "distribution": distribution(tally.levels.elements()),
                "indicator_averages": {part.value: {i.value: v for i, v in means.means().items()}
                                       for part, means in tally.means.items()},
                "moved": tally.moved, "advanced_quota": _quotas(uow, cycle_row),
                "advanced": _advanced_counts(uow, cycle_row, tally.advanced_by_general_branch)}
    return cycle_row.year, streamed, figures


class _Tally:
    """A cycle's figures over its branches, counted a branch at a time."""

    def __init__(self):
        self.branches = 0
        self.levels: Counter = Counter()
        self.moved = {c.value: 0 for c in LevelChange}
        self.means = {part: IndicatorMeans() for part in AssessmentPart}
        self.advanced_by_general_branch: dict[str, int] = {}

    def add(self, branch: dict) -> None:
        self.branches += 1
        self.levels[branch["level"]] += 1
        if branch["change"]:
            self.moved[branch["change"]] += 1
        for part, means in self.means.items():
            means.add(branch["_parts"][part])
        key = str(branch["general_branch_id"])
        self.advanced_by_general_branch[key] = (self.advanced_by_general_branch.get(key, 0)
                                                + (branch["level"] == Grade.ADVANCED.value))


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
    every = _classified(uow, cycle_row, sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id))
    profiles = {}
    for b in every:
        combined = indicator_profile(cycle.part_weights.percent, b["_parts"])
        profiles[b["branch_id"]] = dict(b["_parts"], combined={i: v for i, v in combined.items() if v is not None})
    # A branch's own secretary sees an average only when it hides every other branch's figures.
    shown = (len(profiles) >= MIN_BRANCHES_FOR_AVERAGE or _visible_filter(identity) is None
             or _is_superior(identity, row))
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

def _advanced_counts(uow: UnitOfWork, cycle_row, by_general_branch: dict[str, int]) -> dict:
    """How many 先进 there are (拟定 or final), to set beside the quota: over the whole cycle (a count only),
    and per general branch over the branches the caller sees (``by_general_branch``, counted as they went past)."""
    overall = uow.session.execute(sa.select(sa.func.count()).select_from(cycle_branches).where(
        cycle_branches.c.cycle_id == cycle_row.id, cycle_branches.c.level == Grade.ADVANCED.value)).scalar_one()
    return {"overall": overall, "by_general_branch": by_general_branch}


def _quotas(uow: UnitOfWork, cycle_row) -> dict:
    """How many 先进 the cycle allows, and each general branch's share when the cap applies per general branch."""
    counts = {str(gid): n for gid, n in uow.session.execute(
        sa.select(cycle_branches.c.general_branch_id, sa.func.count())
        .where(cycle_branches.c.cycle_id == cycle_row.id).group_by(cycle_branches.c.general_branch_id))}
    cycle = _domain_cycle(cycle_row)
    return {"overall": advanced_quota(cycle.advanced_cap_percent, sum(counts.values())),
            "by_general_branch": cycle.split_advanced_quota(counts) if cycle_row.cap_per_general_branch else None}
