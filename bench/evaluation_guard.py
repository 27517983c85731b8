"""The anonymity guard's cost: one calendar year of an organisation's window ratings, decided at once.

Prints figures, never pass/fail. ``.venv/bin/python bench/evaluation_guard.py [windows] [hours]``
(default 10 windows and 40 windows, 8 service hours, every working day of 2026, three members on
duty per window, 0–7 ratings per window-member-hour). CPU seconds, so that a busy machine counts less.
"""
from __future__ import annotations

import random
import sys
import time
import uuid
from datetime import date, timedelta

from evaluation_service.domain.disclosure import Cell, Organisation, disclose


def run(windows_count: int, hours: int) -> str:
    rng = random.Random(1)
    committee = uuid.uuid4()
    general = [uuid.uuid4() for _ in range(4)]
    branches = [uuid.uuid4() for _ in range(12)]
    parent = {committee: None, **{g: committee for g in general}, **{b: general[i % 4] for i, b in enumerate(branches)}}
    windows = [uuid.uuid4() for _ in range(windows_count)]
    organisation = Organisation({w: branches[i % 12] for i, w in enumerate(windows)}, parent)
    on_duty = {w: [uuid.uuid4() for _ in range(3)] for w in windows}
    cells = {}
    for window in windows:
        for offset in range(365):
            day = date(2026, 1, 1) + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour in range(8, 8 + hours):
                cells[Cell(window, rng.choice(on_duty[window]), day, hour)] = {
                    5: rng.randint(0, 4), 4: rng.randint(0, 2), 1: rng.randint(0, 1)}
    started = time.process_time()
    decision = disclose(cells, organisation, 3, 2026)
    seconds = time.process_time() - started
    ratings = sum(sum(c.values()) for c in cells.values())
    return (f"windows={windows_count} ratings={ratings} cells={len(cells)} answers={len(decision.totals)} "
            f"shown={len(decision.shown)} cpu_seconds={seconds:.2f}")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:2]] or [10, 40]
    hours = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    for size in sizes:
        print(run(size, hours))
