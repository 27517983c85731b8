"""Use cases reading the masses' ratings: summaries and trends, rankings, rhythm, star grades (星级窗口、服务标兵).

Every figure comes out of one guard (``domain.disclosure``) computed over the whole organisation's
ratings of a calendar year, so that no two answers, whoever asks them, give a small group away.
"""
from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, units, windows
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from .adapters.tables import star_grades, window_ratings
from .domain.disclosure import Cell, Disclosure, Organisation, disclose
from .domain.model import InvalidEvaluation
from .domain.ratings import SHANGHAI, Granularity, LevelCounts, bucket_of, last_in, ranking
from .domain.stars import StarRule
from .rounds import Forbidden, NotFound
from .window_ratings import UnknownWindow

MAX_SUMMARY_DAYS = 3 * 366


def _shanghai_day_and_hour(dialect: str):
    # Shanghai keeps no summer time: its day is UTC+8 all year.
    if dialect == "postgresql":
        local = sa.func.timezone("Asia/Shanghai", window_ratings.c.rated_at)
        return sa.cast(local, sa.Date), sa.extract("hour", local)
    return (sa.func.date(window_ratings.c.rated_at, "+8 hours"),
            sa.cast(sa.func.strftime("%H", window_ratings.c.rated_at, "+8 hours"), sa.Integer))


def organisation_of(uow: UnitOfWork) -> Organisation:
    return Organisation(
        window_unit=dict(uow.session.execute(sa.select(windows.c.id, windows.c.unit_id)).all()),
        parent=dict(uow.session.execute(sa.select(units.c.id, units.c.parent_id)).all()))


# The guard's decision per (database, year, threshold), kept while nothing it depends on changed: a
# year's family costs seconds of CPU for tens of thousands of ratings, and dashboards ask often.
_DECISIONS: OrderedDict = OrderedDict()
_KEPT_DECISIONS = 8


def _fingerprint(uow: UnitOfWork) -> tuple:
    """Changes whenever a rating arrives or leaves the counts (an upheld appeal), or windows and units move."""
    session = uow.session
    return (session.execute(sa.select(sa.func.max(window_ratings.c.id))).scalar(),
            session.execute(sa.select(sa.func.count()).select_from(window_ratings)
                            .where(window_ratings.c.excluded.is_(True))).scalar(),
            *session.execute(sa.select(sa.func.count(), sa.func.sum(windows.c.revision))).one(),
            *session.execute(sa.select(sa.func.count(), sa.func.sum(units.c.revision))).one())


def disclosure_for(uow: UnitOfWork, year: int, min_group: int) -> Disclosure:
    """The guard's decision over a year: its days, weeks, months, the year, and the hour and weekday
    tables; upheld appeals left out. Computed again once anything changed."""
    key = (str(uow.session.bind.url), year, min_group)
    fingerprint = _fingerprint(uow)
    kept = _DECISIONS.get(key)
    if kept is not None and kept[0] == fingerprint:
        _DECISIONS.move_to_end(key)
        return kept[1]
    decision = _decide(uow, year, min_group)
    _DECISIONS[key] = (fingerprint, decision)
    while len(_DECISIONS) > _KEPT_DECISIONS:
        _DECISIONS.popitem(last=False)
    return decision


def _decide(uow: UnitOfWork, year: int, min_group: int) -> Disclosure:
    since = datetime.combine(date(year, 1, 1), time(0), SHANGHAI)
    until = datetime.combine(date(year + 1, 1, 1), time(0), SHANGHAI)
    day, hour = _shanghai_day_and_hour(uow.session.bind.dialect.name)
    day, hour = day.label("day"), hour.label("hour")
    rows = uow.session.execute(
        sa.select(window_ratings.c.window_id, window_ratings.c.on_duty_id, day, hour, window_ratings.c.level,
                  sa.func.count().label("n"))
        .where(window_ratings.c.excluded.is_(False), window_ratings.c.rated_at >= since,
               window_ratings.c.rated_at < until)
        .group_by(window_ratings.c.window_id, window_ratings.c.on_duty_id, day, hour, window_ratings.c.level)).all()
    cells: dict[Cell, dict[int, int]] = {}
    for row in rows:
        on = row.day if isinstance(row.day, date) else date.fromisoformat(row.day)
        cells.setdefault(Cell(row.window_id, row.on_duty_id, on, int(row.hour)), {})[row.level] = row.n
    return disclose(cells, organisation_of(uow), min_group, year)


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
            raise UnknownWindow("No such service window.", {"window_id": [f"no window {window_id}"]})
        return "window", window_id
    if unit_id is not None:
        if directory.unit(unit_id) is None:
            raise NotFound("No such unit.")
        return "unit", unit_id
    if not _oversees_person(identity, directory, on_duty_id):
        raise Forbidden("A member's own figures are for the member and the secretaries over them.")
    return "on_duty", on_duty_id


def _shaped(counts: LevelCounts | None) -> dict:
    return {"shown": counts is not None,
            "counts": {str(level): counts.counts.get(level, 0) for level in range(1, 6)} if counts else None,
            "total": counts.total if counts else None, "satisfied": counts.satisfied if counts else None,
            "satisfaction_rate": counts.satisfaction_rate if counts else None}


def summary(uow: UnitOfWork, identity: Identity, *, window_id=None, unit_id=None, on_duty_id=None,
            granularity: str, start: date, end: date, min_group: int) -> list[dict]:
    """Counts per level and satisfaction per day/week/month/year (the trend) of a window, a unit or a
    member on duty; periods without ratings are left out, hidden ones say so."""
    if identity.kind != "person":
        raise Forbidden("Summaries are for people, not kiosks.")
    if end < start or (end - start).days > MAX_SUMMARY_DAYS:
        raise InvalidEvaluation("The range is not valid.", {"to": [f"after from, at most {MAX_SUMMARY_DAYS} days"]})
    kind, key = _scope(uow, identity, window_id, unit_id, on_duty_id)
    first = bucket_of(start, granularity)
    periods = []
    for year in range(first.year, end.year + 1):
        disclosure = disclosure_for(uow, year, min_group)
        for answer in sorted((a for a in disclosure.totals if a[:3] == (kind, key, granularity)),
                             key=lambda a: a[3]):
            if first <= answer[3] <= end:
                periods.append({"period_start": answer[3], **_shaped(disclosure.get(answer))})
    return periods


def _unit_windows(uow: UnitOfWork, unit_id) -> list:
    directory = DirectoryView(uow.session)
    if directory.unit(unit_id) is None:
        raise NotFound("No such unit.")
    under = [u.id for u in directory.descendants(unit_id)]
    return uow.session.execute(sa.select(windows.c.id, windows.c.name, windows.c.unit_id,
                                         windows.c.responsible_id).where(
        windows.c.unit_id.in_(under), windows.c.active.is_(True))).all()


def _month_groups(disclosure: Disclosure, by: str, month: date, keys) -> dict:
    """The shown (scope, month) answers of these windows, or of the members on duty at them."""
    if by == "window":
        wanted = {("window", w, Granularity.MONTH, month) for w in keys}
    else:  # a member counts where their month's ratings all lie under the unit
        windows_ = set(keys)
        wanted = {a for a in disclosure.totals if a[0] == "on_duty" and a[2:] == (Granularity.MONTH, month)
                  and all(cell.window in windows_ for cell in disclosure.cells_of(a))}
    return {a[1]: disclosure.get(a) for a in wanted if disclosure.get(a) is not None}


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def month_ranking(uow: UnitOfWork, identity: Identity, *, unit_id, month: date, by: str, min_ratings: int,
                  min_group: int) -> list[dict]:
    """A month's ranking of the windows (星级窗口) or members on duty (服务标兵) under a unit; a window last
    this month and the month before is flagged. Only figures the guard shows take a place."""
    if identity.kind != "person":
        raise Forbidden("Rankings are for people, not kiosks.")
    known = _unit_windows(uow, unit_id)
    ids = [w.id for w in known]
    least = max(min_ratings, min_group)
    this = disclosure_for(uow, month.year, min_group)
    places = ranking(_month_groups(this, by, month, ids), least)
    flagged: set = set()
    if by == "window":
        before = _previous(month)
        earlier = this if before.year == month.year else disclosure_for(uow, before.year, min_group)
        flagged = last_in(places) & last_in(ranking(_month_groups(earlier, by, before, ids), least))
    names = {w.id: w.name for w in known}
    if by != "window":
        names = dict(uow.session.execute(sa.select(persons.c.id, persons.c.name).where(
            persons.c.id.in_([p.key for p in places]))).all())
    return [{"key": place.key, "name": names.get(place.key), "rank": place.rank, "ratings": place.counts.total,
             "satisfaction_rate": place.counts.satisfaction_rate, "last_two_months": place.key in flagged}
            for place in places]


def rhythm(uow: UnitOfWork, identity: Identity, *, unit_id, start: date, end: date, min_group: int) -> dict:
    """Satisfaction by hour of day and by weekday (Shanghai) of a unit's windows, over the calendar month of
    ``from`` and ``to`` when they lie in one, else over the calendar year of ``to``: fixed spans, so that
    no two ranges can be subtracted from each other."""
    if identity.kind != "person":
        raise Forbidden("Summaries are for people, not kiosks.")
    if end < start:
        raise InvalidEvaluation("The range is not valid.", {"to": ["not before from"]})
    _unit_windows(uow, unit_id)
    span = Granularity.MONTH if (start.year, start.month) == (end.year, end.month) else Granularity.YEAR
    period = bucket_of(end, span)
    disclosure = disclosure_for(uow, end.year, min_group)

    def table(kind: str):
        found = sorted(a for a in disclosure.totals if a[:4] == (kind, unit_id, span, period))
        return [{"key": a[4], "shown": disclosure.get(a) is not None,
                 "ratings": disclosure.get(a).total if disclosure.get(a) else None,
                 "satisfaction_rate": disclosure.get(a).satisfaction_rate if disclosure.get(a) else None}
                for a in found]

    return {"span": span, "period_start": period, "by_hour": table("hour"), "by_weekday": table("weekday")}


def star_grades_of(uow: UnitOfWork, month: date, rule: StarRule, min_group: int,
                   disclosure: Disclosure | None = None) -> list[dict]:
    """Every window's and every member on duty's stars for a month: none when too few ratings or when
    the guard hides the month's figures."""
    disclosure = disclosure or disclosure_for(uow, month.year, min_group)
    window_rows = {w.id: w for w in uow.session.execute(sa.select(windows)).all()}
    grades = []
    for answer in disclosure.totals:
        if answer[0] not in ("window", "on_duty") or answer[2:] != (Granularity.MONTH, month):
            continue
        shown = disclosure.get(answer)
        cells = disclosure.cells_of(answer)
        if answer[0] == "window":
            window = window_rows.get(answer[1])
            unit_id = window.unit_id if window else None
            responsible_id = window.responsible_id if window else None
        else:  # a member is graded in the unit where most of their ratings were given
            places = {}
            for cell in cells:
                row = window_rows.get(cell.window)
                if row is not None:
                    places[row.unit_id] = places.get(row.unit_id, 0) + 1
            unit_id = max(places, key=lambda u: (places[u], str(u))) if places else None
            responsible_id = answer[1]
        if unit_id is None:
            continue
        grades.append({"scope": answer[0], "key": answer[1], "unit_id": unit_id, "responsible_id": responsible_id,
                       "month": month.strftime("%Y-%m"), "stars": rule.stars_for(shown) if shown else 0,
                       "ratings": shown.total if shown else None,
                       "satisfaction_rate": shown.satisfaction_rate if shown else None})
    return sorted(grades, key=lambda g: (g["scope"], -g["stars"], str(g["key"])))


def current_stars(uow: UnitOfWork, identity: Identity, *, unit_id, month: date, by: str, rule: StarRule,
                  min_group: int) -> list[dict]:
    """On demand: the month's stars as they stand, for the windows or members under a unit."""
    if identity.kind != "person":  # like the ranking: every person may see a unit's stars
        raise Forbidden("Star grades are for people, not kiosks.")
    under = {u.id for u in DirectoryView(uow.session).descendants(unit_id)}
    if not under:
        raise NotFound("No such unit.")
    return [g for g in star_grades_of(uow, month, rule, min_group) if g["scope"] == by and g["unit_id"] in under]


def star_history(uow: UnitOfWork, identity: Identity, *, unit_id, by: str, limit: int, offset: int):
    """The stars recorded month by month (the job's), newest first."""
    if identity.kind != "person":
        raise Forbidden("Star grades are for people, not kiosks.")
    under = [u.id for u in DirectoryView(uow.session).descendants(unit_id)]
    if not under:
        raise NotFound("No such unit.")
    query = sa.select(star_grades).where(star_grades.c.scope == by, star_grades.c.unit_id.in_(under))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(star_grades.c.month.desc(), star_grades.c.stars.desc(),
                                              star_grades.c.key).limit(limit).offset(offset)).all()
    return rows, total


def grade_month(uow_factory: UnitOfWorkFactory, now: datetime, rule: StarRule, min_group: int) -> int:
    """The scheduled job: last month's stars (a month is graded once it is over), kept as history; stars
    earned, or changed by late batches and upheld appeals, are announced (evaluation.star_graded)."""
    month = _previous(now.astimezone(SHANGHAI).date().replace(day=1))
    announced = 0
    with uow_factory() as uow:
        for grade in star_grades_of(uow, month, rule, min_group):
            where = (star_grades.c.scope == grade["scope"], star_grades.c.key == grade["key"],
                     star_grades.c.month == grade["month"])
            before = uow.session.execute(sa.select(star_grades).where(*where)).first()
            if before is not None and (before.stars, before.ratings, before.satisfaction_rate) == (
                    grade["stars"], grade["ratings"], grade["satisfaction_rate"]):
                continue
            values = {"unit_id": grade["unit_id"], "stars": grade["stars"], "ratings": grade["ratings"],
                      "satisfaction_rate": grade["satisfaction_rate"], "graded_at": now}
            if before is None:
                uow.session.execute(sa.insert(star_grades).values(
                    id=uuid.uuid4(), scope=grade["scope"], key=grade["key"], month=grade["month"], **values))
            else:
                uow.session.execute(sa.update(star_grades).where(*where).values(**values))
            # news: stars earned, or stars changed; a first "no stars" tells nobody anything
            if (before is None and grade["stars"]) or (before is not None and before.stars != grade["stars"]):
                uow.record("evaluation.star_graded", grade["key"], {
                    **grade, "previous_stars": before.stars if before is not None else None, "graded_at": now})
                announced += 1
    return announced
