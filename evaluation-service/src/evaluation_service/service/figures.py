"""The figures dashboards read (公开口径): the anonymity guard's decision over each calendar year of the
masses' ratings, kept as rows.

A whole year's decision (``domain.disclosure``) costs seconds of CPU for hundreds of thousands of ratings: too
long for a request, and wasted when every web process does it again. So the figures keeper (a process of its
own, ``worker.build_figures_keeper``) keeps each year's guard in memory (``FigureKeeper``) and, every
``DISCLOSURE_REFRESH_SECONDS`` (30), takes in only the ratings that arrived since, works out again only the
answers they reach, and writes only those rows. Anything else that changes a year — an upheld appeal takes a
rating out, windows or units move, the threshold is set otherwise, another process wrote the year, the keeper
started — means the whole year worked out again. Web processes only read rows: every caller of every process
sees the same decision, at most that old, and is told when it was made (``as_of``); a year the keeper has not
worked out yet answers with nothing and no ``as_of`` at once rather than keep a request waiting for a whole
year's pass, and leaves a wish: the keeper works a wished year out next, ahead of the others, and between two
years looks for new wishes, so that the year read shows as soon as its own pass ends. With 0, a read works its
year out itself whenever it changed (the embedded mode and tests: small data, and a rating must show at once).

Longer than 400 lines because the keeper's turn (the cheap look, the wishes, the incremental and the whole pass)
and the reads' side of it (``ensure``, the wish a cold read leaves) share one notion of a year's state: split, each
half would have to restate when a year counts as worked out.
"""
from __future__ import annotations

import gc
import hashlib
import json
import uuid
import weakref
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timezone
from itertools import islice
from time import monotonic, sleep
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pacesetter_shared.db import dialect_insert, insert_ignoring
from pacesetter_shared.directory import units, windows
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..adapters.tables import (appeals, disclosed_figures as table, disclosure_snapshots as snapshots,
                               disclosure_wishes as wishes, window_ratings)
from ..domain.disclosure import Cell, Organisation, YearGuard
from ..domain.ratings import SATISFIED_LEVELS, SHANGHAI, Granularity, LevelCounts, rate_in_places

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


def _directory(uow: UnitOfWork) -> tuple:
    """Where the windows and units sit, which is all a year's figures take from the directory: a window renamed,
    its members on duty or a unit's secretary changed (a new revision each) move no figure, and were a whole
    pass of every year each (minutes at ten million ratings)."""
    placed = hashlib.blake2b(digest_size=8)
    for listed, above in ((windows, windows.c.unit_id), (units, units.c.parent_id)):
        for row in uow.session.execute(sa.select(listed.c.id, above).order_by(listed.c.id)):
            placed.update(f"{row[0]}>{row[1]};".encode())
    return (placed.hexdigest(),)


@dataclass(frozen=True)
class Fingerprint:
    """What changes whenever a year's figures may: a rating arrives (count, last id), an appeal is upheld
    (excluded), windows or units move (directory), the threshold is set otherwise."""

    min_group: int
    count: int = 0
    last_id: int = 0
    excluded: int = 0
    directory: tuple = ()

    def __str__(self) -> str:
        if not self.count:
            return f"{self.min_group}:empty"
        return ":".join(str(value or 0) for value in (self.min_group, self.count, self.last_id, self.excluded,
                                                      *self.directory))


def _fingerprints(uow: UnitOfWork, min_group: int, year: int | None = None,
                  upto: int | None = None) -> dict[int, Fingerprint]:
    """Per year with ratings (or only ``year``), of the ratings up to id ``upto`` (see ``settled``) when
    given. Read before the ratings, so that a change in between is caught the next time."""
    session = uow.session
    directory = _directory(uow)
    year_of = _shanghai_year(session.bind.dialect.name).label("year")
    query = sa.select(year_of, sa.func.count(), sa.func.max(window_ratings.c.id),
                      sa.func.sum(sa.case((window_ratings.c.excluded.is_(True), 1), else_=0))).group_by(year_of)
    if year is not None:  # one scan of the ratings for every year, or a range scan for one
        since, until = year_bounds(year)
        query = query.where(window_ratings.c.rated_at >= since, window_ratings.c.rated_at < until)
    if upto is not None:
        query = query.where(window_ratings.c.id <= upto)
    return {int(row[0]): Fingerprint(min_group, row[1], row[2] or 0, row[3] or 0, directory)
            for row in session.execute(query)}


def _fingerprint(uow: UnitOfWork, year: int, min_group: int) -> Fingerprint:
    return _fingerprints(uow, min_group, year).get(year) or Fingerprint(min_group)


# transactions other than this one that write the ratings (fast-path locks included), each by its own id
_WRITERS = ("SELECT array_agg(virtualtransaction) FROM pg_locks WHERE locktype = 'relation' AND granted "
            "AND relation = CAST(:table AS regclass) AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()")


def settled(uow: UnitOfWork, newest: int | None, wait: float = 2.0) -> bool:
    """Whether no rating with an id up to ``newest`` (read just before) can still arrive, waiting up to ``wait``
    seconds for it. An id is taken when a rating is inserted, not when its transaction commits: a batch that took
    lower ids may commit after a later one was read, and a guard that went on from the later id would never
    take it in (a whole pass of the year would, once the numbers no longer add up: minutes at ten million
    ratings, and under the kiosks' load a straggler every few turns). Such a batch holds its lock on the ratings
    from before it takes its ids until it has committed: once every transaction that held one when ``newest``
    had been read has ended, every id up to it is in or never will be. SQLite has one writer at a time."""
    if newest is None or uow.session.bind.dialect.name != "postgresql":
        return True
    table = {"table": window_ratings.name}
    writing = uow.session.execute(sa.text(_WRITERS), table).scalar()
    deadline = monotonic() + wait
    while writing:  # a kiosk's batch commits within milliseconds
        if monotonic() >= deadline:
            return False
        sleep(0.01)
        writing = uow.session.execute(sa.text(_WRITERS + " AND virtualtransaction = ANY(:writing)"),
                                      table | {"writing": writing}).scalar()
    return True


# cells per ``add`` of a whole pass: ~350 bytes a cell (70 MB), little beside a guard of gigabytes, and few adds,
# since each works out again the answers of every unit its chunk reaches (see _cells' order)
_CHUNK = 200_000


def _cells(uow: UnitOfWork, year: int, upto: int, after: int = 0) -> Iterator[dict[Cell, dict[int, int]]]:
    """The year's ratings counted per cell and level, those stored after ``after`` up to ``upto`` (ids: what
    the fingerprint saw, not what arrived since), in chunks of ``_CHUNK`` cells read from a server-side cursor:
    a year of ten million cells never sits in memory at once."""
    since, until = year_bounds(year)
    dialect = uow.session.bind.dialect.name
    day, hour = _shanghai_day_and_hour(dialect)
    day, hour = day.label("day"), hour.label("hour")
    if dialect == "postgresql":  # a cursor is planned for its first tenth (at 1 M ratings an index scan in window
        # order, 5 s), but every row is read: planned so, a scan and a sort (3 s)
        uow.session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1"))
    # a unit's windows one after another: a chunk reaches the answers of a few units (and those above them), not
    # of every unit (at 1 M ratings over 1,000 units, in window order 5 chunks cost the adds 8 s CPU more than one)
    cell = (windows.c.unit_id, window_ratings.c.window_id, window_ratings.c.on_duty_id, day, hour)
    rows = uow.session.execute(
        sa.select(*cell[1:], window_ratings.c.level, sa.func.count().label("n"))
        .select_from(window_ratings.outerjoin(windows, windows.c.id == window_ratings.c.window_id))
        .where(window_ratings.c.excluded.is_(False), window_ratings.c.rated_at >= since,
               window_ratings.c.rated_at < until, window_ratings.c.id > after, window_ratings.c.id <= upto)
        .group_by(*cell, window_ratings.c.level).order_by(*cell),
        execution_options={"yield_per": 10_000})
    # a cell's levels come one after another (no look-up, and a chunk ends between two cells), and each window,
    # member and day is one object for the whole year, not one per row (a UUID is a hundred bytes)
    by_cell: dict[Cell, dict[int, int]] = {}
    one: dict = {}
    last = counts = None
    for window, on_duty, day, hour, level, n in rows:
        if (window, on_duty, day, hour) != last:
            if len(by_cell) == _CHUNK:
                yield by_cell
                by_cell = {}
            last = (window, on_duty, day, hour)
            counts = by_cell[Cell(one.setdefault(window, window), one.setdefault(on_duty, on_duty),
                                  one.setdefault(day, day if isinstance(day, date) else date.fromisoformat(day)),
                                  int(hour))] = {}
        counts[level] = n
    if by_cell:
        yield by_cell


def _row(guard: YearGuard, answer: tuple, organisation: Organisation) -> tuple[tuple, tuple]:
    """An answer's primary key and the rest of its row."""
    kind, key, granularity, start = answer[:4]
    shown, levels = guard.figure(answer)
    if not shown:
        levels = (None,) * len(LEVELS)
    served = home = None
    if kind == "on_duty" and granularity == Granularity.MONTH:
        places: dict = {}
        at = guard.served(answer)  # window -> the member's cells there
        for window, cells in at.items():
            unit = organisation.window_unit.get(window)
            if unit is not None:
                places[unit] = places.get(unit, 0) + cells
        served = sorted(str(w) for w in at)
        # a member counts in the unit where most of their hours of service were rated
        home = max(places, key=lambda u: (places[u], str(u))) if places else None
    return (kind, key, granularity, start, answer[4] if len(answer) > 4 else COUNTS), (shown, *levels, served, home)


_KEY = ("kind", "key", "granularity", "period_start", "part")
_VALUES = ("shown", *(f"level_{level}" for level in LEVELS), "windows", "home_unit_id")
# a whole pass's rows, before they are set against the stored ones (see _write)
_now = sa.Table("disclosed_figures_now", sa.MetaData(),
                *(sa.Column(c, table.c[c].type, primary_key=table.c[c].primary_key) for c in _KEY + _VALUES),
                prefixes=["TEMPORARY"])


def _stored_fingerprint(uow: UnitOfWork, year: int) -> str | None:
    return uow.session.execute(sa.select(snapshots.c.fingerprint).where(snapshots.c.year == year)).scalar()


@dataclass
class _Kept:
    guard: YearGuard
    fingerprint: Fingerprint
    organisation: Organisation


class FigureKeeper:
    """The keeper's guards, a year each, kept between refreshes so that a refresh takes in only new ratings;
    only the latest ``keep`` years (a guard holds hundreds of bytes per answer: a big year's is gigabytes),
    since earlier ones change only by late batches and appeals."""

    def __init__(self, keep: int = 2, look_every: int = 120, settle_wait: float = 2.0) -> None:
        self.years: dict[int, _Kept] = {}
        self.keep = keep
        # the fingerprints scan every rating (10 s of PostgreSQL's CPU at ten million): a turn skips them while a
        # cheap look (``seen``) sees nothing move but newer ratings, yet every ``look_every``-th turn (an hour at
        # 30 s) scans all the same, for a change made around the service's own code
        self.look_every, self.seen, self.turns = look_every, None, 0
        # the ratings are taken in up to this id, where no lower one can still arrive (``settled``); -1: not yet
        self.upto, self.settle_wait = -1, settle_wait

    def settle(self, uow: UnitOfWork, newest: int) -> int:
        """How far this turn takes the ratings in: up to ``newest`` once no lower id can still arrive, else as far
        as the last turn did (a batch still committing shows at the next one)."""
        if newest != self.upto and settled(uow, newest, self.settle_wait):
            self.upto = newest
        return self.upto

    def turn(self, seen: tuple) -> str:
        """What this turn does: "quiet" (nothing moved), "added" (only ratings arrived), "look" (scan)."""
        self.turns += 1
        if self.seen is None or self.turns % self.look_every == 0:
            return "look"
        if seen == self.seen:
            return "quiet"
        return "added" if (seen[0], *seen[2:]) == (self.seen[0], *self.seen[2:]) else "look"

    def set_aside(self) -> None:
        """After a turn's refreshes, once their transactions are over: what they left to collect collected, and what
        lives on (the answers the guards took in) set aside from the collector's later walks. Left among the young
        objects, a day's new answers were walked again at every full collection while they piled up — 0.7–1.0 s of
        a day's refresh at 10 M ratings, which now runs with the collector paused (as the whole pass does). Not
        inside the transaction: the session's own cycles would be set aside with it, never to be collected."""
        gc.collect()
        gc.freeze()

    def hold(self, year: int, kept: _Kept) -> None:
        self.years[year] = kept
        for old in sorted(self.years)[:-self.keep]:
            del self.years[old]

    def usable(self, uow: UnitOfWork, year: int, now: Fingerprint, stored: str | None) -> _Kept | None:
        """The year's guard when ratings were only added since it was written (and windows or units added, or moved
        where the year has no rating), and what is stored is its."""
        kept = self.years.get(year)
        if kept is None or stored != str(kept.fingerprint):
            return None
        was = kept.fingerprint
        if (was.min_group, was.excluded) != (now.min_group, now.excluded):
            return None
        if was.directory != now.directory:
            organisation = organisation_of(uow)
            if not kept.guard.reorganise(organisation):
                return None
            kept.organisation = organisation
        return kept


def refresh(uow: UnitOfWork, year: int, min_group: int, now: datetime, keeper: FigureKeeper | None = None,
            fingerprint: Fingerprint | None = None) -> bool:
    """Work the year's figures out again if anything they depend on changed, writing only the answers that
    did — from the ratings added since, when ``keeper`` holds the year's guard; True when worked out."""
    fingerprint = fingerprint or _fingerprint(uow, year, min_group)
    stored = _stored_fingerprint(uow, year)
    if stored == str(fingerprint):
        return False
    if uow.session.bind.dialect.name == "postgresql":  # replicas and web processes: one at a time per year
        uow.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK + year)))
        stored = _stored_fingerprint(uow, year)
        if stored == str(fingerprint):
            return False
    kept = keeper.usable(uow, year, fingerprint, stored) if keeper else None
    if kept is not None:
        with _collector_paused(keep=False):  # see FigureKeeper.set_aside
            changed = kept.guard.add_all(_cells(uow, year, fingerprint.last_id, kept.fingerprint.last_id))
            # ratings below what the guard took in that it never saw (inserted or deleted around the service: a
            # late commit cannot be, see ``settled``) leave the numbers off: then the whole year
            if kept.guard.ratings != fingerprint.count - fingerprint.excluded:
                kept = None
            else:
                _write(uow, year, (_row(kept.guard, answer, kept.organisation) for answer in changed), only=True)
    if kept is None:
        if keeper is not None:  # the guard kept is of no more use: not two of a year's at once in memory
            keeper.years.pop(year, None)
        with _collector_paused(keep=keeper is not None):
            organisation = organisation_of(uow)
            guard = YearGuard(organisation, min_group, year)
            guard.add_all(_cells(uow, year, fingerprint.last_id))
            kept = _Kept(guard, fingerprint, organisation)
            _write(uow, year, (_row(guard, guard.named(answer), organisation) for answer in guard.answers))
    kept.fingerprint = fingerprint
    if keeper is not None:
        keeper.hold(year, kept)
    uow.session.execute(sa.delete(snapshots).where(snapshots.c.year == year))
    uow.session.execute(sa.insert(snapshots).values(year=year, fingerprint=str(fingerprint), computed_at=now,
                                                    answers=len(kept.guard.answers)))
    uow.session.execute(sa.delete(wishes).where(wishes.c.year == year))
    return True


@contextmanager
def _collector_paused(keep: bool):
    """A whole pass makes tens of millions of objects that live on and hold no cycles: Python's collector walked
    all of them again each time a quarter more had piled up (at 10 M ratings 211 s of an 865 s pass). Paused for the
    pass; a guard kept (``keep``) is then set aside from every later collection (``gc.freeze``), which would
    otherwise walk its gigabytes during the refreshes that follow."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if paused:
            gc.enable()


def _write(uow: UnitOfWork, year: int, rows: Iterable[tuple[tuple, tuple]], only: bool = False) -> None:
    """The year's rows made these (primary key, the rest): every row of the year, or ``only`` these ones. Streamed
    into a temporary table and set against the stored rows in SQL, so that neither sits in memory (a whole pass's
    millions) and PostgreSQL takes them by COPY (a day's 100,000 changed rows: 1.6 s of the keeper's CPU as an
    executemany); a row that did not change is not written again."""
    session = uow.session
    connection = session.connection()
    _now.create(connection)
    if connection.dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(
                f"COPY {_now.name} ({', '.join(_KEY + _VALUES)}) FROM STDIN") as copy:
            for pk, (*values, served, home) in rows:
                copy.write_row((*pk, *values, None if served is None else json.dumps(served), home))
        if not only:  # autovacuum never looks at a temporary table: unanalysed, the DELETE below over 560,000
            # stored rows was planned into 38 s, analysed 3 s
            session.execute(sa.text(f"ANALYZE {_now.name}"))
    else:
        rows = iter(rows)
        while chunk := [dict(zip(_KEY + _VALUES, (*pk, *values))) for pk, values in islice(rows, 10_000)]:
            session.execute(sa.insert(_now), chunk)
    if not only:
        same_key = [table.c[c] == _now.c[c] for c in _KEY]
        session.execute(sa.delete(table).where(table.c.year == year, ~sa.exists().where(*same_key)))
    # the SELECT's WHERE: SQLite would read ON CONFLICT as a join's
    upsert = dialect_insert(session, table).from_select(
        [*_KEY, *_VALUES, "year"], sa.select(*(_now.c[c] for c in _KEY + _VALUES), sa.literal(year)).where(sa.true()))
    session.execute(upsert.on_conflict_do_update(
        index_elements=list(_KEY), set_={c: upsert.excluded[c] for c in _VALUES},
        where=sa.or_(*(table.c[c].is_distinct_from(upsert.excluded[c]) for c in _VALUES))))
    _now.drop(connection)  # now, not at the commit: a read's transaction may work out several years
    if not only and connection.dialect.name == "postgresql":
        # a whole year's rows written at once: read with the statistics of before (none, at a first pass: the
        # ranking at 10 M ratings was planned into a nested loop of 5.5 M comparisons, 640 ms against 23) until
        # autovacuum comes by, if it is on at all
        session.execute(sa.text(f"ANALYZE {table.name}"))


class _Seen:
    """What this process has seen of a database's years (reads ask again every few seconds while a year is
    worked out): the years with ratings (they keep them), the years it wished (once each, until worked out)."""

    def __init__(self) -> None:
        self.rated: set[int] = set()
        self.wished: set[int] = set()


_SEEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per engine: a test's database is not another's


def _seen(uow: UnitOfWork) -> _Seen:
    engine = uow.session.get_bind()
    if engine not in _SEEN:
        _SEEN[engine] = _Seen()
    return _SEEN[engine]


def ensure(uow: UnitOfWork, years: Iterable[int], policy: FigurePolicy) -> tuple[datetime | None, list[int]]:
    """With ``refresh_on_read``, the years' figures worked out again if they changed. When the oldest of them
    was worked out (None when one never was), and the years never worked out (the keeper has not reached them
    yet: each is wished, once)."""
    years = sorted(set(years))
    for year in years if policy.refresh_on_read else ():
        try:
            refresh(uow, year, policy.min_group, datetime.now(timezone.utc))
        except IntegrityError:  # another thread of this process wrote the year first (SQLite)
            uow.session.rollback()
            uow.session.begin()
    computed = dict(uow.session.execute(
        sa.select(snapshots.c.year, snapshots.c.computed_at).where(snapshots.c.year.in_(years))).all())
    cold = [year for year in years if year not in computed]
    seen = _seen(uow)
    seen.wished.difference_update(computed)  # worked out, its wish let go: wished again should it go cold
    for year in cold if not policy.refresh_on_read else ():
        if year not in seen.wished:
            _wish(uow, year)
            seen.wished.add(year)
    return (None if cold or not computed else min(computed.values())), cold


def _wish(uow: UnitOfWork, year: int) -> None:
    """Someone read the year before it was worked out: the keeper takes it next. Written once (a year without
    ratings, never worked out, keeps its wish: asked again, it changes nothing, so the keeper's cheap look
    stays quiet); let go when the year is written."""
    uow.session.execute(insert_ignoring(uow.session, wishes, "year"), {"year": year, "asked_at": datetime.now(timezone.utc)})


def has_ratings(uow: UnitOfWork, year: int) -> bool:
    """Whether the year has ratings: a probe of (window_id, rated_at) per window, never a scan of the ratings
    (the planner scans them for a plain EXISTS, and a year at their end is read last): ~1.5 ms at 1M ratings
    over 500 windows, and once per year and process when it has (ratings and windows are never deleted)."""
    seen = _seen(uow)
    if year not in seen.rated:
        since, until = year_bounds(year)
        first = sa.select(window_ratings.c.id).where(
            window_ratings.c.window_id == windows.c.id, window_ratings.c.rated_at >= since,
            window_ratings.c.rated_at < until).limit(1).correlate(windows).scalar_subquery()
        if uow.session.execute(sa.select(sa.exists(sa.select(windows.c.id).where(first.is_not(None))))).scalar():
            seen.rated.add(year)
    return year in seen.rated


def _wished(uow_factory: UnitOfWorkFactory) -> set[int]:
    with uow_factory() as uow:
        return set(uow.session.execute(sa.select(wishes.c.year)).scalars())


def refresh_changed(uow_factory: UnitOfWorkFactory, now: datetime, min_group: int,
                    keeper: FigureKeeper | None = None) -> int:
    """The figures keeper's job: every year with ratings whose figures are missing or out of date (late kiosk
    batches and upheld appeals change past years too), each in its own transaction, so that reads never
    have to; how many years were worked out again."""
    with uow_factory() as uow:
        # the cheap look (indexes and small tables): the newest rating, the appeals decided, the directory…
        newest = uow.session.execute(sa.select(sa.func.max(window_ratings.c.id))).scalar() or 0
        upto = keeper.settle(uow, newest) if keeper is not None else None
        if upto == -1:  # nothing settled yet (kiosks' batches kept committing): the next turn
            return 0
        seen = (min_group, upto,
                *uow.session.execute(sa.select(sa.func.count(appeals.c.decided_at), sa.func.max(appeals.c.decided_at))).one(),
                *_directory(uow), now.astimezone(SHANGHAI).year)
        turn = keeper.turn((*seen, *_kept_years(uow))) if keeper is not None else "look"
        if turn == "quiet":
            return 0
        current = _added(uow, keeper, min_group, upto) if turn == "added" else None
        if current is None:
            current = _fingerprints(uow, min_group, upto=upto)
        stored = dict(uow.session.execute(sa.select(snapshots.c.year, snapshots.c.fingerprint)).all())
        # newest first (the years most read); a wished year ahead of all, looked for again after every year
        pending = sorted((year for year in set(current) | {now.astimezone(SHANGHAI).year}
                          if stored.get(year) != str(current.get(year, Fingerprint(min_group)))), reverse=True)
    refreshed = 0
    while pending:
        wished = _wished(uow_factory)
        year = next((year for year in pending if year in wished), pending[0])
        pending.remove(year)
        with uow_factory() as uow:
            refreshed += refresh(uow, year, min_group, now, keeper, current.get(year))
    if keeper is not None:  # …and the years kept, as this turn left them (a year deleted by hand is seen)
        with uow_factory() as uow:
            keeper.seen = (*seen, *_kept_years(uow))
        if refreshed:
            keeper.set_aside()
    return refreshed


def _added(uow: UnitOfWork, keeper: FigureKeeper, min_group: int, upto: int) -> dict[int, Fingerprint] | None:
    """Each kept year's fingerprint, from the ratings stored after the last it saw up to ``upto`` (ranges of the
    primary key, not a scan); None when a year without a kept guard got ratings."""
    year_of = _shanghai_year(uow.session.bind.dialect.name)
    fingerprints = {year: kept.fingerprint for year, kept in keeper.years.items()}
    for year, in uow.session.execute(sa.select(year_of).where(window_ratings.c.id > keeper.seen[1],
                                                               window_ratings.c.id <= upto).distinct()):
        if year not in keeper.years:
            return None
        was = keeper.years[year].fingerprint
        since, until = year_bounds(year)
        count, last = uow.session.execute(sa.select(sa.func.count(), sa.func.max(window_ratings.c.id)).where(
            window_ratings.c.id > was.last_id, window_ratings.c.id <= upto, window_ratings.c.rated_at >= since,
            window_ratings.c.rated_at < until)).one()
        fingerprints[year] = replace(was, count=was.count + count, last_id=max(was.last_id, last or 0))
    return fingerprints


def _kept_years(uow: UnitOfWork) -> tuple:
    """The years worked out, and the years wished (a new wish makes a turn look)."""
    return (*uow.session.execute(sa.select(sa.func.count(), sa.func.max(snapshots.c.computed_at))).one(),
            uow.session.execute(sa.select(sa.func.count()).select_from(wishes)).scalar())


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


def _summed(levels: Iterable[int]):
    """level_a + level_b + … of a row, in SQL."""
    columns = [table.c[f"level_{level}"] for level in sorted(levels)]
    return sum(columns[1:], columns[0])


class MonthPlace(NamedTuple):
    """A place in a month's ranking: its rank (shared by ties), ratings, rate in ten-thousandths, and whether it
    is the last place this month and the month before."""

    key: uuid.UUID
    rank: int
    total: int
    rate: int
    last_two_months: bool


def _served_outside(windows_: sa.Select, month: date, dialect: str) -> sa.Select:
    """The members on duty who served in ``month`` at a window other than ``windows_`` (a ranking under a unit
    takes a member only where all their month's ratings were given under it)."""
    figure, at = table.alias("served_by"), windows_.subquery("at")
    if dialect == "postgresql":
        served = sa.func.jsonb_array_elements_text(figure.c.windows).table_valued("value").alias("served")
        window = sa.cast(served.c.value, sa.Uuid)
    else:  # SQLite keeps a UUID as its 32 hex digits, the JSON list as text with hyphens
        served = sa.func.json_each(figure.c.windows).table_valued("value").alias("served")
        window = sa.func.replace(served.c.value, "-", "")
    # an anti-join: as NOT EXISTS per member, PostgreSQL priced the hashed windows once per row, and JIT-compiled
    # a 70 ms read for half a second
    return sa.select(figure.c.key).select_from(figure.join(served, sa.true()).outerjoin(
        at, at.c.id == window)).where(figure.c.kind == "on_duty", figure.c.granularity == Granularity.MONTH,
                                      figure.c.period_start == month, figure.c.part == COUNTS, at.c.id.is_(None))


def month_places(uow: UnitOfWork, kind: str, month: date, before: date | None, windows_: sa.Select, least: int,
                 offset: int, limit: int) -> tuple[list[MonthPlace], int]:
    """A page of a month's ranking of the windows ``windows_`` selects (or of the members on duty who served only
    at them), by their month answers that show with ``least`` ratings or more, each flagged when it is last in
    ``before``'s ranking too; and how many places it has.

    Ranked, counted and paged by the database: 5,000 windows' two months read into Python and sorted there cost
    a ranking ~70 ms of CPU at 10 million ratings (issue 24), the members' 15,000 rows ~400 ms."""
    rated = table.c.kind == kind, table.c.granularity == Granularity.MONTH, table.c.part == COUNTS, \
        table.c.shown.is_(True)
    total, satisfied = _summed(LEVELS), _summed(SATISFIED_LEVELS)
    whose = table.c.key.in_(windows_) if kind == "window" else \
        table.c.key.not_in(_served_outside(windows_, month, uow.session.bind.dialect.name))
    months_ = [month] if before is None else [month, before]  # each ranked on its own
    shown = sa.select(table.c.period_start.label("month"), table.c.key, total.label("total"),
                      rate_in_places(sa.cast(satisfied, sa.BigInteger), total).label("rate")).where(
        *rated, table.c.period_start.in_(months_), total >= max(least, 1), whose).subquery("shown")
    by_month = {"partition_by": shown.c.month}
    ranked = sa.select(shown, sa.func.rank().over(**by_month, order_by=shown.c.rate.desc()).label("rank"),
                       sa.func.count().over(**by_month).label("places"),
                       sa.and_(shown.c.rate == sa.func.min(shown.c.rate).over(**by_month),
                               shown.c.rate < sa.func.max(shown.c.rate).over(**by_month)).label("last")
                       ).cte("ranked")
    last_before = sa.select(ranked.c.key).where(ranked.c.month == before, ranked.c.last)
    rows = uow.session.execute(sa.select(
        ranked.c.key, ranked.c.rank, ranked.c.total, ranked.c.rate, ranked.c.places,
        (sa.and_(ranked.c.last, ranked.c.key.in_(last_before)) if before else sa.false()).label("last_two_months")
    ).where(ranked.c.month == month).order_by(
        ranked.c.rate.desc(), ranked.c.total.desc(), ranked.c.key).offset(offset).limit(limit)).all()
    if rows:
        places = rows[0].places
    else:  # a page past the end still tells how many there are
        places = uow.session.execute(sa.select(sa.func.count()).select_from(shown).where(
            shown.c.month == month)).scalar_one()
    return [MonthPlace(r.key, r.rank, r.total, r.rate, bool(r.last_two_months)) for r in rows], places


def rhythm_of(uow: UnitOfWork, kind: str, unit_id, span: str, period: date) -> list[Figure]:
    """A unit's satisfaction by hour of day or by weekday over a month or a year, in order."""
    return _read(uow, table.c.kind == kind, table.c.key == unit_id, table.c.granularity == span,
                 table.c.period_start == period)
