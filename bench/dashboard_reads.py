"""The committee's dashboard reads (issue 24: p95 ≤ 100 ms at 5,000 windows) over a year of kept figures, in-process.

Prints figures, never pass/fail. ``.venv/bin/python bench/dashboard_reads.py [--windows 500 5000] [--calls 20]``

A real 10 M-rating year cannot be worked out yet (the guard's whole pass does not fit in memory), so each size gets
its own PostgreSQL database, migrated with evaluation-service's migrations, holding what the guard would leave: the
bench's organisation shape (``volumes._directory``: the demo committee → general branches of 20 branches → five
windows per branch, three members on duty at each) and one year of ``disclosed_figures`` made on the server
(``INSERT … SELECT generate_series``): every window's, unit's and member's day, week, month and year answers (counts
from a hash, some hidden), the members' months with the window they served at, and every unit's rhythm by office hour
and weekday; and its ``disclosure_snapshots`` row. About 9 M rows at 5,000 windows: two minutes or so to make. Each
window's (unit's, member's) rows are written together, so that a month's answers of 5,000 windows lie on 5,000 pages
of the table, as a year's answers written by the guard window after window would: the worst case for a ranking.

Each of the four reads the bench's ``dashboard_year`` asks, as the organisation department, goes through the
evaluation app's test client (everything but the gateway's hop): a few calls to warm up, then ``--calls`` calls,
CPU seconds of this process (``time.process_time``: PostgreSQL's share is in the wall time only) and wall time,
median and p95, and the ratio of the larger size to the smaller. Each answer's body is printed as a digest, so that
a change of the code can be checked to answer byte for byte the same (``--bodies DIR`` writes them out).
``--keep`` leaves the databases for the next run (reused while this file is unchanged); else they are dropped.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import volumes  # noqa: E402
from evaluation_service.app import create_app, migrate  # noqa: E402
from gateway.service.demo import _id  # noqa: E402
from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.db import make_engine  # noqa: E402
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, RoleGrant, sign_identity  # noqa: E402

YEAR = 2025

# Every period of the year, each granularity's as ``bucket_of`` starts them (a year's first week cut at its edge).
PERIODS = f"""
    SELECT 'day' AS granularity, d::date AS period_start
      FROM generate_series(DATE '{YEAR}-01-01', DATE '{YEAR}-12-31', INTERVAL '1 day') d
    UNION SELECT 'week', greatest(date_trunc('week', d)::date, DATE '{YEAR}-01-01')
      FROM generate_series(DATE '{YEAR}-01-01', DATE '{YEAR}-12-31', INTERVAL '1 day') d
    UNION SELECT 'month', d::date FROM generate_series(DATE '{YEAR}-01-01', DATE '{YEAR}-12-01', INTERVAL '1 month') d
    UNION SELECT 'year', DATE '{YEAR}-01-01'"""
# A period's counts per level: about 27,000 ratings per window in the year (10 M over 5,000 windows with the
# members' and units' answers), the fewer the shorter the period; a day in four and a month in twelve hidden.
SCALE = "(CASE p.granularity WHEN 'day' THEN 4 WHEN 'week' THEN 25 WHEN 'month' THEN 100 ELSE 1200 END)"
SHOWN = "(abs(hashint4(h)::bigint) % CASE p.granularity WHEN 'day' THEN 4 WHEN 'month' THEN 12 ELSE 30 END <> 0)"
LEVELS = ", ".join(f"CASE WHEN {SHOWN} THEN abs(hashint4(h # {level})::bigint) % ({SCALE} * {weight}) END"
                   for level, weight in ((1, 1), (2, 1), (3, 2), (4, 3), (5, 5)))
COLUMNS = "kind, key, granularity, period_start, part, year, shown, level_1, level_2, level_3, level_4, level_5"


def _answers(conn, kind: str, keys: str) -> None:
    """Every period's count answer of ``keys`` (a query of ``key``, ``n`` a number of it, and ``windows`` and
    ``home``: a member's months only, NULL for the others)."""
    conn.execute(sa.text(
        f"INSERT INTO disclosed_figures ({COLUMNS}, windows, home_unit_id) "
        f"SELECT '{kind}', k.key, p.granularity, p.period_start, -1, {YEAR}, {SHOWN}, {LEVELS}, "
        "CASE WHEN p.granularity = 'month' THEN k.windows END, CASE WHEN p.granularity = 'month' THEN k.home END "
        f"FROM (SELECT *, hashint4(n) AS seed FROM ({keys}) keys) k "
        f"CROSS JOIN ({PERIODS}) p CROSS JOIN LATERAL (SELECT k.seed # (p.period_start - DATE '{YEAR}-01-01') "
        "# hashint4(length(p.granularity)) AS h) hashed ORDER BY k.key, p.granularity, p.period_start"))


def make_year(conn, windows: int) -> None:
    conn.execute(sa.text("INSERT INTO dir_units (id, name, kind, parent_id, department_kind, active, revision) "
                         "VALUES (:id, '党委', 'committee', NULL, 'teaching', true, 1)"), {"id": _id("committee")})
    volumes._directory(conn, windows)
    _answers(conn, "window", "SELECT id AS key, row_number() OVER (ORDER BY id)::int AS n, "
                             "NULL::json AS windows, NULL::uuid AS home FROM dir_windows")
    _answers(conn, "unit", "SELECT id AS key, 1000000 + row_number() OVER (ORDER BY id)::int AS n, "
                           "NULL::json AS windows, NULL::uuid AS home FROM dir_units")
    _answers(conn, "on_duty", "SELECT p.id::uuid AS key, 2000000 + row_number() OVER (ORDER BY p.id)::int AS n, "
                              "json_build_array(w.id::text) AS windows, w.unit_id AS home FROM dir_windows w "
                              "CROSS JOIN LATERAL jsonb_array_elements_text(w.on_duty_ids) p(id)")
    # every unit's rhythm: office hours 8–17 and the weekdays, over each month and the year
    conn.execute(sa.text(
        f"INSERT INTO disclosed_figures ({COLUMNS}) "
        f"SELECT t.kind, u.id, p.granularity, p.period_start, t.part, {YEAR}, {SHOWN}, {LEVELS} "
        f"FROM (SELECT id, hashint4(3000000 + row_number() OVER (ORDER BY id)::int) AS seed FROM dir_units) u "
        "CROSS JOIN (SELECT 'hour' AS kind, generate_series(8, 17) AS part "
        "            UNION ALL SELECT 'weekday', generate_series(1, 7)) t "
        f"CROSS JOIN ({PERIODS}) p CROSS JOIN LATERAL (SELECT u.seed # t.part # "
        f"(p.period_start - DATE '{YEAR}-01-01') AS h) hashed WHERE p.granularity IN ('month', 'year')"))
    answers = conn.execute(sa.text("SELECT count(*) FROM disclosed_figures")).scalar()
    conn.execute(sa.text("INSERT INTO disclosure_snapshots (year, fingerprint, computed_at, answers) "
                         "VALUES (:year, 'bench', now(), :answers)"), {"year": YEAR, "answers": answers})
    conn.execute(sa.text("CREATE TABLE bench_dashboard (maker text)"))
    conn.execute(sa.text("INSERT INTO bench_dashboard VALUES (:maker)"), {"maker": MAKER})


# a kept database made by other code is made again
MAKER = hashlib.md5("".join(inspect.getsource(f) for f in (_answers, make_year, volumes._directory)).encode()
                    + PERIODS.encode() + LEVELS.encode()).hexdigest()


def _made_by(url: str) -> str | None:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT maker FROM bench_dashboard")).scalar()
    except sa.exc.ProgrammingError:  # made halfway
        return None
    finally:
        engine.dispose()


def database(pg: str, windows: int, var_dir: str) -> str:
    """The size's database, migrated to the current schema (a kept one too: a new index shows in the next run),
    its year made unless a kept one was made by this file as it is."""
    name = f"bench_dashboard_{windows}"
    url = f"{pg}/{name}"
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            kept = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if kept and _made_by(url) != MAKER:
                conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                kept = None
            if not kept:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    migrate(load_settings("evaluation", {"DATABASE_URL": url, "PACESETTER_VAR_DIR": var_dir}))
    if kept:
        return url
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        began = time.perf_counter()
        with engine.begin() as conn:
            make_year(conn, windows)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        print(f"  made {name} in {time.perf_counter() - began:.0f} s", flush=True)
    finally:
        engine.dispose()
    return url


def drop(pg: str, windows: int) -> None:
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "bench_dashboard_{windows}" WITH (FORCE)'))
    admin.dispose()


def reads() -> dict[str, str]:
    committee, whole = _id("committee"), f"from={YEAR}-01-01&to={YEAR}-12-31"
    return {"summary by month": f"/api/ratings/summary?unit_id={committee}&granularity=month&{whole}",
            "summary by week": f"/api/ratings/summary?unit_id={committee}&granularity=week&{whole}&limit=60",
            "ranking": f"/api/ratings/ranking?unit_id={committee}&month={YEAR}-06",
            "rhythm": f"/api/ratings/rhythm?unit_id={committee}&{whole}"}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def backends_cpu(monitor, database: str) -> float:
    """CPU seconds PostgreSQL's backends of ``database`` have spent (on this machine; /proc counts in ticks, so
    a mean over many calls)."""
    pids = monitor.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                           {"d": database}).scalars()
    ticks = 0
    for pid in pids:
        try:
            ticks += sum(map(int, Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]))
        except FileNotFoundError:  # a backend that just ended
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(url: str, var_dir: str, calls: int, bodies: Path | None, windows: int) -> dict[str, dict]:
    env = {"DATABASE_URL": url, "PACESETTER_VAR_DIR": var_dir, "LOG_JSON": "false", "DISCLOSURE_REFRESH_SECONDS": "30"}
    app = create_app(load_settings("evaluation", env))
    org = Identity(subject=str(uuid.uuid4()), kind="person", name="组织部", unit_id=None,
                   roles=(RoleGrant("org_department", str(_id("committee"))),))
    key = load_settings("gateway", {"PACESETTER_VAR_DIR": var_dir}).identity_private_key
    headers = {IDENTITY_HEADER: sign_identity(org, key)}
    client, found = app.test_client(), {}
    monitor_engine = make_engine(url, poolclass=sa.pool.NullPool)
    with monitor_engine.connect() as monitor:
        for name, path in reads().items():
            for _ in range(6):  # warm: the pool's connection, the statements' compiled and prepared forms
                answer = client.get(path, headers=headers)
                assert answer.status_code == 200, (name, answer.status_code, answer.get_data(as_text=True))
            cpu, wall, server = [], [], backends_cpu(monitor, url.rsplit("/", 1)[1])
            for _ in range(calls):
                began, began_cpu = time.perf_counter(), time.process_time()
                body = client.get(path, headers=headers).get_data()
                cpu.append(1000 * (time.process_time() - began_cpu))
                wall.append(1000 * (time.perf_counter() - began))
            server = 1000 * (backends_cpu(monitor, url.rsplit("/", 1)[1]) - server) / calls
            found[name] = {"cpu": cpu, "wall": wall, "server": server, "digest": hashlib.sha256(body).hexdigest()[:16],
                           "bytes": len(body)}
        if bodies is not None:
            bodies.mkdir(parents=True, exist_ok=True)
            (bodies / f"{windows}-{name.replace(' ', '_')}.json").write_bytes(body)
    monitor_engine.dispose()
    app.extensions["pacesetter"].engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("PACESETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--windows", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--bodies", type=Path, help="write each answer's body here")
    parser.add_argument("--keep", action="store_true", help="keep the databases for the next run")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a kept database migrated again says so each run
    var_dir = tempfile.mkdtemp(prefix="bench-dashboard-")
    results = {}
    try:
        for windows in args.windows:
            print(f"{windows:,} windows, {3 * windows:,} members on duty, {YEAR}", flush=True)
            results[windows] = measure(database(args.pg, windows, var_dir), var_dir, args.calls, args.bodies, windows)
            for name, m in results[windows].items():
                print(f"  {name:17} CPU ms median {statistics.median(m['cpu']):6.1f} p95 {p95(m['cpu']):6.1f}   "
                      f"wall ms median {statistics.median(m['wall']):6.1f} p95 {p95(m['wall']):6.1f}   "
                      f"PostgreSQL CPU ms mean {m['server']:5.1f}   "
                      f"body {m['bytes']:,} B sha256 {m['digest']}", flush=True)
    finally:
        for windows in args.windows if not args.keep else ():
            drop(args.pg, windows)
    if len(results) > 1:
        (small, smaller), (large, larger) = sorted(results.items())[0], sorted(results.items())[-1]
        print(f"{large:,} windows over {small:,}, p95:")
        for name in larger:
            print(f"  {name:17} CPU x{p95(larger[name]['cpu']) / p95(smaller[name]['cpu']):5.1f}   "
                  f"wall x{p95(larger[name]['wall']) / p95(smaller[name]['wall']):5.1f}")


if __name__ == "__main__":
    main()
