"""差评整改 as notification-service reads it: every version of ``feedback.negative`` as the cases of one place.

v1 and v2 carry one case each; v3 the cases one request opened at one window (a kiosk's batch) or unit. A consumer
upgraded before evaluation-service still reads what the old producer sends, and after it each batch is one notice.
Plain Python: no framework here.
"""
from __future__ import annotations

CASE_FIELDS = ("case_id", "level", "reasons", "deadline")


def cases_at_one_place(version: int, data: dict) -> dict:
    """The event's data in v3's shape: the place (window, unit, who answers, source) and its cases."""
    if version >= 3:
        return data
    return {"window_id": data.get("window_id"), "unit_id": data["unit_id"],
            "responsible_id": data.get("responsible_id"), "source": data.get("source", "rating"),
            "cases": [{field: data[field] for field in CASE_FIELDS}]}
