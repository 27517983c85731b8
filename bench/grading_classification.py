"""How long classifying a cycle takes: 5,000 branches (a campus) or 50,000 (a system), 7 indicators, 3 parts, the cap.

Run: .venv/bin/python bench/grading_classification.py [BRANCHES]  (prints seconds, wall and CPU; the issues ask for
under 2 s)
"""
from __future__ import annotations

import random
import sys
import time

from grading_service.domain.classification import cap_violations, members_and_masses_scores
from grading_service.domain.model import AssessmentPart, GradingCycle, Indicator

BRANCHES = 5000
BRANCHES_PER_GENERAL_BRANCH = 40  # 5,000 branches in 125 general branches, as a large university has


def measure(count: int = BRANCHES) -> dict:
    """Seconds to total and classify ``count`` branches, and to check the 先进 cap."""
    rng = random.Random(2026)
    cycle = GradingCycle(year=2026, advanced_cap_percent=30)
    general_branches = max(1, count // BRANCHES_PER_GENERAL_BRANCH)
    branches = [(f"gb-{i % general_branches:04d}",
                 {i: round(rng.uniform(75, 100), 1) for i in Indicator},
                 {i: round(rng.uniform(75, 100), 1) for i in Indicator},
                 [round(rng.uniform(60, 100), 2) for _ in range(3)]) for i in range(count)]

    started, started_cpu = time.perf_counter(), time.process_time()
    levels = {}
    for n, (general_branch, self_scores, superior_scores, rounds) in enumerate(branches):
        total = cycle.branch_total({
            AssessmentPart.SELF: self_scores, AssessmentPart.SUPERIOR: superior_scores,
            AssessmentPart.MEMBERS_AND_MASSES: members_and_masses_scores(rounds, 88.5, None)})
        levels[n] = (general_branch, cycle.suggested_level(total))
    classified, classified_cpu = time.perf_counter(), time.process_time()
    violations = cap_violations(cycle, levels, per_general_branch=True)
    finished, finished_cpu = time.perf_counter(), time.process_time()

    advanced = sum(1 for _, level in levels.values() if level.value == "advanced")
    return {"branches": count, "general_branches": general_branches, "advanced": advanced,
            "classify_s": classified - started, "cap_s": finished - classified, "total_s": finished - started,
            "classify_cpu_s": classified_cpu - started_cpu, "cap_cpu_s": finished_cpu - classified_cpu,
            "total_cpu_s": finished_cpu - started_cpu,
            "over_quota": len(violations)}


def main() -> None:
    figures = measure(int(sys.argv[1]) if len(sys.argv) > 1 else BRANCHES)
    print(f"branches: {figures['branches']}, general branches: {figures['general_branches']}, "
          f"先进 suggested: {figures['advanced']}")
    print(f"totals and suggested levels: {figures['classify_s']:.3f} s ({figures['classify_cpu_s']:.3f} s CPU)")
    print(f"cap check (overall and per general branch): {figures['cap_s']:.3f} s ({figures['cap_cpu_s']:.3f} s CPU), "
          f"{figures['over_quota']} over their quota")
    print(f"total: {figures['total_s']:.3f} s ({figures['total_cpu_s']:.3f} s CPU; wall time on a shared machine "
          "moves with the others' load)")


if __name__ == "__main__":
    main()
