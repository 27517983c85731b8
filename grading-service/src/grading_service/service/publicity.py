"""Publicity (公示) and objections (异议): publishing a cycle's levels once every branch has one within the 先进 cap,
who may read the publicity list (also without login, from the campus network), and objections with their answers."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycle_branches, cycles, objections
from ..domain.classification import CycleState, CycleStateError, cap_violations, refuse_if_over_cap
from ..domain.model import Grade
from ._common import SHANGHAI, Forbidden, LoginRequired, NotFound, today_in_china
from .cycles import _cycle_branch, _cycle_row, _domain_cycle, _is_superior, _visible_filter, get_cycle
from .scoring import _branch_filters


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
