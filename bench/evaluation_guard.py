"""The anonymity guard's cost: a calendar year of an organisation's window ratings decided at once (the whole
pass: a worker's start, an upheld appeal, a moved window), and a day's new ratings taken into the kept
decision (the worker's refresh), at two volumes ten times apart.

Prints figures, never pass/fail. ``.venv/bin/python bench/evaluation_guard.py [--scale bench|system] [--check]``
- ``bench`` (default, under a minute): 10 and 100 windows, 8 service hours every working day of 2026, three
  members on duty per window (one named per rating hour), 0–7 ratings per window-hour (~73k and ~730k ratings);
- ``system``: 500 and 5,000 windows, about one rating per window-hour (~1 and ~10 million ratings) — minutes,
  and memory in gigabytes.
The year is decided up to the day before its last working day, then that day's ratings are taken in.
``--check`` also decides the whole year from nothing and compares every answer (the unit tests do that on
random data). ``--windows 50 500`` takes other sizes (one or more) in the scale's shape. CPU seconds, so that a busy
machine counts less; the peak RSS is the process's so far (run one size alone for its own). ``--memory`` also
decides each size once more under tracemalloc (slower, so apart from the timed run) and prints the bytes per answer
the guard holds after the day (live) and at most on the way (peak): ``--scale system --windows 50 --memory``.

``--volume smaller|larger`` measures the worker's refresh itself (``figures.refresh`` with a ``FigureKeeper``, as its
turn calls it) on a copy of the cached system volume (``benchvol_system_evaluation``, made by ``bench/run.py``; the
copy is dropped after): its last ``--days`` days of ratings held back, the year's whole pass, then each day put back
(new ids, as arriving ratings) and refreshed — read the day's ratings, add, write the changed rows, set the
guard's new objects aside from the collector (``FigureKeeper.set_aside``) — with the CPU of this process split by
step, and of PostgreSQL's backend. ``larger`` (10 M ratings) needs the whole pass's memory: about 1.9 KB per answer
(the guard ~1.1 KB, streamed in and out), some 12 GB.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.domain.disclosure import Cell, Organisation, YearGuard
from evaluation_service.service import figures
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory

SCALES = {"bench": ((10, 100), "campus"), "system": ((500, 5000), "sparse")}
YEAR = 2026


def ratings_of(rng: random.Random, shape: str) -> dict:
    if shape == "campus":  # a busy counter: several ratings an hour
        return {5: rng.randint(0, 4), 4: rng.randint(0, 2), 1: rng.randint(0, 1)}
    level = rng.choices((5, 4, 3, 1, 0), (45, 25, 10, 5, 15))[0]  # about one an hour, sometimes none
    return {level: 1} if level else {}


def year_of(windows_count: int, shape: str) -> tuple[Organisation, dict, dict]:
    """The organisation, the year's cells before the last working day, and that day's."""
    rng = random.Random(1)
    committee = uuid.uuid4()
    general = [uuid.uuid4() for _ in range(4)]
    branches = [uuid.uuid4() for _ in range(12)]
    parent = {committee: None, **{g: committee for g in general}, **{b: general[i % 4] for i, b in enumerate(branches)}}
    windows = [uuid.uuid4() for _ in range(windows_count)]
    organisation = Organisation({w: branches[i % 12] for i, w in enumerate(windows)}, parent)
    on_duty = {w: [uuid.uuid4() for _ in range(3)] for w in windows}
    days = [d for d in (date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)) if d.weekday() < 5]
    before, last = {}, {}
    for window in windows:
        for day in days:
            cells = last if day == days[-1] else before
            for hour in range(8, 16):
                counts = {level: n for level, n in ratings_of(rng, shape).items() if n}
                if counts:
                    cells[Cell(window, rng.choice(on_duty[window]), day, hour)] = counts
    return organisation, before, last


def measure(windows_count: int, shape: str, check: bool) -> dict:
    organisation, before, last = year_of(windows_count, shape)
    guard = YearGuard(organisation, 3, YEAR)
    gc.collect()  # what the year's making left to collect is not the guard's
    started = time.process_time()
    guard.add(before)
    whole = time.process_time() - started
    gc.collect()  # nor what the whole pass left is the day's: one collection more or less is 0.1 s here
    started = time.process_time()
    changed = guard.add(last)
    day = time.process_time() - started
    figures = {"windows": windows_count, "ratings": guard.ratings, "day_ratings": sum(sum(c.values()) for c in last.values()),
               "answers": len(guard.total), "shown": len(guard.shown), "changed": len(changed),
               "whole_cpu_s": whole, "day_cpu_s": day,
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if check:
        fresh = YearGuard(organisation, 3, YEAR)
        fresh.add(before | last)
        figures["same_as_whole_pass"] = fresh.shown == guard.shown and fresh.total == guard.total
    return figures


def memory_per_answer(windows_count: int, shape: str) -> tuple[float, float]:
    """The guard's bytes per answer after the year and its last day are taken in, and at the peak on the way."""
    organisation, before, last = year_of(windows_count, shape)
    tracemalloc.start()
    try:
        guard = YearGuard(organisation, 3, YEAR)
        guard.add(before)
        guard.add(last)
        live, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return live / len(guard.answers), peak / len(guard.answers)


_COLUMNS = ("window_id, unit_id, source, origin, client_id, level, reasons, tag_set_version, on_duty_id, rated_at, "
            "received_at, excluded")
_DAY = "(rated_at AT TIME ZONE 'Asia/Shanghai')::date"


def _backend_cpu(uow) -> float:
    """CPU seconds of this session's PostgreSQL backend so far (the server is on this machine)."""
    pid = uow.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_refresh(pg: str, which: str, days: int) -> None:
    """The worker's refresh on a copy of the cached system volume (see the module's docstring)."""
    import volumes

    year = volumes.rating_years()[0 if which == "smaller" else 1]
    copy = f"benchguard{uuid.uuid4().hex[:8]}"
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {copy} TEMPLATE {volumes.cache_name('system', 'evaluation')}"))
    engine = make_engine(f"{pg}/{copy}", poolclass=sa.pool.NullPool)
    spent: dict[str, float] = {}

    def timed(name, work):  # CPU of each step of a refresh
        def step(*args, **kwargs):
            started = time.process_time()
            try:
                return work(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return step

    def timed_chunks(name, work):  # the cells are read as the guard takes them in: each chunk's reading timed
        def chunks(*args, **kwargs):
            read = work(*args, **kwargs)
            while True:
                started = time.process_time()
                chunk = next(read, None)
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
                if chunk is None:
                    return
                yield chunk
        return chunks

    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE TABLE held AS SELECT * FROM window_ratings WHERE {_DAY} IN (SELECT DISTINCT "
                                 f"{_DAY} FROM window_ratings WHERE rated_at >= :since AND rated_at < :until "
                                 f"ORDER BY 1 DESC LIMIT :days)"), dict(zip(("since", "until"), figures.year_bounds(year)),
                                                                         days=days))
            conn.execute(sa.text("DELETE FROM window_ratings WHERE id IN (SELECT id FROM held)"))
            held = [d for d, in conn.execute(sa.text(f"SELECT DISTINCT {_DAY} FROM held ORDER BY 1"))]
        uow_factory, keeper = UnitOfWorkFactory(make_session_factory(engine), "bench"), figures.FigureKeeper()
        figures._cells, figures._write, figures._row = (timed_chunks("read", figures._cells),
                                                         timed("write", figures._write), timed("rows", figures._row))
        YearGuard.add_all = timed("add", YearGuard.add_all)
        for day in [None, *held]:
            spent.clear()
            with uow_factory() as uow:
                if day is not None:
                    count = uow.session.execute(sa.text(f"INSERT INTO window_ratings ({_COLUMNS}) SELECT {_COLUMNS} "
                                                        f"FROM held WHERE {_DAY} = :day"), {"day": day}).rowcount
            with uow_factory() as uow:  # as the worker's turn: the fingerprint from the ratings after the last seen
                newest = uow.session.execute(sa.text("SELECT max(id) FROM window_ratings")).scalar()
                fingerprint = None if day is None else figures._added(uow, keeper, 3, newest)[year]
                backend, cpu, wall = _backend_cpu(uow), time.process_time(), time.perf_counter()
                assert figures.refresh(uow, year, 3, datetime.now(timezone.utc), keeper, fingerprint)
                cpu, wall, backend = time.process_time() - cpu, time.perf_counter() - wall, _backend_cpu(uow) - backend
                keeper.seen = (3, newest)
            started = time.process_time()  # as the keeper's turn does once its transactions are over
            keeper.set_aside()
            spent["set aside"] = time.process_time() - started
            cpu += spent["set aside"]
            kept = keeper.years[year].guard
            # add_all reads the cells as it goes, and _write makes the rows as it writes: each counted once
            spent["add"] -= spent.get("read", 0.0)
            spent["write"] -= spent.get("rows", 0.0)
            print(f"{'whole pass' if day is None else f'the day {day}: {count:,} new ratings'} | "
                  f"{kept.ratings:,} ratings, {len(kept.answers):,} answers | {cpu:.2f} s CPU ("
                  + ", ".join(f"{name} {seconds:.2f}" for name, seconds in spent.items())
                  + f"), PostgreSQL backend {backend:.2f} s CPU, wall {wall:.1f} s | peak RSS "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB | load average "
                  f"{' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="bench")
    parser.add_argument("--check", action="store_true", help="compare with a whole pass over the year")
    parser.add_argument("--windows", type=int, nargs="+", help="other numbers of windows, in the scale's shape")
    parser.add_argument("--memory", action="store_true", help="also the guard's bytes per answer (tracemalloc)")
    parser.add_argument("--volume", choices=("smaller", "larger"), help="the worker's refresh on the system volume")
    parser.add_argument("--days", type=int, default=3, help="with --volume: the days held back and refreshed")
    parser.add_argument("--pg", default=os.environ.get("PACESETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    if args.volume:
        return measure_refresh(args.pg, args.volume, args.days)
    sizes, shape = SCALES[args.scale]
    sizes = args.windows or sizes
    results = []
    for size in sizes:
        figures = measure(size, shape, args.check)
        results.append(figures)
        memory = ""
        if args.memory:
            live, peak = memory_per_answer(size, shape)
            memory = f" | guard memory {live:,.0f} B/answer (peak {peak:,.0f})"
        print(f"windows={size} ratings={figures['ratings']:,} answers={figures['answers']:,} "
              f"shown={figures['shown']:,} | whole pass {figures['whole_cpu_s']:.2f} s CPU | a day's "
              f"{figures['day_ratings']:,} new ratings taken in {figures['day_cpu_s']:.2f} s CPU, "
              f"{figures['changed']:,} answers changed{memory} | peak RSS so far {figures['peak_rss_mb']:,.0f} MB"
              + (f" | same as the whole pass: {figures['same_as_whole_pass']}" if args.check else ""), flush=True)
    if len(results) < 2:
        return
    small, large = results[0], results[-1]
    grown = large["ratings"] / small["ratings"]
    print(f"×{grown:.1f} ratings → whole pass ×{large['whole_cpu_s'] / small['whole_cpu_s']:.1f}, "
          f"a day's refresh ×{large['day_cpu_s'] / small['day_cpu_s']:.1f} "
          f"(its share of the whole pass {100 * small['day_cpu_s'] / small['whole_cpu_s']:.1f} % → "
          f"{100 * large['day_cpu_s'] / large['whole_cpu_s']:.1f} %)")


if __name__ == "__main__":
    main()
