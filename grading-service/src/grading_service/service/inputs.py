"""The inputs of a branch's classification from other services' events (评定输入): evaluation rounds (党员群众评议),
windows' satisfaction (群众评价), pledge figures (工作业绩) and last year's acceptance (考核验收) — each source's
latest state kept, out-of-order and duplicate tolerant."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.db import insert_ignoring
from pacesetter_shared.directory import units
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycles, inputs
from ..domain.classification import PledgeFigures


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


def _no_inputs() -> dict:
    """A branch's inputs before any is taken."""
    return {"rounds": [], "months": [], "pledges": None, "acceptance": None}


def _take_input(got: dict, row) -> None:
    if row.kind == "evaluation":
        got["rounds"].append(row.payload["score"])
    elif row.kind == "satisfaction" and row.payload["ratings"] is not None:
        got["months"].append((row.payload["satisfied"], row.payload["ratings"]))
    elif row.kind == "pledges":
        got["pledges"] = PledgeFigures(**row.payload)
    elif row.kind == "acceptance":
        got["acceptance"] = row.payload


def _year_inputs(year: int):
    """A classification's inputs: the year's, and last year's acceptance (考核验收)."""
    return sa.or_(inputs.c.year == year, sa.and_(inputs.c.kind == "acceptance", inputs.c.year == year - 1))


def _inputs_in_branch_order(year: int, branches) -> sa.Select:
    """The year's inputs with the cycle branch each belongs to (``branches``: a FROM of the cycle's branches with
    branch_id and name), in the branches' order (name, branch_id) so that they merge with them as both stream.

    A unit's branch is itself or the nearest branch above it (a group's), and an input of a unit the directory
    does not know is its own unit's."""
    walk = (sa.select(units.c.id.label("unit_id"), units.c.id, units.c.kind, units.c.parent_id)
            .where(units.c.id.in_(sa.select(inputs.c.unit_id).where(_year_inputs(year))))
            .cte("unit_walk", recursive=True))
    above = units.alias("above")
    walk = walk.union(sa.select(walk.c.unit_id, above.c.id, above.c.kind, above.c.parent_id)
                      .join(above, above.c.id == walk.c.parent_id).where(walk.c.kind != "branch"))
    branch_of = sa.select(walk.c.unit_id, walk.c.id.label("branch_id")).where(walk.c.kind == "branch").subquery()
    return (sa.select(branches.c.branch_id, inputs.c.kind, inputs.c.payload)
            .select_from(inputs)
            .outerjoin(branch_of, branch_of.c.unit_id == inputs.c.unit_id)
            .join(branches, branches.c.branch_id == sa.func.coalesce(branch_of.c.branch_id, inputs.c.unit_id))
            .where(_year_inputs(year))
            .order_by(branches.c.name, branches.c.branch_id, inputs.c.source))
