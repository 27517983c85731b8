"""The grading report XLSX in-process (issue 24): CPU seconds, wall seconds and peak RSS of building the
workbook of the bench's cycle of 5,000 and of 50,000 branches, without the suite around it, so that figures taken on
a busy machine can still be compared (CPU time is what the code spends, whoever else runs). The workbook is a
stream of bytes: they are counted as they come, and when the first came is printed too.

Needs the system volume of grading (made by `bench/run.py --scale system --only grading`); reads a copy of it made
for the run (CREATE DATABASE … TEMPLATE, dropped at the end), never the cached template itself.

Run: .venv/bin/python bench/grading_report.py [--pg postgresql://postgres@127.0.0.1:5432]
"""
from __future__ import annotations

import argparse
import resource
import time
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

import volumes
from grading_service.adapters.report import cycle_workbook
from grading_service.service import results
from pacesetter_shared.identity import Identity, RoleGrant

TEMPLATE = f"{volumes.PREFIX}_system_grading"


class _ReadOnlyUnitOfWork:
    """What the report's read path uses of a unit of work: its session."""

    def __init__(self, session: Session):
        self.session = session


def measure(url: str, year: int) -> dict:
    engine = sa.create_engine(url)
    organisation_department = Identity(subject=str(uuid.uuid4()), kind="person", name="bench", unit_id=None,
                                       roles=(RoleGrant("org_department", str(uuid.uuid4())),))
    wall, cpu = time.perf_counter(), time.process_time()
    first = size = 0
    with Session(engine) as session:
        uow = _ReadOnlyUnitOfWork(session)
        cycle_year, branches, figures = results.cycle_report(uow, organisation_department,
                                                             volumes.md5_id(f"bench-cycle-{year}"))
        for chunk in cycle_workbook(cycle_year, branches, figures, "压测"):
            first, size = first or time.perf_counter() - wall, size + len(chunk)
    figures = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "bytes": size,
               "first_byte_s": first, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    base = parser.parse_args().pg.replace("postgresql://", "postgresql+psycopg://", 1)
    copy = f"bench_grading_report_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{copy}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY'))
    try:
        for year, branches in zip(volumes.GRADING_YEARS, ("5,000", "50,000")):
            f = measure(f"{base}/{copy}", year)
            print(f"{branches} branches: CPU {f['cpu_s']:.2f} s, wall {f['wall_s']:.2f} s (first bytes after "
                  f"{f['first_byte_s']:.2f} s), "
                  f"the process's peak RSS so far {f['peak_rss_mb']:.0f} MB, {f['bytes'] / 2**20:.1f} MB written")
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{copy}"'))
        admin.dispose()


if __name__ == "__main__":
    main()
