"""The anonymity guard of an earlier commit against the guard in the work tree, side by side in one process: a year in
the system volume's shape decided by each (the whole pass), then its last days taken in by each, day by day,
alternating which goes first. Prints CPU seconds and the ratio per day, and whether both decided alike.

Why in one process: on this kind of machine the same work took 64 s in one run and 92 s in another an hour later,
so figures from two runs cannot tell a 10 % change from the machine's mood; two guards measured turn about can.
``.venv/bin/python bench/guard_ab.py --base HEAD~1 [--windows 1000] [--days 4]`` (1,000 windows: 2 M ratings,
about 3 minutes and 6 GB for both guards). Prints figures, never pass/fail.

The shape is ``bench/volumes.py``'s: five windows a branch, twenty branches a general branch, one member on duty a
window's day (three taking turns), ratings at random office hours (08:00–18:00) of every day, 2,000 a window a year.
The collector is off for both, as in the keeper's refresh.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from evaluation_service.domain.disclosure import Cell, Organisation, YearGuard

import volumes

ROOT = Path(__file__).resolve().parents[1]
GUARD = "evaluation-service/src/evaluation_service/domain/disclosure.py"
YEAR = 2025
RATINGS_A_WINDOW = 2_000  # 10 M over 5,000 windows


def guard_of(revision: str) -> type:
    """The YearGuard class as it was at ``revision``, loaded beside the work tree's."""
    source = subprocess.run(["git", "show", f"{revision}:{GUARD}"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout
    with tempfile.TemporaryDirectory() as folder:  # read once: the loaded module needs no file after
        path = Path(folder) / "disclosure_base.py"
        path.write_text(source)
        # a module of the package, so that its relative imports (the ratings module) resolve
        spec = importlib.util.spec_from_file_location("evaluation_service.domain.disclosure_base", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module.YearGuard


def year_of(windows_count: int) -> tuple[Organisation, dict]:
    rng = random.Random(7)
    branches = [uuid.UUID(int=1_000 + b) for b in range(-(-windows_count // volumes.WINDOWS_PER_BRANCH))]
    generals = [uuid.UUID(int=100 + g) for g in range(-(-len(branches) // volumes.BRANCHES_PER_GENERAL_BRANCH))]
    committee = uuid.UUID(int=1)
    parent = {committee: None, **{g: committee for g in generals},
              **{b: generals[i // volumes.BRANCHES_PER_GENERAL_BRANCH] for i, b in enumerate(branches)}}
    windows = [uuid.UUID(int=10**6 + w) for w in range(windows_count)]
    organisation = Organisation({w: branches[i // volumes.WINDOWS_PER_BRANCH] for i, w in enumerate(windows)}, parent)
    cells: dict = {}
    for i, window in enumerate(windows):
        on_duty = [uuid.UUID(int=10**7 + volumes.ON_DUTY * i + k) for k in range(volumes.ON_DUTY)]
        for _ in range(RATINGS_A_WINDOW):
            day = rng.randrange(365)
            cell = Cell(window, on_duty[(i + day) % volumes.ON_DUTY], date(YEAR, 1, 1) + timedelta(days=day),
                        8 + rng.randrange(10))
            level = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
            counts = cells.setdefault(cell, {})
            counts[level] = counts.get(level, 0) + 1
    return organisation, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit to compare with, e.g. HEAD~1")
    parser.add_argument("--windows", type=int, default=1_000)
    parser.add_argument("--days", type=int, default=4, help="the year's last days, taken in one by one")
    args = parser.parse_args()
    guards = {"base": guard_of(args.base), "work tree": YearGuard}
    organisation, cells = year_of(args.windows)
    held = [date(YEAR, 12, 31) - timedelta(days=k) for k in range(args.days)][::-1]
    before = {cell: counts for cell, counts in cells.items() if cell.day not in held}
    gc.disable()
    kept, whole = {}, {}
    for name, guard in guards.items():
        kept[name] = guard(organisation, 3, YEAR)
        started = time.process_time()
        kept[name].add(before)
        whole[name] = time.process_time() - started
    print(f"{args.windows:,} windows, {sum(sum(c.values()) for c in before.values()):,} ratings | whole pass: base "
          f"{whole['base']:.1f} s, work tree {whole['work tree']:.1f} s CPU (ratio {whole['work tree'] / whole['base']:.2f}; "
          "the first pass runs on a smaller heap)", flush=True)
    for day in held:
        todays = {cell: counts for cell, counts in cells.items() if cell.day == day}
        spent, changed = {}, {}
        for name in (("base", "work tree") if day.toordinal() % 2 else ("work tree", "base")):
            started = time.process_time()
            changed[name] = kept[name].add(todays)
            spent[name] = time.process_time() - started
        alike = (kept["base"].shown == kept["work tree"].shown and kept["base"].total == kept["work tree"].total
                 and changed["base"] == changed["work tree"])
        print(f"{day}: {sum(sum(c.values()) for c in todays.values()):,} ratings | base {spent['base']:.3f} s, work "
              f"tree {spent['work tree']:.3f} s CPU (ratio {spent['work tree'] / spent['base']:.2f}) | decided alike: "
              f"{alike}", flush=True)


if __name__ == "__main__":
    main()
