"""Use cases reading the masses' ratings: summaries and trends, my windows' satisfaction, rankings, rhythm,
and each window's month sent to grading (the job). Star grades (星级窗口、服务标兵): star_grades.py.

Every figure comes out of one guard (``domain.disclosure``) over the whole organisation's ratings of a
calendar year, kept as rows by ``figures`` (公开口径), so that no two answers, whoever asks them, give a
small group away. Each answer says when the decision it reads was made (``as_of``), and whether its years
are worked out yet (``figures``: a year the worker has not reached reads as empty, and is not).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, units, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..domain.model import InvalidEvaluation
from ..domain.ratings import RATE_PLACES, SHANGHAI, Granularity, LevelCounts, bucket_of, month_before
from . import figures
from .figures import FigurePolicy
from .rounds import Forbidden, NotFound
from .window_ratings import UnknownWindow

MAX_SUMMARY_DAYS = 3 * 366
READY, PREPARING = "ready", "preparing"  # the figures of the years an answer reads


def freshness(uow: UnitOfWork, years, policy: FigurePolicy) -> dict:
    """The years' figures, refreshed where reads do that (``figures.ensure``): ``as_of``, when the oldest was
    worked out, and ``figures``: "preparing" while a year with ratings has not been worked out yet (just after
    the worker started, or a year it has not reached), whose figures would read as none; else "ready" — a
    year without ratings has nothing to work out, and reads as empty."""
    as_of, cold = figures.ensure(uow, years, policy)
    waiting = any(figures.has_ratings(uow, year) for year in cold)
    return {"as_of": as_of, "figures": PREPARING if waiting else READY}


def _oversees_person(identity: Identity, directory: DirectoryView, person_id) -> bool:
    """A member on duty's own figures: the member, the secretaries over their unit, the organisation department."""
    if identity.subject == str(person_id) or identity.has_role("org_department"):
        return True
    member = directory.person(person_id)
    return member is not None and member.unit_id is not None and any(
        identity.has_role(role, str(u.id)) for u in directory.ancestors(member.unit_id)
        for role in ("general_branch_secretary", "branch_secretary"))


def _scope(uow: UnitOfWork, identity: Identity, window_id, unit_id, on_duty_id) -> tuple[str, object]:
    directory = DirectoryView(uow.session)
    if window_id is not None:
        if uow.session.execute(sa.select(windows.c.id).where(windows.c.id == window_id)).first() is None:
            raise UnknownWindow(_("No such service window."), {"window_id": [_("no window {window_id}", window_id=window_id)]})
        return "window", window_id
    if unit_id is not None:
        if directory.unit(unit_id) is None:
            raise NotFound(_("No such unit."))
        return "unit", unit_id
    if not _oversees_person(identity, directory, on_duty_id):
        raise Forbidden(_("A member's own figures are for the member and the secretaries over them."))
    return "on_duty", on_duty_id


def _shaped(counts: LevelCounts | None) -> dict:
    return {"shown": counts is not None,
            "counts": {str(level): counts.counts.get(level, 0) for level in range(1, 6)} if counts else None,
            "total": counts.total if counts else None, "satisfied": counts.satisfied if counts else None,
            "satisfaction_rate": counts.satisfaction_rate if counts else None}


def summary(uow: UnitOfWork, identity: Identity, *, window_id=None, unit_id=None, on_duty_id=None,
            granularity: str, start: date, end: date, policy: FigurePolicy) -> tuple[list[dict], dict]:
    """Counts per level and satisfaction per day/week/month/year (the trend) of a window, a unit or a
    member on duty; periods without ratings are left out, hidden ones say so. With their ``freshness``."""
    if identity.kind != "person":
        raise Forbidden(_("Summaries are for people, not kiosks."))
    if end < start or (end - start).days > MAX_SUMMARY_DAYS:
        raise InvalidEvaluation(_("The range is not valid."), {"to": [_("after from, at most {days} days", days=MAX_SUMMARY_DAYS)]})
    kind, key = _scope(uow, identity, window_id, unit_id, on_duty_id)
    first = bucket_of(start, granularity)
    fresh = freshness(uow, range(first.year, end.year + 1), policy)
    return [{"period_start": f.period_start, **_shaped(f.counts)}
            for f in figures.periods(uow, kind, key, granularity, first, end)], fresh


_SECRETARIES = ("general_branch_secretary", "branch_secretary")


def _overseen_windows(uow: UnitOfWork, identity: Identity, unit_id) -> list:
    """The active windows at or under ``unit_id``; without it, the caller's: every window of the units where
    they are a secretary and of the units below them, the windows they answer for, all for 组织部."""
    directory = DirectoryView(uow.session)
    query = sa.select(windows.c.id, windows.c.name, windows.c.unit_id, windows.c.responsible_id,
                      units.c.name.label("unit_name")).outerjoin(units, units.c.id == windows.c.unit_id).where(
        windows.c.active.is_(True))
    if unit_id is not None:
        if directory.unit(unit_id) is None:
            raise NotFound(_("No such unit."))
        query = query.where(windows.c.unit_id.in_([u.id for u in directory.descendants(unit_id)]))
    elif not identity.has_role("org_department"):
        under = {u.id for role in _SECRETARIES for unit in identity.units_with(role)
                 for u in directory.descendants(uuid.UUID(unit))}
        query = query.where(sa.or_(windows.c.unit_id.in_(under),
                                   windows.c.responsible_id == uuid.UUID(identity.subject)))
    return uow.session.execute(query).all()


def _window_sort_key(sort: str):
    if sort == "name":
        return lambda item: (item["unit_name"] or "", item["name"], str(item["window_id"]))
    field = sort.lstrip("-")
    sign = -1 if sort.startswith("-") else 1
    # windows without a figure go last either way
    return lambda item: (item[field] is None, sign * (item[field] or 0), item["name"], str(item["window_id"]))


def _twelve_months_to(end: date) -> date:
    """The first day of the month 11 months before ``end``'s: with ``end``'s own, 12 calendar months."""
    months = end.year * 12 + end.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1)


def windows_satisfaction(uow: UnitOfWork, identity: Identity, *, unit_id=None, start: date | None = None,
                         end: date | None = None, sort: str = "name", limit: int, offset: int, policy: FigurePolicy,
                         today: date | None = None) -> tuple[list[dict], int, dict, date, date]:
    """我的窗口满意度: each window the caller oversees (or at or under ``unit_id``) with its ratings over the
    calendar months from ``start``'s to ``end``'s (the last 12 when left out), added up from the months the
    guard shows (a sum of shown answers tells nothing they do not); months hidden to keep raters anonymous are
    counted apart. A page of them, the number of all of them, their ``freshness`` and the range."""
    if identity.kind != "person":
        raise Forbidden(_("Summaries are for people, not kiosks."))
    end = end or today or datetime.now(SHANGHAI).date()
    start = start or _twelve_months_to(end)
    if end < start or (end - start).days > MAX_SUMMARY_DAYS:
        raise InvalidEvaluation(_("The range is not valid."), {"to": [_("after from, at most {days} days", days=MAX_SUMMARY_DAYS)]})
    known = _overseen_windows(uow, identity, unit_id)
    first = bucket_of(start, Granularity.MONTH)
    fresh = freshness(uow, range(first.year, end.year + 1), policy)
    shown: dict = {w.id: {} for w in known}
    hidden: dict = {w.id: 0 for w in known}
    for figure in figures.periods_of(uow, "window", list(shown), Granularity.MONTH, first, end):
        if figure.counts is None:
            hidden[figure.key] += 1
            continue
        for level, n in figure.counts.counts.items():
            shown[figure.key][level] = shown[figure.key].get(level, 0) + n
    items = []
    for window in known:
        counts = LevelCounts(shown[window.id])
        items.append({"window_id": window.id, "name": window.name, "unit_id": window.unit_id,
                      "unit_name": window.unit_name, "responsible_id": window.responsible_id,
                      "counts": {str(level): counts.counts.get(level, 0) for level in range(1, 6)},
                      "ratings": counts.total, "satisfied": counts.satisfied,
                      "satisfaction_rate": counts.satisfaction_rate,
                      "hidden_months": hidden[window.id]})
    items.sort(key=_window_sort_key(sort))
    return items[offset:offset + limit], len(items), fresh, start, end


def _known_unit(uow: UnitOfWork, unit_id) -> None:
    if DirectoryView(uow.session).unit(unit_id) is None:
        raise NotFound(_("No such unit."))


def _windows_under(uow: UnitOfWork, unit_id) -> sa.Select:
    """The active windows at or under a unit, as a query for the database to join."""
    _known_unit(uow, unit_id)
    return sa.select(windows.c.id).where(windows.c.unit_id.in_(DirectoryView.units_under(unit_id)),
                                         windows.c.active.is_(True))


def month_ranking(uow: UnitOfWork, identity: Identity, *, unit_id, month: date, by: str, min_ratings: int,
                  policy: FigurePolicy, offset: int, limit: int) -> tuple[list[dict], int, dict]:
    """A month's ranking of the windows (星级窗口) or members on duty (服务标兵) under a unit; a window last
    this month and the month before is flagged. Only figures the guard shows take a place. A page of the
    places (named: only they are looked up among thousands), the number of all of them, their ``freshness``."""
    if identity.kind != "person":
        raise Forbidden(_("Rankings are for people, not kiosks."))
    under = _windows_under(uow, unit_id)
    before = month_before(month)
    fresh = freshness(uow, {before.year, month.year}, policy)
    page, places = figures.month_places(uow, by, month, before if by == "window" else None, under,
                                        max(min_ratings, policy.min_group), offset, limit)
    named = windows if by == "window" else persons
    names = dict(uow.session.execute(sa.select(named.c.id, named.c.name).where(
        named.c.id.in_([p.key for p in page]))).all()) if page else {}
    return [{"key": place.key, "name": names.get(place.key), "rank": place.rank, "ratings": place.total,
             "satisfaction_rate": place.rate / RATE_PLACES, "last_two_months": place.last_two_months}
            for place in page], places, fresh


def rhythm(uow: UnitOfWork, identity: Identity, *, unit_id, start: date, end: date, policy: FigurePolicy) -> dict:
    """Satisfaction by hour of day and by weekday (Shanghai) of a unit's windows, over the calendar month of
    ``from`` and ``to`` when they lie in one, else over the calendar year of ``to``: fixed spans, so that
    no two ranges can be subtracted from each other."""
    if identity.kind != "person":
        raise Forbidden(_("Summaries are for people, not kiosks."))
    if end < start:
        raise InvalidEvaluation(_("The range is not valid."), {"to": [_("not before from")]})
    _known_unit(uow, unit_id)
    span = Granularity.MONTH if (start.year, start.month) == (end.year, end.month) else Granularity.YEAR
    period = bucket_of(end, span)
    fresh = freshness(uow, [end.year], policy)

    def table(kind: str):
        return [{"key": f.part, "shown": f.counts is not None,
                 "ratings": f.counts.total if f.counts else None,
                 "satisfaction_rate": f.counts.satisfaction_rate if f.counts else None}
                for f in figures.rhythm_of(uow, kind, unit_id, span, period)]

    return {"span": span, "period_start": period, "by_hour": table("hour"), "by_weekday": table("weekday"),
            **fresh}


def publish_window_satisfaction(uow_factory: UnitOfWorkFactory, now: datetime, min_group: int) -> int:
    """Each window's month as the guard shows it (evaluation.window_satisfaction v2, 群众评价 for grading).

    Only what the dashboards show leaves the service: a month the guard hides goes out as hidden, so that
    grading's figures, added up, tell nothing the guard would not. Sent again on every run (the latest
    ``as_of`` wins); early in a month the last one is sent too, so that late kiosk batches and decided
    appeals still reach grading.
    """
    today = now.astimezone(SHANGHAI).date()
    months = [today.replace(day=1)]
    if today.day <= 5:
        months.append(month_before(months[0]))
    sent = 0
    with uow_factory() as uow:
        known = uow.session.execute(sa.select(windows.c.id, windows.c.unit_id).where(windows.c.active.is_(True))).all()
        for year in {m.year for m in months}:
            figures.refresh(uow, year, min_group, now)  # exact, whatever the refresh interval
        for month in months:
            found = {f.key: f for f in figures.months(uow, "window", month, [w.id for w in known])}
            for window in known:
                # a month without ratings has none to hide; a hidden one goes without its counts
                counts = found[window.id].counts if window.id in found else LevelCounts({})
                uow.record("evaluation.window_satisfaction", window.id, {
                    "window_id": window.id, "unit_id": window.unit_id, "month": month.strftime("%Y-%m"),
                    "shown": counts is not None, "ratings": counts.total if counts else None,
                    "satisfied": counts.satisfied if counts else None,
                    "satisfaction_rate": counts.satisfaction_rate if counts else None, "as_of": now})
                sent += 1
    return sent
