"""The data volumes of ``make bench --scale campus|system``, made straight in the databases and kept between runs.

Each volume is made by SQL on the server (``INSERT … SELECT`` over ``generate_series``; no API, no rows through
Python) into a cache database per scale and service, ``benchvol_<scale>_<service>``, migrated to the current schema.
A table ``bench_volume`` in it holds the fingerprint of what made it (its maker's code, the sizes, the service's
migrations); a run whose fingerprint matches reuses it, else makes it again. Each run gets its own copy:
``CREATE DATABASE <run>_<service> TEMPLATE benchvol_… STRATEGY FILE_COPY`` (a file copy, seconds for gigabytes),
so the services' writes during the run never reach the cache. ``--volumes fresh`` makes them again,
``--volumes drop`` drops them after the run.

Every volume comes at two sizes in one database, so that one run measures both and prints how a figure grows:
- ratings: a smaller year (a tenth of the windows) and a larger one, two calendar years back and one back, each
  a year nobody asked for (cold); windows of five per branch, three members on duty each;
- pledges: one year per size of the ledger, all the demo member's in their branch;
- grading: one cycle per size, every branch with its 7 self and 7 superior scores and one evaluation round.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from gateway.service.demo import _id
from grading_service.domain.model import (
    DEFAULT_INDICATOR_WEIGHTS, DEFAULT_PART_WEIGHTS, AssessmentPart, Indicator, LevelThresholds,
)
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine
from pacesetter_suite.local import local_environment
from pacesetter_suite.services import SERVICES

ROOT = Path(__file__).resolve().parents[1]

# Per scale: the smaller and the larger size of each volume. campus is issue 10's volume (its larger sizes);
# system is ten times it (issue 24); quick is for iterating.
SCALES = {
    "quick": {"ratings": (2_000, 20_000), "windows": (2, 20), "pledges": (2_000, 8_000),
              "branches": (50, 500)},
    "campus": {"ratings": (100_000, 1_000_000), "windows": (50, 500), "pledges": (25_000, 100_000),
               "branches": (500, 5_000)},
    "system": {"ratings": (1_000_000, 10_000_000), "windows": (500, 5_000), "pledges": (250_000, 1_000_000),
               "branches": (5_000, 50_000)},
}
WINDOWS_PER_BRANCH, BRANCHES_PER_GENERAL_BRANCH, ON_DUTY = 5, 20, 3
# The ledger's two sizes, in years long closed: pledge-service's worker re-announces the statistics of this year on
# and marks published pledges overdue, and a million pledges in its way took it past 3 GB.
PLEDGE_YEARS = (2011, 2012)
GRADING_YEARS = (2081, 2083)  # the two cycles; not adjacent, so neither is the other's "last year"
PREFIX = "benchvol"


def rating_years(today: date | None = None) -> tuple[int, int]:
    """The smaller volume two calendar years back, the larger one year back: whole years, never read before."""
    year = (today or date.today()).year
    return year - 2, year - 1


def md5_id(text: str) -> uuid.UUID:
    """The ids the SQL below makes with ``md5(text)::uuid``, for the bench to name them too."""
    return uuid.UUID(hashlib.md5(text.encode()).hexdigest())


def branch_id(n: int) -> uuid.UUID:
    return md5_id(f"bench-branch-{n}")


def general_branch_id(n: int) -> uuid.UUID:
    return md5_id(f"bench-general-branch-{n}")


# -- the volumes, one function per service: (engine, sizes) → rows made ------------------------------------

def _directory(conn, windows: int) -> None:
    """Into a service's directory projection: general branches under the demo committee, branches, windows
    (five per branch) and three members on duty at each window."""
    branches = -(-windows // WINDOWS_PER_BRANCH)
    generals = -(-branches // BRANCHES_PER_GENERAL_BRANCH)
    conn.execute(sa.text(
        "INSERT INTO dir_units (id, name, kind, parent_id, department_kind, active, revision) "
        "SELECT md5('bench-general-branch-' || g)::uuid, '压测党总支' || g, 'general_branch', :committee, "
        "'teaching', true, 1 FROM generate_series(0, :generals - 1) g"), {"committee": _id("committee"),
                                                                           "generals": generals})
    conn.execute(sa.text(
        "INSERT INTO dir_units (id, name, kind, parent_id, department_kind, active, revision) "
        "SELECT md5('bench-branch-' || b)::uuid, '压测党支部' || b, 'branch', "
        "md5('bench-general-branch-' || b / :per)::uuid, 'teaching', true, 1 FROM generate_series(0, :branches - 1) b"),
        {"per": BRANCHES_PER_GENERAL_BRANCH, "branches": branches})
    conn.execute(sa.text(
        "INSERT INTO dir_persons (id, name, language, category, unit_id, member_status, exemptions, active, revision) "
        "SELECT md5('bench-person-' || p)::uuid, '压测党员' || p, 'zh', 'member', "
        "md5('bench-branch-' || p / (:duty * :per))::uuid, 'full', '[]', true, 1 FROM generate_series(0, :people - 1) p"),
        {"duty": ON_DUTY, "per": WINDOWS_PER_BRANCH, "people": ON_DUTY * windows})
    conn.execute(sa.text(
        "INSERT INTO dir_windows (id, name, kind, location, unit_id, responsible_id, on_duty_ids, standards, active, "
        "revision) SELECT md5('bench-window-' || w)::uuid, '压测窗口' || w, 'window', '行政楼', "
        "md5('bench-branch-' || w / :per)::uuid, NULL, "
        "jsonb_build_array(md5('bench-person-' || w * 3)::uuid, md5('bench-person-' || w * 3 + 1)::uuid, "
        "md5('bench-person-' || w * 3 + 2)::uuid), '{\"items\": [\"学籍证明\"]}', true, 1 "
        "FROM generate_series(0, :windows - 1) w"), {"per": WINDOWS_PER_BRANCH, "windows": windows})


def make_ratings(engine, sizes: dict) -> dict:
    """Kiosk ratings of two whole years: the smaller over the first tenth of the windows, the larger over all;
    each rating given during office hours (08:00–18:00 Beijing time); a window's three members on duty take
    turns by the day."""
    with engine.begin() as conn:
        _directory(conn, sizes["windows"][1])
        # the indexes built once after the rows rather than row by row (the unique constraint's stays)
        indexes = conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'window_ratings' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)")).all()
        for name, _definition in indexes:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
        for year, rows, windows in zip(rating_years(), sizes["ratings"], sizes["windows"]):
            conn.execute(sa.text(
                "INSERT INTO window_ratings (window_id, unit_id, source, origin, client_id, level, reasons, "
                "tag_set_version, on_duty_id, rated_at, received_at) "
                "SELECT md5('bench-window-' || w)::uuid, md5('bench-branch-' || w / :per)::uuid, 'kiosk', "
                "'kiosk:bench-' || w, :year || '-' || n, (ARRAY[5, 5, 5, 4, 4, 3, 2, 1])[1 + abs(hashint4(n)) % 8], "
                "'[]', (SELECT max(version) FROM tag_sets), md5('bench-person-' || w * 3 + (w + day) % 3)::uuid, "
                "make_timestamptz(:year, 1, 1, 8, 0, 0, 'Asia/Shanghai') + make_interval(days => day, secs => secs), "
                "make_timestamptz(:year, 1, 1, 8, 0, 0, 'Asia/Shanghai') + make_interval(days => day, secs => secs) "
                "FROM (SELECT n, n % :windows AS w, abs(hashint4(n + 1)) % 365 AS day, abs(hashint4(n + 2)) % 36000 "
                "AS secs FROM generate_series(0, :rows - 1) n) made"),
                {"per": WINDOWS_PER_BRANCH, "year": year, "rows": rows, "windows": windows})
        for _name, definition in indexes:
            conn.execute(sa.text(definition))
        conn.execute(sa.text("ANALYZE window_ratings"))
    return {"ratings": sum(sizes["ratings"]), "windows": sizes["windows"][1]}


def make_pledges(engine, sizes: dict) -> dict:
    """Closed (已办结) pledges of the demo member in their branch, one year per size of the ledger."""
    with engine.begin() as conn:
        for year, rows in zip(PLEDGE_YEARS, sizes["pledges"]):
            conn.execute(sa.text(
                "INSERT INTO pledges (id, pledger_kind, pledger_id, unit_id, kind, mode, title, content, targets, "
                "areas, due_date, year, participant_ids, masses_participants, state, progress_count, created_at, "
                "fulfilled_at, updated_at, version) SELECT md5('bench-pledge-' || :year || '-' || n)::uuid, 'member', "
                ":member, :branch, 'annual', 'individual', '带头服务师生第' || n || '项', '每周到窗口值班一次，解答师生问题', "
                "'[]', '[\"serving_masses\", \"study\"]', make_date(:year, 12, 31), :year, '[]', '[]', 'closed', "
                "n % 4, make_timestamptz(:year, 1, 1, 9, 0, 0, 'Asia/Shanghai'), "
                "make_timestamptz(:year, 12, 1, 9, 0, 0, 'Asia/Shanghai'), now(), 1 FROM generate_series(0, :rows - 1) n"),
                {"year": year, "rows": rows, "member": _id("dangyuan"), "branch": _id("br-teachers")})
        conn.execute(sa.text("ANALYZE pledges"))
    return {"pledges": sum(sizes["pledges"])}


def make_grading(engine, sizes: dict) -> dict:
    """One open cycle per size: every branch with its seven self and seven superior scores and one evaluation
    round's score (the members-and-masses part), so that each has a total and a suggested level."""
    weights = {"indicator_weights": json.dumps({k.value: v for k, v in DEFAULT_INDICATOR_WEIGHTS.percent.items()}),
               "part_weights": json.dumps({k.value: v for k, v in DEFAULT_PART_WEIGHTS.percent.items()}),
               "thresholds": json.dumps({"advanced": LevelThresholds().advanced,
                                         "ordinary": LevelThresholds().ordinary})}
    with engine.begin() as conn:
        for year, branches in zip(GRADING_YEARS, sizes["branches"]):
            cycle = md5_id(f"bench-cycle-{year}")
            conn.execute(sa.text(
                "INSERT INTO grading_cycles (id, year, advanced_cap_percent, cap_per_general_branch, indicator_weights,"
                " part_weights, thresholds, criteria, self_assessment_deadline, publicity_days, state, opened_by, "
                "opened_at) VALUES (:id, :year, 30, true, CAST(:indicator_weights AS jsonb), "
                "CAST(:part_weights AS jsonb), CAST(:thresholds AS jsonb), '{}', make_date(:year, 12, 31), 5, 'open', "
                ":by, now())"), {"id": cycle, "year": year, "by": _id("zuzhibu"), **weights})
            conn.execute(sa.text(
                "INSERT INTO grading_cycle_branches (cycle_id, branch_id, general_branch_id, name) "
                "SELECT :cycle, md5('bench-branch-' || b)::uuid, md5('bench-general-branch-' || b / :per)::uuid, "
                "'压测党支部' || b FROM generate_series(0, :branches - 1) b"),
                {"cycle": cycle, "per": BRANCHES_PER_GENERAL_BRANCH, "branches": branches})
            conn.execute(sa.text(
                "INSERT INTO grading_scores (cycle_id, branch_id, part, indicator, score, evidence, by, at) "
                "SELECT :cycle, md5('bench-branch-' || b)::uuid, part, indicator, "
                "75 + abs(hashint4(b * 31 + length(part || indicator))) % 250 / 10.0, '', :by, now() "
                "FROM generate_series(0, :branches - 1) b, unnest(CAST(:parts AS text[])) part, "
                "unnest(CAST(:indicators AS text[])) indicator"),
                {"cycle": cycle, "branches": branches, "by": _id("zuzhibu"),
                 "parts": [AssessmentPart.SELF.value, AssessmentPart.SUPERIOR.value],
                 "indicators": [i.value for i in Indicator]})
            conn.execute(sa.text(
                "INSERT INTO grading_inputs (source, kind, unit_id, year, as_of, payload) "
                "SELECT 'bench-round-' || :year || '-' || b, 'evaluation', md5('bench-branch-' || b)::uuid, :year, "
                "now(), jsonb_build_object('score', 60 + abs(hashint4(b)) % 400 / 10.0) "
                "FROM generate_series(0, :branches - 1) b"), {"year": year, "branches": branches})
        conn.execute(sa.text("ANALYZE"))
    return {"branches": sum(sizes["branches"])}


MAKERS = {"evaluation": make_ratings, "pledge": make_pledges, "grading": make_grading}


# -- the cache ------------------------------------------------------------------------------------------

def cache_name(scale: str, service: str) -> str:
    return f"{PREFIX}_{scale}_{service}"


def fingerprint(scale: str, service: str) -> str:
    """What made the volume: its maker's code, the sizes and years, and the service's migrations (a schema change
    makes it again); a change to another service's maker leaves it be."""
    digest = hashlib.sha256(inspect.getsource(MAKERS[service]).encode())
    if service == "evaluation":
        digest.update(inspect.getsource(_directory).encode())
    digest.update(json.dumps([scale, SCALES[scale], rating_years(), PLEDGE_YEARS, GRADING_YEARS, WINDOWS_PER_BRANCH,
                              BRANCHES_PER_GENERAL_BRANCH, ON_DUTY]).encode())
    package = next(entry.package for entry in SERVICES if entry.name == service)
    folder = ROOT / f"{service}-service" / "src" / package / "migrations"
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _admin(pg: str):
    return make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _cached(pg: str, name: str, wanted: str) -> dict | None:
    """The cache database's record when it was made by ``wanted``, else None."""
    admin = _admin(pg)
    try:
        with admin.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                return None
    finally:
        admin.dispose()
    engine = make_engine(f"{pg}/{name}", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT fingerprint, made_s, made FROM bench_volume")).first()
    except sa.exc.DBAPIError:  # made half (interrupted): no record
        return None
    finally:
        engine.dispose()
    return {"made_s": row.made_s, "made": row.made} if row and row.fingerprint == wanted else None


def _make(pg: str, amqp: str, scale: str, service: str, wanted: str) -> dict:
    name = cache_name(scale, service)
    drop(pg, [name])
    admin = _admin(pg)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    env = local_environment(pg, amqp, prefix=f"{PREFIX}_{scale}")
    entry = next(entry for entry in SERVICES if entry.name == service)
    entry.migrate(load_settings(service, env))
    engine = make_engine(f"{pg}/{name}", poolclass=sa.pool.NullPool)
    try:
        began = time.monotonic()
        made = MAKERS[service](engine, SCALES[scale])
        made_s = round(time.monotonic() - began, 1)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # as after any bulk load; the copies made from it keep the statistics (autovacuum may be off)
            conn.execute(sa.text("ANALYZE"))
        with engine.begin() as conn:  # written last: a volume made half never matches
            conn.execute(sa.text("CREATE TABLE bench_volume (fingerprint text, made_s float, made jsonb)"))
            conn.execute(sa.text("INSERT INTO bench_volume VALUES (:f, :s, CAST(:m AS jsonb))"),
                         {"f": wanted, "s": made_s, "m": json.dumps(made)})
    finally:
        engine.dispose()
    return {"made_s": made_s, "made": made}


def provide(pg: str, amqp: str, scale: str, run_prefix: str, services, fresh: bool = False) -> dict:
    """The services' volumes for this run as ``<run_prefix>_<service>`` (the suite then migrates it, a no-op,
    and fills in the demo directory from events); made first when the cache lacks it or is stale.
    Returns per service: made or reused, seconds to make it (then or when it was made), seconds to copy it."""
    report = {}
    for service in services:
        name, wanted = cache_name(scale, service), fingerprint(scale, service)
        found = None if fresh else _cached(pg, name, wanted)
        if found is None:
            print(f"  making the {scale} volume of {service} ({name})", flush=True)
            found, state = _make(pg, amqp, scale, service, wanted), "made now"
        else:
            state = "reused"
        began = time.monotonic()
        admin = _admin(pg)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{run_prefix}_{service}" TEMPLATE "{name}" STRATEGY FILE_COPY'))
        admin.dispose()
        report[service] = {"cache": name, "state": state, "made_s": found["made_s"], "made": found["made"],
                           "copy_s": round(time.monotonic() - began, 1)}
        print(f"  {service}: {found['made']} {state} (made in {found['made_s']} s), copied in "
              f"{report[service]['copy_s']} s", flush=True)
    return report


def drop(pg: str, names: list[str] | None = None) -> list[str]:
    """Drops the named cache databases, or every one."""
    admin = _admin(pg)
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                             {"p": f"{PREFIX}\\_%"}).scalars().all()
        for name in found:
            if names is None or name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    return [n for n in found if names is None or n in names]
