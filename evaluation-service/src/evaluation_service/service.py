"""Use cases of evaluation-service."""
from __future__ import annotations

from .domain.model import (
    ANONYMOUS_PARTIES, PARTY_LABELS, RATING_SCALE, TARGET_KIND_LABELS, Party,
)


def describe_scale(min_group: int, weights: dict) -> dict:
    """The rating scale, the parties and each kind of round's default weights, labelled in zh and en.

    ``min_group`` is the deployment's anonymity threshold, shown so that the portal can say when
    peer and masses results will appear; ``weights`` each kind's defaults as they now stand.
    """
    return {
        "scale": RATING_SCALE,
        "parties": [{"party": p, "zh": PARTY_LABELS[p][0], "en": PARTY_LABELS[p][1],
                     "anonymous": p in ANONYMOUS_PARTIES} for p in Party],
        "min_group": min_group,
        "target_kinds": [
            {"target_kind": kind, "zh": zh, "en": en,
             "weights": [{"party": p, "zh": PARTY_LABELS[p][0], "en": PARTY_LABELS[p][1], "weight": w}
                         for p, w in weights[kind].percent.items()]}
            for kind, (zh, en) in TARGET_KIND_LABELS.items()],
    }
