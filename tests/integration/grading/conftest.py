import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pacesetter_shared.db import outbox_table
from tests.support.services import OrgFixture, start_service

NEXT_WEEK = (date.today() + timedelta(days=7)).isoformat()
CYCLES = "/api/grading/cycles"


@pytest.fixture
def grading_service(fresh_database, make_settings):
    # These tests open cycles for fixed years (2024–2026) whatever today is; the rule that a cycle is for
    # last, this or next year has its own tests (test_cycle_years.py), under the default setting.
    service = start_service("grading", fresh_database("grading"), make_settings, cycle_year_span=100)
    yield service
    service.engine.dispose()


@pytest.fixture
def org(grading_service):
    return OrgFixture(grading_service)


def cycle_body(**overrides) -> dict:
    values = {"year": 2026, "advanced_cap_percent": 50, "self_assessment_deadline": NEXT_WEEK,
              "publicity_days": 0, "criteria": {"leader": "书记政治素质好、工作能力强"}}
    values.update(overrides)
    return values


def open_cycle(service, org, **overrides) -> dict:
    response = service.client.post(CYCLES, json=cycle_body(**overrides), headers=service.headers(org.org))
    assert response.status_code == 201, response.json
    return response.json


def all_indicators(score: float, evidence: str = "会议记录") -> list[dict]:
    codes = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]
    return [{"indicator": c, "score": score, "evidence": evidence} for c in codes]


def branch_round(branch_id, score: float, year: int = 2026, round_id=None) -> dict:
    """An evaluation.completed of a branch round (党员群众评议)."""
    return {"round_id": round_id or uuid.uuid4(), "target_kind": "branch", "target_id": branch_id,
            "unit_id": branch_id, "year": year, "score": score, "level": "good", "breakdown": []}


def outbox(service, event_type: str) -> list[dict]:
    with service.engine.connect() as conn:
        return [e["data"] for e in conn.execute(
            sa.select(outbox_table.c.envelope).where(outbox_table.c.event_type == event_type)
            .order_by(outbox_table.c.id)).scalars()]
