"""申诉复核 Appeal: the window's responsible person appeals a rating or a note, the general branch over the window
(or 组织部) upholds it (the rating or note leaves statistics and rankings, and stays stored) or rejects it, and
the appeals audit (申诉复核台账)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import appeals, suggestions, window_ratings
from ..domain.feedback import PENDING, AppealDecision, IllegalStep, decide
from ..domain.ratings import SHANGHAI
from .rounds import Forbidden, NotFound
from .suggestions import _lock


def _file(uow: UnitOfWork, identity: Identity, window_id, target: dict, reason: str, now):
    """An appeal by the window's responsible person, one pending at a time per rating or note."""
    window = window_id and uow.session.execute(sa.select(windows).where(windows.c.id == window_id)).first()
    if not window or identity.kind != "person" or str(window.responsible_id) != identity.subject:
        raise NotFound(_("Nothing of that kind at a window you answer for."))
    (column, value), = target.items()
    pending = uow.session.execute(sa.select(appeals.c.id).where(
        appeals.c[column] == value, appeals.c.decision.is_(None))).first()
    if pending is not None:
        raise IllegalStep(_("This is under appeal already."), {column: [str(value)]})
    appeal_id = uuid.uuid4()
    uow.session.execute(sa.insert(appeals).values(
        id=appeal_id, **target, appellant_id=uuid.UUID(identity.subject), reason=reason,
        filed_at=now or datetime.now(timezone.utc)))
    return uow.session.execute(sa.select(appeals).where(appeals.c.id == appeal_id)).first()


def appeal_rating(uow: UnitOfWork, identity: Identity, rating_id: int, reason: str, now: datetime | None = None):
    """申诉复核 of a rating the window's responsible person believes mistaken or malicious."""
    window_id = uow.session.execute(sa.select(window_ratings.c.window_id)
                                    .where(window_ratings.c.id == rating_id)).scalar()
    return _file(uow, identity, window_id, {"rating_id": rating_id}, reason, now)


def appeal_note(uow: UnitOfWork, identity: Identity, note_id, reason: str, now: datetime | None = None):
    """申诉复核 of a note to a window."""
    window_id = uow.session.execute(sa.select(suggestions.c.window_id).where(suggestions.c.id == note_id)).scalar()
    return _file(uow, identity, window_id, {"suggestion_id": note_id}, reason, now)


def _refuse_own_cause(uow: UnitOfWork, identity: Identity, appeal, window_id) -> None:
    """Nobody judges their own cause: not whoever filed the appeal (even once the window changed hands), not
    the window's responsible person now."""
    if str(appeal.appellant_id) == identity.subject:
        raise Forbidden(_("You filed this appeal: someone else decides it."))
    responsible = window_id and uow.session.execute(
        sa.select(windows.c.responsible_id).where(windows.c.id == window_id)).scalar()
    if responsible is not None and str(responsible) == identity.subject:
        raise Forbidden(_("You answer for this window: someone else decides its appeals."))


def decide_appeal(uow: UnitOfWork, identity: Identity, appeal_id, decision: str, note: str,
                  now: datetime | None = None):
    """The general branch over the window upholds or rejects; what is upheld leaves the statistics and
    rankings, and stays stored with the decision and who made it."""
    found = uow.session.execute(_lock(uow, sa.select(appeals).where(appeals.c.id == appeal_id))).first()
    appealed = None
    if found is not None:
        table, key = ((window_ratings, found.rating_id) if found.rating_id is not None
                      else (suggestions, found.suggestion_id))
        appealed = uow.session.execute(sa.select(table.c.id, table.c.unit_id, table.c.window_id)
                                       .where(table.c.id == key)).first()
    general_branch = appealed and DirectoryView(uow.session).general_branch_of(appealed.unit_id)
    allowed = appealed is not None and identity.kind == "person" and (
        identity.has_role("org_department")
        or (general_branch is not None and identity.has_role("general_branch_secretary", str(general_branch.id))))
    if not allowed:
        raise NotFound(_("No such appeal for you to decide."))
    _refuse_own_cause(uow, identity, found, appealed.window_id)
    verdict = decide(found.decision, decision, note)
    uow.session.execute(sa.update(appeals).where(appeals.c.id == appeal_id).values(
        decision=verdict.value, decision_note=note, decided_by=uuid.UUID(identity.subject),
        decided_at=now or datetime.now(timezone.utc)))
    if verdict is AppealDecision.UPHELD:
        uow.session.execute(sa.update(table).where(table.c.id == appealed.id).values(excluded=True))
    return uow.session.execute(sa.select(appeals).where(appeals.c.id == appeal_id)).first()


_APPELLANT, _DECIDER = persons.alias("appellant"), persons.alias("decider")
# The appeals against ratings with what the audit shows of each: names of who filed and who decided, and the
# rating's window, level and time. Never its device, client or member on duty: ratings stay anonymous.
_RATING_APPEALS = (
    sa.select(appeals, _APPELLANT.c.name.label("appellant_name"), _DECIDER.c.name.label("decided_by_name"),
              window_ratings.c.window_id, windows.c.name.label("window_name"), window_ratings.c.unit_id,
              window_ratings.c.level, window_ratings.c.rated_at, window_ratings.c.excluded)
    .join(window_ratings, window_ratings.c.id == appeals.c.rating_id)
    .outerjoin(windows, windows.c.id == window_ratings.c.window_id)
    .outerjoin(_APPELLANT, _APPELLANT.c.id == appeals.c.appellant_id)
    .outerjoin(_DECIDER, _DECIDER.c.id == appeals.c.decided_by))


def _shanghai_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), SHANGHAI)


def list_appeals(uow: UnitOfWork, identity: Identity, *, state: list[str] | None = None, window_id=None,
                 unit_id=None, start: date | None = None, end: date | None = None, limit: int, offset: int):
    """申诉复核台账: the appeals against ratings, newest first, for 组织部 (all) and a general branch secretary
    (the windows under their general branch), with the decisions and the ratings they took out of the counts;
    the total counts every matching appeal, not only the page."""
    directory = DirectoryView(uow.session)
    query = _RATING_APPEALS
    if not (identity.kind == "person" and identity.has_role("org_department")):
        general_branches = identity.units_with("general_branch_secretary") if identity.kind == "person" else []
        if not general_branches:
            raise Forbidden(_("Only the organisation department and general branch secretaries list appeals."))
        query = query.where(window_ratings.c.unit_id.in_(
            {u.id for unit in general_branches for u in directory.descendants(uuid.UUID(unit))}))
    if state:
        decisions = [s for s in state if s != PENDING]
        query = query.where(sa.or_(appeals.c.decision.in_(decisions),
                                   *([appeals.c.decision.is_(None)] if PENDING in state else [])))
    if window_id is not None:
        query = query.where(window_ratings.c.window_id == window_id)
    if unit_id is not None:
        if directory.unit(unit_id) is None:
            raise NotFound(_("No such unit."))
        query = query.where(window_ratings.c.unit_id.in_([u.id for u in directory.descendants(unit_id)]))
    if start is not None:
        query = query.where(appeals.c.filed_at >= _shanghai_midnight(start))
    if end is not None:
        query = query.where(appeals.c.filed_at < _shanghai_midnight(end + timedelta(days=1)))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(appeals.c.filed_at.desc(), appeals.c.id).limit(limit).offset(offset))
    return [_audit_record(row) for row in rows], total


def _audit_record(row) -> dict:
    return {"id": row.id, "appellant_id": row.appellant_id, "appellant_name": row.appellant_name,
            "reason": row.reason, "filed_at": row.filed_at, "state": row.decision or PENDING,
            "decision_note": row.decision_note, "decided_by": row.decided_by, "decided_by_name": row.decided_by_name,
            "decided_at": row.decided_at,
            "rating": {"id": row.rating_id, "window_id": row.window_id, "window_name": row.window_name,
                       "unit_id": row.unit_id, "level": row.level, "rated_at": row.rated_at, "excluded": row.excluded}}
