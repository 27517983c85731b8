"""A service's own copy of the university's working-calendar days (工作日历调整), kept from
``calendar.days_changed`` events, and the working calendar it makes with the official one.

The gateway owns the overrides; a service that works out "n working days" deadlines keeps this copy in its
own database and computes them only through :func:`calendar_in_force`.
"""
from __future__ import annotations

import weakref
from datetime import time

import sqlalchemy as sa

from .db import UtcDateTime
from .events import Envelope
from .workdays import DEFAULT_END_OF_DAY, DayOverride, WorkingCalendar

calendar_metadata = sa.MetaData()

overrides = sa.Table(
    "cal_overrides", calendar_metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("working", sa.Boolean, nullable=False),
    sa.Column("note", sa.String(200), nullable=False),
)

# One row: when the copy above was made at the gateway, so that a late, older event does not replace it.
copy_as_of = sa.Table(
    "cal_copy_as_of", calendar_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("as_of", UtcDateTime(), nullable=False),
)

_MEMO = "working_calendar"

# When this service's copy was made, for a use case to select along with what it reads anyway: the calendar is
# then read and built again only when the copy changed (a kiosk batch's bad ratings, one round trip fewer).
COPY_AS_OF = sa.select(copy_as_of.c.as_of).where(copy_as_of.c.id == 1).scalar_subquery()
_UNREAD = object()
# per database (its engine), the calendars this process built: (as_of, end of day) → WorkingCalendar
_BUILT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def create_calendar_tables(op) -> None:
    """For a service's migration: the copy's tables, as of calendar schema version 1."""
    calendar_metadata.create_all(bind=op.get_bind())


def drop_calendar_tables(op) -> None:
    calendar_metadata.drop_all(bind=op.get_bind())


def on_days_changed(uow, _envelope: Envelope, data: dict) -> None:
    """The whole list replaces the copy, unless the copy is already as new (idempotent, order-proof)."""
    session = uow.session
    current = session.execute(sa.select(copy_as_of.c.as_of).where(copy_as_of.c.id == 1).with_for_update()).scalar()
    if current is not None and current >= data["as_of"]:
        return
    session.execute(sa.delete(overrides))
    if data["overrides"]:
        session.execute(sa.insert(overrides), [
            {"day": o["day"], "working": o["working"], "note": o["note"]} for o in data["overrides"]])
    session.execute(sa.delete(copy_as_of))
    session.execute(sa.insert(copy_as_of).values(id=1, as_of=data["as_of"]))
    uow.memo.pop(_MEMO, None)


CALENDAR_HANDLERS = {"calendar.days_changed": on_days_changed}


def calendar_in_force(uow, end_of_day: time = DEFAULT_END_OF_DAY, *, as_of=_UNREAD) -> WorkingCalendar:
    """The official calendar with this service's copy of the overrides; read once per unit of work, or not at all
    when the caller read the copy's ``as_of`` (:data:`COPY_AS_OF`) in this transaction and it is one seen before
    (every change of the copy changes it: :func:`on_days_changed`)."""
    memo = uow.memo.get(_MEMO)
    if memo is not None and memo.end_of_day == end_of_day:
        return memo
    built = _BUILT.setdefault(uow.session.bind, {}) if as_of is not _UNREAD else {}
    memo = built.get((as_of, end_of_day))
    if memo is None:
        rows = uow.session.execute(sa.select(overrides)).all()
        memo = WorkingCalendar.of([DayOverride(r.day, r.working, r.note) for r in rows], end_of_day)
        if len(built) > 8:  # a few copies at most in a process's life: keep only the latest
            built.clear()
        built[(as_of, end_of_day)] = memo
    uow.memo[_MEMO] = memo
    return memo
