"""Helpers for pledge-service's integration tests: pledges taken through their life cycle by the API."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table

NEXT_YEAR = date.today().year + 1
NEXT_YEAR_END = date(NEXT_YEAR, 12, 31)


def body(**overrides) -> dict:
    values = {"kind": "annual", "title": "带头搞好教书育人", "content": "每学期开设公开课",
              "targets": ["公开课两次"], "areas": ["study", "achievement"], "due_date": NEXT_YEAR_END.isoformat()}
    values.update(overrides)
    return values


def create(service, pledger, **overrides) -> dict:
    response = service.client.post("/api/pledges", json=body(**overrides), headers=service.headers(pledger))
    assert response.status_code == 201, response.json
    return response.json


def publish(service, org, pledger=None, reviewer=None, **overrides) -> dict:
    """A pledge submitted by ``pledger`` (the member by default), approved and published by its reviewer."""
    pledge = create(service, pledger or org.member, submit=True, **overrides)
    for action in ("approve", "publish"):
        response = service.client.post(f"/api/pledges/{pledge['id']}/{action}", json={},
                                       headers=service.headers(reviewer or org.reviewer))
        assert response.status_code == 200, response.json
    return response.json


def events(service, event_type: str) -> list[dict]:
    with service.engine.connect() as conn:
        return [e["data"] for e in conn.execute(
            sa.select(outbox_table.c.envelope).where(outbox_table.c.event_type == event_type)
            .order_by(outbox_table.c.id)).scalars()]
