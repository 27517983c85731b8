"""pledge-service's API against PostgreSQL: validation, scope, life cycle, events, idempotency."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table
from tests.support.services import person

NEXT_YEAR_END = date(date.today().year + 1, 12, 31).isoformat()


def body(**overrides) -> dict:
    values = {"kind": "annual", "title": "带头搞好教书育人", "content": "每学期开设公开课",
              "targets": ["公开课两次", "指导青年教师一名"], "areas": ["study", "achievement"],
              "due_date": NEXT_YEAR_END}
    values.update(overrides)
    return values


def outbox_types(service) -> list[str]:
    with service.engine.connect() as conn:
        return list(conn.execute(sa.select(outbox_table.c.event_type)
                                 .where(outbox_table.c.event_type != "pledge.statistics_updated")
                                 .order_by(outbox_table.c.id)).scalars())


def test_a_member_submits_a_pledge_and_the_event_is_in_the_outbox(pledge_service, org):
    response = pledge_service.client.post("/api/pledges", json=body(submit=True), headers=pledge_service.headers(org.member))
    assert response.status_code == 201, response.json
    assert response.json["state"] == "submitted"
    assert response.json["pledger_id"] == org.member.subject
    assert response.json["unit_id"] == str(org.branch)
    assert outbox_types(pledge_service) == ["pledge.submitted"]
    with pledge_service.engine.connect() as conn:
        envelope = conn.execute(sa.select(outbox_table.c.envelope)
                                .where(outbox_table.c.event_type == "pledge.submitted")).scalar_one()
    assert envelope["data"]["title"] == "带头搞好教书育人"
    assert envelope["subject"] == response.json["id"]


def test_validation_errors_name_each_field(pledge_service, org):
    past = (date.today() - timedelta(days=1)).isoformat()
    cases = [
        (body(due_date=past), "due_date"),
        (body(kind="instant"), "trigger"),
        (body(mode="collective"), "participant_ids"),
        (body(areas=["bogus"]), "areas"),
        ({"title": "缺字段"}, "kind"),
    ]
    for payload, field in cases:
        response = pledge_service.client.post("/api/pledges", json=payload, headers=pledge_service.headers(org.member))
        assert response.status_code == 422, (payload, response.json)
        assert field in response.json["error"]["details"], response.json
    assert outbox_types(pledge_service) == []


def test_an_unknown_unit_is_a_clear_4xx(pledge_service, org):
    stranger = person(unit_id=uuid.uuid4(), roles=[("member", None)])
    response = pledge_service.client.post("/api/pledges", json=body(), headers=pledge_service.headers(stranger))
    assert response.status_code == 422
    assert "unit_id" in response.json["error"]["details"]


def test_review_belongs_to_the_general_branch_of_the_pledge(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge_id = client.post("/api/pledges", json=body(submit=True), headers=h(org.member)).json["id"]

    queue = client.get("/api/pledges?scope=review", headers=h(org.reviewer)).json
    assert [p["id"] for p in queue["items"]] == [pledge_id]
    assert client.get("/api/pledges?scope=review", headers=h(org.outsider_reviewer)).json["total"] == 0

    # Outside the general branch: the pledge does not exist for you.
    assert client.post(f"/api/pledges/{pledge_id}/approve", json={}, headers=h(org.outsider_reviewer)).status_code == 404
    # The pledger sees it but may not approve it.
    assert client.post(f"/api/pledges/{pledge_id}/approve", json={}, headers=h(org.member)).status_code == 403
    returned = client.post(f"/api/pledges/{pledge_id}/return", json={"reason": "目标请量化"}, headers=h(org.reviewer))
    assert returned.status_code == 200 and returned.json["return_reason"] == "目标请量化"
    assert client.post(f"/api/pledges/{pledge_id}/submit", json={}, headers=h(org.member)).json["state"] == "submitted"
    assert client.post(f"/api/pledges/{pledge_id}/approve", json={}, headers=h(org.reviewer)).json["state"] == "approved"
    published = client.post(f"/api/pledges/{pledge_id}/publish", json={}, headers=h(org.reviewer))
    assert published.json["state"] == "published"
    assert [t["action"] for t in published.json["history"]] == ["submit", "return", "submit", "approve", "publish"]
    assert outbox_types(pledge_service) == ["pledge.submitted", "pledge.returned", "pledge.submitted",
                                            "pledge.approved", "pledge.published"]
    # Published: open to the supervision of the branch's members.
    assert client.get(f"/api/pledges/{pledge_id}", headers=h(org.peer)).status_code == 200


def test_an_illegal_transition_is_409_with_the_allowed_actions(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge_id = client.post("/api/pledges", json=body(), headers=h(org.member)).json["id"]
    response = client.post(f"/api/pledges/{pledge_id}/fulfil", json={}, headers=h(org.member))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "illegal_transition"
    assert response.json["error"]["details"]["allowed"] == ["submit", "withdraw"]


def test_a_draft_is_private_to_its_pledger(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge_id = client.post("/api/pledges", json=body(), headers=h(org.member)).json["id"]
    assert client.get(f"/api/pledges/{pledge_id}", headers=h(org.peer)).status_code == 404
    assert client.get(f"/api/pledges/{pledge_id}", headers=h(org.member)).status_code == 200
    assert client.get(f"/api/pledges/{uuid.uuid4()}", headers=h(org.member)).status_code == 404


def test_a_repeated_request_with_the_same_idempotency_key_creates_one_pledge(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    key = {"Idempotency-Key": "kiosk-retry-1"}
    first = client.post("/api/pledges", json=body(submit=True), headers=h(org.member, **key))
    second = client.post("/api/pledges", json=body(submit=True), headers=h(org.member, **key))
    assert first.status_code == second.status_code == 201
    assert first.json["id"] == second.json["id"]
    assert client.get("/api/pledges", headers=h(org.member)).json["total"] == 1
    assert outbox_types(pledge_service) == ["pledge.submitted"]
    reused = client.post("/api/pledges", json=body(title="另一个"), headers=h(org.member, **key))
    assert reused.status_code == 422 and reused.json["error"]["code"] == "idempotency_key_reused"


def test_no_identity_no_entry_and_a_forged_one_is_refused(pledge_service, org):
    assert pledge_service.client.get("/api/pledges").status_code == 401
    forged = {"X-Pacesetter-Identity": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    assert pledge_service.client.get("/api/pledges", headers=forged).status_code == 401


def test_ids_flow_from_the_request_into_the_event_and_metrics_are_served(pledge_service, org):
    response = pledge_service.client.post(
        "/api/pledges", json=body(submit=True),
        headers=pledge_service.headers(org.member, **{"X-Correlation-ID": "portal-7f3a"}))
    assert response.headers["X-Correlation-ID"] == "portal-7f3a" and response.headers["X-Request-ID"]
    with pledge_service.engine.connect() as conn:
        envelope = conn.execute(sa.select(outbox_table.c.envelope)
                                .where(outbox_table.c.event_type == "pledge.submitted")).scalar_one()
    assert envelope["correlation_id"] == "portal-7f3a"
    metrics = pledge_service.client.get("/metrics")
    assert metrics.status_code == 200
    assert b'pacesetter_http_request_duration_seconds_count' in metrics.data
