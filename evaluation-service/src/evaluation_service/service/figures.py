"""The figures dashboards read (公开口径): the anonymity guard's decision over each calendar year of the
masses' ratings, kept as rows.

Deciding a year (``domain.disclosure``) costs seconds of CPU for hundreds of thousands of ratings: too long
for a request, and wasted when every web process does it again. So the worker works a year out again once
its ratings, its upheld appeals, the directory or the threshold changed, every ``DISCLOSURE_REFRESH_SECONDS`` (300),
and web processes only read rows: every caller of every process sees the same decision, at most that old,
and is told when it was made (``as_of``). With 0, a read works its year out itself whenever it changed
(the embedded mode and tests: small data, and a rating must show at once). A year nobody asked for before
is worked out on its first read.
"""
from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pacesetter_shared.directory import units, windows
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..adapters.tables import disclosed_figures as table, disclosure_snapshots as snapshots, window_ratings
from ..domain.disclosure import Cell, Disclosure, Organisation, disclose
from ..domain.ratings import SHANGHAI, Granularity, LevelCounts

COUNTS = -1  # the part of a count answer; rhythm answers have an hour or a weekday there
LEVELS = range(1, 6)
_LOCK = zlib.crc32(b"disclosed_figures") << 16  # PostgreSQL advisory lock of a year: _LOCK + year


@dataclass(frozen=True)
class FigurePolicy:
    """How the figures are kept: the anonymity threshold, and whether a read refreshes its year itself."""

    min_group: int
    refresh_on_read: bool = False


@dataclass(frozen=True)
class Figure:
    """One answer of the guard's decision; ``counts`` only when it shows."""

    kind: str  # window / unit / on_duty, or hour / weekday (a unit's rhythm)
    key: object
    granularity: str  # day / week / month / year
    period_start: date
    part: int  # hour 0–23, ISO weekday 1–7, or COUNTS
    counts: LevelCounts | None
    windows: frozenset = frozenset()  # a member on duty's month: the windows they served at
    home_unit_id: object = None  # a member on duty's month: the unit most of their ratings were given in


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime.combine(date(year, 1, 1), time(0), SHANGHAI),
            datetime.combine(date(year + 1, 1, 1), time(0), SHANGHAI))


def organisation_of(uow: UnitOfWork) -> Organisation:
    return Organisation(
        window_unit=dict(uow.session.execute(sa.select(windows.c.id, windows.c.unit_id)).all()),
        parent=dict(uow.session.execute(sa.select(units.c.id, units.c.parent_id)).all()))


def _shanghai_day_and_hour(dialect: str):
    # Shanghai keeps no summer time: its day is UTC+8 all year.
    if dialect == "postgresql":
        local = sa.func.timezone("Asia/Shanghai", window_ratings.c.rated_at)
        return sa.cast(local, sa.Date), sa.extract("hour", local)
    return (sa.func.date(window_ratings.c.rated_at, "+8 hours"),
            sa.cast(sa.func.strftime("%H", window_ratings.c.rated_at, "+8 hours"), sa.Integer))


def _shanghai_year(dialect: str):
    if dialect == "postgresql":
        return sa.cast(sa.extract("year", sa.func.timezone("Asia/Shanghai", window_ratings.c.rated_at)), sa.Integer)
    return sa.cast(sa.func.strftime("%Y", window_ratings.c.rated_at, "+8 hours"), sa.Integer)


def _fingerprints(uow: UnitOfWork, min_group: int, year: int | None = None) -> dict[int, str]:
    """Per year with ratings (or only ``year``): what changes whenever its figures may — a rating arrives,
    an appeal is upheld, windows or units move, the threshold is set otherwise. Read before the ratings,
    so that a change in between is caught the next time."""
    session = uow.session
    directory = (*session.execute(sa.select(sa.func.count(), sa.func.sum(windows.c.revision))).one(),
                 *session.execute(sa.select(sa.func.count(), sa.func.sum(units.c.revision))).one())
    year_of = _shanghai_year(session.bind.dialect.name).label("year")
    query = sa.select(year_of, sa.func.count(), sa.func.max(window_ratings.c.id),
                      sa.func.sum(sa.case((window_ratings.c.excluded.is_(True), 1), else_=0))).group_by(year_of)
    if year is not None:  # one scan of the ratings for every year, or a range scan for one
        since, until = year_bounds(year)
        query = query.where(window_ratings.c.rated_at >= since, window_ratings.c.rated_at < until)
    return {int(row[0]): ":".join(str(value or 0) for value in (min_group, *row[1:], *directory))
            for row in session.execute(query)}


def _fingerprint(uow: UnitOfWork, year: int, min_group: int) -> str:
    return _fingerprints(uow, min_group, year).get(year) or f"{min_group}:empty"


def _decide(uow: UnitOfWork, year: int, min_group: int) -> tuple[Disclosure, Organisation]:
    since, until = year_bounds(year)
    day, hour = _shanghai_day_and_hour(uow.session.bind.dialect.name)
    day, hour = day.label("day"), hour.label("hour")
    rows = uow.session.execute(
        sa.select(window_ratings.c.window_id, window_ratings.c.on_duty_id, day, hour, window_ratings.c.level,
                  sa.func.count().label("n"))
        .where(window_ratings.c.excluded.is_(False), window_ratings.c.rated_at >= since,
               window_ratings.c.rated_at < until)
        .group_by(window_ratings.c.window_id, window_ratings.c.on_duty_id, day, hour, window_ratings.c.level)).all()
    # keyed by plain tuples first: hundreds of thousands of rows, and a tuple hashes in C
    by_cell: dict[tuple, dict[int, int]] = {}
    for window, on_duty, day, hour, level, n in rows:
        by_cell.setdefault((window, on_duty, day, hour), {})[level] = n
    cells = {Cell(window, on_duty, day if isinstance(day, date) else date.fromisoformat(day), int(hour)): counts
             for (window, on_duty, day, hour), counts in by_cell.items()}
    organisation = organisation_of(uow)
    return disclose(cells, organisation, min_group, year), organisation


def _rows(decision: Disclosure, organisation: Organisation) -> dict[tuple, tuple]:
    """Primary key → the rest of the row, for every answer of the decision."""
    rows = {}
    for answer in decision.totals:
        kind, key, granularity, start = answer[:4]
        shown = decision.get(answer)
        levels = tuple(shown.counts.get(level, 0) for level in LEVELS) if shown else (None,) * len(LEVELS)
        served = home = None
        if kind == "on_duty" and granularity == Granularity.MONTH:
            places: dict = {}
            served_at = set()
            for cell in decision.cells_of(answer):
                served_at.add(cell.window)
                unit = organisation.window_unit.get(cell.window)
                if unit is not None:
                    places[unit] = places.get(unit, 0) + 1
            served = sorted(str(w) for w in served_at)
            # a member counts in the unit where most of their hours of service were rated
            home = max(places, key=lambda u: (places[u], str(u))) if places else None
        rows[(kind, key, granularity, start, answer[4] if len(answer) > 4 else COUNTS)] = (
            shown is not None, *levels, served, home)
    return rows


_KEY = ("kind", "key", "granularity", "period_start", "part")
_VALUES = ("shown", *(f"level_{level}" for level in LEVELS), "windows", "home_unit_id")


def _stored_fingerprint(uow: UnitOfWork, year: int) -> str | None:
    return uow.session.execute(sa.select(snapshots.c.fingerprint).where(snapshots.c.year == year)).scalar()


def refresh(uow: UnitOfWork, year: int, min_group: int, now: datetime) -> bool:
    """Work the year out again if anything it depends on changed, writing only the answers that did;
    True when it was worked out."""
    fingerprint = _fingerprint(uow, year, min_group)
    if _stored_fingerprint(uow, year) == fingerprint:
        return False
    if uow.session.bind.dialect.name == "postgresql":  # replicas and web processes: one at a time per year
        uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK + year)))
        if _stored_fingerprint(uow, year) == fingerprint:
            return False
    decision, organisation = _decide(uow, year, min_group)
    new = _rows(decision, organisation)
    old = {tuple(row[:5]): tuple(row[5:]) for row in uow.session.execute(
        sa.select(*(table.c[c] for c in _KEY + _VALUES)).where(table.c.year == year))}
    by_key = [table.c[c] == sa.bindparam(f"k_{c}") for c in _KEY]
    gone = [dict(zip((f"k_{c}" for c in _KEY), pk)) for pk in old if pk not in new]
    added = [{**dict(zip(_KEY, pk)), **dict(zip(_VALUES, values)), "year": year}
             for pk, values in new.items() if pk not in old]
    changed = [{**dict(zip((f"k_{c}" for c in _KEY), pk)), **dict(zip(_VALUES, values))}
               for pk, values in new.items() if pk in old and old[pk] != values]
    if gone:
        uow.session.execute(sa.delete(table).where(*by_key), gone)
    if added:
        uow.session.execute(sa.insert(table), added)
    if changed:
        uow.session.execute(sa.update(table).where(*by_key).values(
            {c: sa.bindparam(c) for c in _VALUES}), changed)
    uow.session.execute(sa.delete(snapshots).where(snapshots.c.year == year))
    uow.session.execute(sa.insert(snapshots).values(year=year, fingerprint=fingerprint, computed_at=now,
                                                    answers=len(new)))
    return True


def ensure(uow: UnitOfWork, years: Iterable[int], policy: FigurePolicy) -> datetime | None:
    """Make sure the years' figures are there (fresh, with ``refresh_on_read``); when the oldest of them
    was worked out, or None when there is nothing."""
    as_of = None
    for year in years:
        computed_at = uow.session.execute(
            sa.select(snapshots.c.computed_at).where(snapshots.c.year == year)).scalar()
        if computed_at is None or policy.refresh_on_read:
            try:
                refresh(uow, year, policy.min_group, datetime.now(timezone.utc))
            except IntegrityError:  # another thread of this process wrote the year first (SQLite)
                uow.session.rollback()
                uow.session.begin()
            computed_at = uow.session.execute(
                sa.select(snapshots.c.computed_at).where(snapshots.c.year == year)).scalar()
        if computed_at is not None and (as_of is None or computed_at < as_of):
            as_of = computed_at
    return as_of


def refresh_changed(uow_factory: UnitOfWorkFactory, now: datetime, min_group: int) -> int:
    """The worker's job: every year with ratings whose figures are missing or out of date (late kiosk
    batches and upheld appeals change past years too), each in its own transaction, so that reads never
    have to; how many years were worked out again."""
    with uow_factory() as uow:
        current = _fingerprints(uow, min_group)
        stored = dict(uow.session.execute(sa.select(snapshots.c.year, snapshots.c.fingerprint)).all())
    refreshed = 0
    for year in sorted(set(current) | {now.astimezone(SHANGHAI).year}):
        if stored.get(year) != current.get(year, f"{min_group}:empty"):
            with uow_factory() as uow:
                refreshed += refresh(uow, year, min_group, now)
    return refreshed


def _figure(row) -> Figure:
    levels = [row[f"level_{level}"] for level in LEVELS]
    counts = LevelCounts({level: n for level, n in zip(LEVELS, levels) if n}) if row["shown"] else None
    return Figure(row["kind"], row["key"], row["granularity"], row["period_start"], row["part"], counts,
                  frozenset(uuid.UUID(w) for w in row["windows"] or ()), row["home_unit_id"])


def _read(uow: UnitOfWork, *where) -> list[Figure]:
    return [_figure(row._mapping) for row in uow.session.execute(
        sa.select(table).where(*where).order_by(*(table.c[c] for c in _KEY)))]


def periods(uow: UnitOfWork, kind: str, key, granularity: str, first: date, last: date) -> list[Figure]:
    """A window's, unit's or member's answers of one granularity whose periods start in [first, last]."""
    return _read(uow, table.c.kind == kind, table.c.key == key, table.c.granularity == granularity,
                 table.c.period_start >= first, table.c.period_start <= last, table.c.part == COUNTS)


def periods_of(uow: UnitOfWork, kind: str, keys: Iterable, granularity: str, first: date, last: date) -> list[Figure]:
    """``periods`` for many windows (or units, members) at once."""
    return _read(uow, table.c.kind == kind, table.c.key.in_(list(keys)), table.c.granularity == granularity,
                 table.c.period_start >= first, table.c.period_start <= last, table.c.part == COUNTS)


def months(uow: UnitOfWork, kind: str, month: date, keys: Iterable | None = None) -> list[Figure]:
    """Every window's (or member on duty's) answer for a month; only these keys when given."""
    where = [table.c.kind == kind, table.c.granularity == Granularity.MONTH, table.c.period_start == month,
             table.c.part == COUNTS]
    if keys is not None:
        where.append(table.c.key.in_(list(keys)))
    return _read(uow, *where)


def rhythm_of(uow: UnitOfWork, kind: str, unit_id, span: str, period: date) -> list[Figure]:
    """A unit's satisfaction by hour of day or by weekday over a month or a year, in order."""
    return _read(uow, table.c.kind == kind, table.c.key == unit_id, table.c.granularity == span,
                 table.c.period_start == period)
