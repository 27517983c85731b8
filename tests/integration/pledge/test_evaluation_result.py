"""The evaluation result arrives (evaluation.completed) and is recorded on the pledge, once."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table
from pacesetter_shared.events import new_envelope, prepare_data
from pacesetter_shared.messaging.publisher import broker_connection, topology_for
from pledge_service.worker import build_worker
from tests.support.broker import drain_queue, publish_event, queue_depth
from tests.support.services import OrgFixture, start_service
from tests.support.waiting import wait_for

from .lifecycle import NEXT_YEAR, events, publish


def completed(pledge: dict, round_id=None, target_kind="pledge", level="excellent") -> dict:
    return {"round_id": round_id or uuid.uuid4(), "target_kind": target_kind, "target_id": pledge["id"],
            "subject_person_id": pledge["pledger_id"], "unit_id": pledge["unit_id"], "year": NEXT_YEAR,
            "score": 93.0, "level": level, "breakdown": []}


def fetch(service, org, pledge) -> dict:
    return service.client.get(f"/api/pledges/{pledge['id']}", headers=service.headers(org.member)).json


def test_the_result_of_a_fulfilled_pledge_is_recorded_and_a_duplicate_changes_nothing(pledge_service, org):
    pledge = publish(pledge_service, org)
    pledge_service.client.post(f"/api/pledges/{pledge['id']}/fulfil", json={}, headers=pledge_service.headers(org.member))
    event = completed(pledge)
    pledge_service.deliver("evaluation.completed", event)
    pledge_service.deliver("evaluation.completed", event | {"level": "poor"})
    after = fetch(pledge_service, org, pledge)
    assert after["state"] == "evaluated"
    assert after["evaluation"] == {"round_id": str(event["round_id"]), "score": 93.0, "level": "excellent"}
    assert [t["action"] for t in after["history"]].count("record_evaluation") == 1


def test_a_result_before_the_pledger_declared_completion_still_counts(pledge_service, org):
    pledge = publish(pledge_service, org)
    pledge_service.deliver("evaluation.completed", completed(pledge))
    after = fetch(pledge_service, org, pledge)
    assert after["state"] == "evaluated" and after["evaluation"]["level"] == "excellent"
    # The unit's figures went out again after the change.
    assert events(pledge_service, "pledge.statistics_updated")[-1]["unit_id"] == pledge["unit_id"]


def test_results_for_other_targets_or_unknown_pledges_are_ignored(pledge_service, org):
    pledge = publish(pledge_service, org)
    pledge_service.deliver("evaluation.completed", completed(pledge, target_kind="member_year"))
    pledge_service.deliver("evaluation.completed", completed({**pledge, "id": uuid.uuid4()}))
    assert fetch(pledge_service, org, pledge)["state"] == "published"


def test_on_the_real_broker_a_twice_delivered_result_is_recorded_once_and_pledge_events_go_out(
        fresh_database, make_settings, amqp_url, namespace):
    service = start_service("pledge", fresh_database("pledge"), make_settings, broker_url=amqp_url,
                            events_exchange=namespace, relay_interval=0.05)
    org = OrgFixture(service)
    pledge = publish(service, org)
    with broker_connection(service.settings) as conn:  # queues exist before anything is published
        topology_for(service.settings).declare(conn, service.settings.max_retries)
    worker = build_worker(service.settings).start()
    try:
        data = prepare_data("evaluation.completed", 1, completed(pledge))
        envelope = new_envelope("evaluation.completed", 1, "evaluation", str(uuid.uuid4()), data).to_dict()
        publish_event(amqp_url, namespace, envelope)
        publish_event(amqp_url, namespace, envelope)
        wait_for(lambda: fetch(service, org, pledge)["state"] == "evaluated", message="the result recorded")

        def unpublished() -> int:
            with service.engine.connect() as conn:
                return conn.execute(sa.select(sa.func.count()).select_from(outbox_table)
                                    .where(outbox_table.c.published_at.is_(None))).scalar_one()
        wait_for(lambda: unpublished() == 0, message="the outbox relayed")
    finally:
        worker.stop()
        service.engine.dispose()
    after = fetch(service, org, pledge)
    assert [t["action"] for t in after["history"]].count("record_evaluation") == 1
    delivered = [m.delivery_info["routing_key"] for m in drain_queue(amqp_url, f"{namespace}.notification")]
    assert [t for t in delivered if t.startswith("pledge.") and t != "pledge.statistics_updated"] == [
        "pledge.submitted", "pledge.approved", "pledge.published"]
    # submit, approve, publish, the evaluation, and the worker's first daily refresh of the figures
    wait_for(lambda: queue_depth(amqp_url, f"{namespace}.grading") >= 5, message="figures for grading")
    grading = [m.delivery_info["routing_key"] for m in drain_queue(amqp_url, f"{namespace}.grading")]
    assert grading.count("pledge.statistics_updated") == 5


def test_the_general_branch_closes_an_evaluated_pledge(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = publish(pledge_service, org)
    early = client.post(f"/api/pledges/{pledge['id']}/close", json={}, headers=h(org.reviewer))
    assert early.status_code == 409 and "record_evaluation" in early.json["error"]["details"]["allowed"]
    pledge_service.deliver("evaluation.completed", completed(pledge))
    assert client.post(f"/api/pledges/{pledge['id']}/close", json={}, headers=h(org.member)).status_code == 403
    closed = client.post(f"/api/pledges/{pledge['id']}/close", json={}, headers=h(org.reviewer))
    assert closed.status_code == 200 and closed.json["state"] == "closed"
