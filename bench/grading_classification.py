"""How long classifying a province-sized cycle takes: 5,000 branches, 7 indicators, 3 parts, the cap.

Run: .venv/bin/python bench/grading_classification.py  (prints seconds; the issue asks for under 2 s)
"""
from __future__ import annotations

import random
import time

from grading_service.domain.classification import cap_violations, members_and_masses_scores
from grading_service.domain.model import AssessmentPart, GradingCycle, Indicator

BRANCHES = 5000
GENERAL_BRANCHES = 120


def measure() -> dict:
    """Seconds to total and classify every branch, and to check the 先进 cap."""
    rng = random.Random(2026)
    cycle = GradingCycle(year=2026, advanced_cap_percent=30)
    branches = [(f"gb-{i % GENERAL_BRANCHES:03d}",
                 {i: round(rng.uniform(75, 100), 1) for i in Indicator},
                 {i: round(rng.uniform(75, 100), 1) for i in Indicator},
                 [round(rng.uniform(60, 100), 2) for _ in range(3)]) for i in range(BRANCHES)]

    started = time.perf_counter()
    levels = {}
    for n, (general_branch, self_scores, superior_scores, rounds) in enumerate(branches):
        total = cycle.branch_total({
            AssessmentPart.SELF: self_scores, AssessmentPart.SUPERIOR: superior_scores,
            AssessmentPart.MEMBERS_AND_MASSES: members_and_masses_scores(rounds, 88.5, None)})
        levels[n] = (general_branch, cycle.suggested_level(total))
    classified = time.perf_counter()
    violations = cap_violations(cycle, levels, per_general_branch=True)
    finished = time.perf_counter()

    advanced = sum(1 for _, level in levels.values() if level.value == "advanced")
    return {"branches": BRANCHES, "general_branches": GENERAL_BRANCHES, "advanced": advanced,
            "classify_s": classified - started, "cap_s": finished - classified, "total_s": finished - started,
            "over_quota": len(violations)}


def main() -> None:
    figures = measure()
    print(f"branches: {BRANCHES}, general branches: {GENERAL_BRANCHES}, 先进 suggested: {figures['advanced']}")
    print(f"totals and suggested levels: {figures['classify_s']:.3f} s")
    print(f"cap check (overall and per general branch): {figures['cap_s']:.3f} s, "
          f"{figures['over_quota']} over their quota")
    print(f"total: {figures['total_s']:.3f} s")


if __name__ == "__main__":
    main()
