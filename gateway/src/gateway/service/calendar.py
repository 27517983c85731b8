"""Use cases of the working calendar (工作日历): the year's official holidays and make-up workdays, and the
university's own changes, which the organisation department keeps and every change of which is published
(``calendar.days_changed``, the whole list) for the services that count working days."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork
from pacesetter_shared.workdays import DayOverride, WorkingCalendar

from ..adapters.tables import calendar_overrides
from ..domain.model import InvalidDirectoryChange
from .directory import Conflict, Forbidden, NotFound

# The calendar a subject is published under: one aggregate, the whole list each time.
CALENDAR_SUBJECT = uuid.UUID(int=0)


def require_calendar_keeper(identity: Identity) -> None:
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department changes the working calendar."))


def _overrides(uow: UnitOfWork) -> list[DayOverride]:
    rows = uow.session.execute(sa.select(calendar_overrides).order_by(calendar_overrides.c.day)).all()
    return [DayOverride(r.day, r.working, r.note) for r in rows]


def calendar(uow: UnitOfWork, end_of_day: time) -> WorkingCalendar:
    return WorkingCalendar.of(_overrides(uow), end_of_day)


def year_days(uow: UnitOfWork, year: int, end_of_day: time) -> dict:
    """The year's holidays and make-up workdays as published, merged with the overrides (which win)."""
    working_calendar = calendar(uow, end_of_day)
    published = working_calendar.knows_year(year)
    days = [{"day": d.day, "working": d.working, "holiday": "" if d.overridden else d.name,
             "note": d.name if d.overridden else "", "overridden": d.overridden,
             "usually_working": WorkingCalendar().is_working_day(d.day)}
            for d in working_calendar.special_days(year)]
    return {"year": year, "end_of_day": end_of_day.strftime("%H:%M"), "published": published, "days": days,
            "warning": None if published else _(
                "The official holidays of {year} are not published in this version of the calendar: Monday to "
                "Friday are counted as working days, with the changes made here.", year=year)}


def _lock(uow: UnitOfWork) -> None:
    """Two changes at once wait for each other, so the list the later one publishes holds both."""
    if uow.session.get_bind().dialect.name == "postgresql":  # SQLite (embedded) has one writer anyway
        uow.session.execute(sa.text("LOCK TABLE calendar_overrides IN SHARE ROW EXCLUSIVE MODE"))


def _publish(uow: UnitOfWork, now: datetime) -> None:
    uow.record("calendar.days_changed", CALENDAR_SUBJECT, {
        "overrides": [{"day": o.day, "working": o.working, "note": o.note} for o in _overrides(uow)],
        "as_of": now})


def add_override(uow: UnitOfWork, identity: Identity, data: dict, now: datetime | None = None) -> dict:
    """A day of the university's own calendar: a working day or a day off, whatever the official one says."""
    require_calendar_keeper(identity)
    _lock(uow)
    day: date = data["day"]
    if uow.session.execute(sa.select(calendar_overrides.c.day).where(calendar_overrides.c.day == day)).first():
        raise Conflict(_("{day} is changed already: remove that change first.", day=day.isoformat()))
    if WorkingCalendar().is_working_day(day) == data["working"]:
        raise InvalidDirectoryChange(
            _("{day} is already a working day.", day=day.isoformat()) if data["working"]
            else _("{day} is already a day off.", day=day.isoformat()),
            {"working": [_("the same as the official calendar")]})
    now = now or datetime.now(timezone.utc)
    uow.session.execute(sa.insert(calendar_overrides).values(
        day=day, working=data["working"], note=data["note"], created_by=uuid.UUID(identity.subject), created_at=now))
    _publish(uow, now)
    return {"day": day, "working": data["working"], "note": data["note"]}


def remove_override(uow: UnitOfWork, identity: Identity, day: date, now: datetime | None = None) -> None:
    require_calendar_keeper(identity)
    _lock(uow)
    removed = uow.session.execute(sa.delete(calendar_overrides).where(calendar_overrides.c.day == day))
    if removed.rowcount == 0:
        raise NotFound(_("{day} has no change to remove.", day=day.isoformat()))
    _publish(uow, now or datetime.now(timezone.utc))


def republish(uow: UnitOfWork) -> None:
    """For a new or rebuilt service: the overrides as they are."""
    _publish(uow, datetime.now(timezone.utc))
