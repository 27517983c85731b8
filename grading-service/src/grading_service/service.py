"""Use cases of grading-service."""
from __future__ import annotations

from .domain.model import DEFAULT_INDICATOR_WEIGHTS, DEFAULT_PART_WEIGHTS, INDICATOR_LABELS, PART_LABELS


def describe_indicators() -> dict:
    """The seven indicators and the three assessment parts with their default weights, in zh and en."""
    return {
        "indicators": [{"code": i, "zh": INDICATOR_LABELS[i][0], "en": INDICATOR_LABELS[i][1], "default_weight": w}
                       for i, w in DEFAULT_INDICATOR_WEIGHTS.percent.items()],
        "parts": [{"code": p, "zh": PART_LABELS[p][0], "en": PART_LABELS[p][1], "default_weight": w}
                  for p, w in DEFAULT_PART_WEIGHTS.percent.items()],
    }
