"""差评整改 FollowupCase: a bad rating's or a complaint's follow-up case, opened (one feedback.negative per place),
listed, read and closed (one, or a batch) by whoever answers for it or oversees it, and escalated once overdue (the
job)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory
from pacesetter_shared.workdays import WorkingCalendar

from ..adapters.tables import followup_cases
from ..domain.model import EvaluationError
from ..domain.ratings import FOLLOWUP_WORKING_DAYS, UNCLOSED_CASE_STATES, followup_deadline
from .rounds import NotFound


class CaseClosed(EvaluationError):
    pass


def case_row(window, level: int, reasons: list[str], now: datetime, *, rating_id=None, suggestion_id=None,
             unit_id=None, responsible_id=None, working_days: int = FOLLOWUP_WORKING_DAYS,
             calendar: WorkingCalendar | None = None) -> dict:
    """差评整改: the window's responsible person (or, for a complaint to a unit without a window, the
    unit's branch secretary) answers within the working days set."""
    return {"id": uuid.uuid4(), "rating_id": rating_id, "suggestion_id": suggestion_id,
            "window_id": window.id if window is not None else None,
            "unit_id": window.unit_id if window is not None else unit_id,
            "responsible_id": window.responsible_id if window is not None else responsible_id,
            "source": "rating" if rating_id is not None else "suggestion", "level": level, "reasons": reasons,
            "state": "open", "deadline": followup_deadline(now, working_days, calendar), "opened_at": now}


_PLACE = ("window_id", "unit_id", "responsible_id", "source")  # what one feedback.negative's cases share


def open_cases(uow: UnitOfWork, cases: list[dict]) -> list[uuid.UUID]:
    """The cases in one INSERT, announced in one feedback.negative per place and source: a kiosk's batch with
    five bad ratings is one event and one notice, not five. Each case keeps its own deadline (closed or
    escalated on its own, by its own events)."""
    if cases:
        uow.session.execute(sa.insert(followup_cases), cases)
    places: dict[tuple, list[dict]] = {}
    for case in cases:
        places.setdefault(tuple(case[k] for k in _PLACE), []).append(case)
    for place, opened in places.items():
        facts = dict(zip(_PLACE, place))
        uow.record("feedback.negative", facts["window_id"] or facts["unit_id"], {**facts, "cases": [
            {"case_id": case["id"], **{k: case[k] for k in ("level", "reasons", "deadline")}} for case in opened]})
    return [case["id"] for case in cases]


def open_case(uow: UnitOfWork, window, level: int, reasons: list[str], now: datetime, **facts) -> uuid.UUID:
    return open_cases(uow, [case_row(window, level, reasons, now, **facts)])[0]


def _case_facts(case) -> dict:
    return {"case_id": case.id, "window_id": case.window_id, "unit_id": case.unit_id,
            "responsible_id": case.responsible_id, "source": case.source}


def _may_follow_up(identity: Identity, directory: DirectoryView, case) -> bool:
    """The window's responsible person, the general branch over its unit, the organisation department."""
    if identity.kind != "person":
        return False
    if case.responsible_id is not None and str(case.responsible_id) == identity.subject:
        return True
    if identity.has_role("org_department"):
        return True
    return any(identity.has_role(role, str(u.id)) for u in directory.ancestors(case.unit_id)
               for role in ("general_branch_secretary", "branch_secretary"))


# A case with its window's name: a secretary over several windows must tell which one it is about.
_CASES = sa.select(followup_cases, windows.c.name.label("window_name")).outerjoin(
    windows, windows.c.id == followup_cases.c.window_id)


# 按紧急程度: the unclosed cases first, the earliest deadline first (so the overdue ones lead), then the
# closed ones, the latest closed first
_CASE_ORDERS = {
    "urgency": (sa.case((followup_cases.c.state == "closed", 1), else_=0),
                sa.case((followup_cases.c.state != "closed", followup_cases.c.deadline)),
                followup_cases.c.closed_at.desc(), followup_cases.c.opened_at.desc()),
    "deadline": (followup_cases.c.deadline,),
    "-deadline": (followup_cases.c.deadline.desc(),),
    "opened_at": (followup_cases.c.opened_at,),
    "-opened_at": (followup_cases.c.opened_at.desc(),),
}


def list_cases(uow: UnitOfWork, identity: Identity, *, state: list[str] | str | None = None, window_id=None,
               overdue: bool | None = None, deadline_after: datetime | None = None,
               deadline_before: datetime | None = None, sort: str = "urgency", limit: int, offset: int,
               now: datetime | None = None):
    """The follow-up cases I answer for or oversee (my units and the units below), filtered, in the order
    asked for; the total counts every case that matches, not only the page."""
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    query = _CASES.order_by(*_CASE_ORDERS[sort], followup_cases.c.id)
    if state:
        query = query.where(followup_cases.c.state.in_([state] if isinstance(state, str) else list(state)))
    if window_id is not None:
        query = query.where(followup_cases.c.window_id == window_id)
    if overdue is not None:  # case_overdue, as SQL
        late = sa.and_(followup_cases.c.state.in_(UNCLOSED_CASE_STATES), followup_cases.c.deadline <= now)
        query = query.where(late if overdue else sa.not_(late))
    if deadline_after is not None:
        query = query.where(followup_cases.c.deadline >= deadline_after)
    if deadline_before is not None:
        query = query.where(followup_cases.c.deadline < deadline_before)
    if not identity.has_role("org_department"):
        units = {u.id for role in ("general_branch_secretary", "branch_secretary")
                 for unit in identity.units_with(role) for u in directory.descendants(uuid.UUID(unit))}
        query = query.where(sa.or_(followup_cases.c.responsible_id == uuid.UUID(identity.subject),
                                   followup_cases.c.unit_id.in_(units)))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    return uow.session.execute(query.limit(limit).offset(offset)).all(), total


def get_case(uow: UnitOfWork, identity: Identity, case_id):
    """One case, for those who answer for it or oversee it (a notice links to it); to anyone else there is none."""
    case = uow.session.execute(_CASES.where(followup_cases.c.id == case_id)).first()
    if case is None or not _may_follow_up(identity, DirectoryView(uow.session), case):
        raise NotFound(_("No such follow-up case."))
    return case


def close_case(uow: UnitOfWork, identity: Identity, case_id, action_taken: str, called_back: bool,
               now: datetime | None = None):
    """整改完成: what was done, and whether the rater was called back (回访)."""
    now = now or datetime.now(timezone.utc)
    query = sa.select(followup_cases).where(followup_cases.c.id == case_id)
    if uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    case = uow.session.execute(query).first()
    if case is None or not _may_follow_up(identity, DirectoryView(uow.session), case):
        raise NotFound(_("No such follow-up case."))
    if case.state == "closed":
        raise CaseClosed(_("This case is closed already."), {"state": [case.state]})
    uow.session.execute(sa.update(followup_cases).where(followup_cases.c.id == case_id).values(
        state="closed", closed_at=now, closed_by=uuid.UUID(identity.subject), action_taken=action_taken,
        called_back=called_back))
    uow.record("feedback.followup_closed", case_id, _case_facts(case) | {
        "called_back": called_back, "action_taken": action_taken})
    return uow.session.execute(_CASES.where(followup_cases.c.id == case_id)).first()


# what a case that cannot be closed answers in a batch: the code the single close would answer with
CLOSE_ERRORS = {NotFound: "not_found", CaseClosed: "case_closed"}


def close_cases(uow: UnitOfWork, identity: Identity, case_ids: list, action_taken: str, called_back: bool,
                now: datetime | None = None) -> dict:
    """批量办结: several cases with the same result, each closed exactly as ``close_case`` closes one (the same
    rules, the same event), or said why not; the others are closed all the same. Locked in the order of
    their ids, so that two batches over the same cases never wait on each other in a circle."""
    now = now or datetime.now(timezone.utc)
    outcomes = {}
    for case_id in sorted(set(case_ids), key=str):
        try:
            case = close_case(uow, identity, case_id, action_taken, called_back, now)
            outcomes[case_id] = {"id": case_id, "status": "closed", "case": case, "error": None}
        except tuple(CLOSE_ERRORS) as exc:
            outcomes[case_id] = {"id": case_id, "status": "failed", "case": None, "error": {
                "code": CLOSE_ERRORS[type(exc)], "message": exc.args[0], "details": exc.details}}
    items = [outcomes[case_id] for case_id in case_ids]
    closed = sum(1 for item in items if item["status"] == "closed")
    return {"closed": closed, "failed": len(items) - closed, "items": items}


def escalate_overdue_cases(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Open cases past their deadline go up to the general branch, each once (the state says so)."""
    with uow_factory() as uow:
        query = sa.select(followup_cases).where(followup_cases.c.state == "open", followup_cases.c.deadline <= now)
        if uow.session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        due = uow.session.execute(query).all()
        for case in due:
            uow.session.execute(sa.update(followup_cases).where(followup_cases.c.id == case.id)
                                .values(state="escalated", escalated_at=now))
            uow.record("feedback.followup_overdue", case.id, _case_facts(case) | {"deadline": case.deadline})
    return len(due)
