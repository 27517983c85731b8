"""意见箱 Suggestion: an anonymous note to a window or a unit, a complaint followed up as a bad rating is,
the leaders' triage and reply, the replies they publish (公开答复).

Appeals against a rating or a note (申诉复核): appeals.py.
"""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY
from pacesetter_shared.working_calendar import calendar_in_force

from ..adapters.tables import suggestions
from ..domain.feedback import SuggestionState, triage
from ..domain.model import InvalidEvaluation
from ..domain.ratings import FOLLOWUP_WORKING_DAYS, SHANGHAI, Satisfaction
from .followup_cases import open_case
from .rounds import Forbidden, NotFound
from .window_ratings import UnknownWindow

COMPLAINT_LEVEL = int(Satisfaction.DISSATISFIED)  # a complaint is followed up as a 不满意 rating is
COMPLAINT_REASON = "意见箱投诉"


def _lock(uow: UnitOfWork, query):
    return query.with_for_update() if uow.session.bind.dialect.name == "postgresql" else query


def _oversees(identity: Identity, directory: DirectoryView, unit_id) -> bool:
    """Leaders over the unit: its secretaries up the tree, the organisation department."""
    if identity.kind != "person":
        return False
    return identity.has_role("org_department") or any(
        identity.has_role(role, str(u.id)) for u in directory.ancestors(unit_id)
        for role in ("general_branch_secretary", "branch_secretary"))


def _unit_responsible(directory: DirectoryView, unit_id):
    """Who answers for a unit without a window: its branch secretary (the first, when it has several)."""
    secretaries = sorted(directory.holders("branch_secretary", [unit_id]), key=lambda p: str(p.id))
    return secretaries[0].id if secretaries else None


def drop_note(uow: UnitOfWork, command: dict, now: datetime | None = None,
              followup_days: int = FOLLOWUP_WORKING_DAYS, end_of_day: time = DEFAULT_END_OF_DAY) -> dict:
    """A note to a window or a unit; nothing about who wrote it is kept, so the caller is not asked for."""
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    window = None
    if command.get("window_id"):
        window = uow.session.execute(sa.select(windows).where(windows.c.id == command["window_id"])).first()
        if window is None or not window.active:
            raise UnknownWindow(_("No such service window."), {"window_id": [str(command["window_id"])]})
    unit_id = window.unit_id if window else command.get("unit_id")
    if unit_id is None or directory.unit(unit_id) is None:
        raise InvalidEvaluation(_("Say which window or unit the note is for."), {"unit_id": [_("a known unit or window")]})
    note_id = uuid.uuid4()
    uow.session.execute(sa.insert(suggestions).values(
        id=note_id, window_id=window.id if window else None, unit_id=unit_id, body=command["body"],
        is_complaint=command.get("is_complaint", False), received_on=now.astimezone(SHANGHAI).date(),
        state=SuggestionState.OPEN.value))
    # a complaint is followed up like a bad rating: by the window's responsible person, or by the
    # unit's branch secretary when it names no window
    case_id = (open_case(uow, window, COMPLAINT_LEVEL, [COMPLAINT_REASON], now, suggestion_id=note_id,
                         unit_id=unit_id, responsible_id=None if window else _unit_responsible(directory, unit_id),
                         working_days=followup_days, calendar=calendar_in_force(uow, end_of_day))
               if command.get("is_complaint") else None)
    return {"id": note_id, "case_id": case_id}


def _note_query(identity: Identity, directory: DirectoryView):
    query = sa.select(suggestions)
    if not identity.has_role("org_department"):
        units = {u.id for role in ("general_branch_secretary", "branch_secretary")
                 for unit in identity.units_with(role) for u in directory.descendants(uuid.UUID(unit))}
        query = query.where(suggestions.c.unit_id.in_(units))
    return query


def list_notes(uow: UnitOfWork, identity: Identity, *, state: str | None, limit: int, offset: int):
    """The notes to the units I lead, newest first."""
    if identity.kind != "person":
        raise Forbidden(_("Only leaders read the suggestion box."))
    query = _note_query(identity, DirectoryView(uow.session))
    if state:
        query = query.where(suggestions.c.state == state)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(suggestions.c.received_on.desc(), suggestions.c.id)
                               .limit(limit).offset(offset)).all()
    return rows, total


def published_replies(uow: UnitOfWork, *, window_id=None, unit_id=None, limit: int, offset: int):
    """公开答复: the notes whose reply a leader published, to a window or under a unit, for anyone to read."""
    query = sa.select(suggestions).where(suggestions.c.reply_published.is_(True), suggestions.c.excluded.is_(False))
    if window_id is not None:
        query = query.where(suggestions.c.window_id == window_id)
    else:
        under = [u.id for u in DirectoryView(uow.session).descendants(unit_id)]
        if not under:
            raise NotFound(_("No such unit."))
        query = query.where(suggestions.c.unit_id.in_(under))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(suggestions.c.received_on.desc(), suggestions.c.id)
                               .limit(limit).offset(offset)).all()
    return rows, total


def handle_note(uow: UnitOfWork, identity: Identity, note_id, command: dict, now: datetime | None = None):
    """Triage a note and, when answering, write the reply (published if asked)."""
    note = uow.session.execute(_lock(uow, sa.select(suggestions).where(suggestions.c.id == note_id))).first()
    if note is None or not _oversees(identity, DirectoryView(uow.session), note.unit_id):
        raise NotFound(_("No such note."))
    reply = command.get("reply") if command.get("reply") is not None else note.reply
    triage(note.state, command["state"], reply, command.get("publish", False))
    uow.session.execute(sa.update(suggestions).where(suggestions.c.id == note_id).values(
        state=command["state"], reply=reply, reply_published=command.get("publish", False),
        handled_by=uuid.UUID(identity.subject), handled_at=now or datetime.now(timezone.utc)))
    return uow.session.execute(sa.select(suggestions).where(suggestions.c.id == note_id)).first()
