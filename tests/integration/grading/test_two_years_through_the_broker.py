"""Two yearly cycles end to end: the grading worker takes its inputs from the real RabbitMQ and
announces its results there; the second year shows the branch moving up (晋位)."""
from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa
from kombu import Connection, Exchange, Queue

from grading_service.worker import build_worker
from pacesetter_shared.db import outbox_table
from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.events import new_envelope, prepare_data
from tests.support.broker import publish_event
from tests.support.services import person, start_service
from tests.support.waiting import wait_for

from .conftest import CYCLES, all_indicators, branch_round


@contextmanager
def observer(amqp_url: str, exchange: str, routing_key: str):
    """A private queue on the suite's exchange: what the grading worker really published."""
    with Connection(amqp_url) as conn:
        channel = conn.channel()
        queue = Queue(f"{exchange}.observer.{uuid.uuid4().hex[:6]}", Exchange(exchange, type="topic", durable=True),
                      routing_key=routing_key, exclusive=True)
        queue(channel).declare()

        def received() -> list[dict]:
            got = []
            while (message := channel.basic_get(queue.name, no_ack=True)) is not None:
                got.append(json.loads(message.body))
            return got

        yield received


def test_two_years_with_events_through_the_real_broker(fresh_database, make_settings, amqp_url, namespace):
    broker = {"broker_url": amqp_url, "events_exchange": namespace, "relay_interval": 0.05}
    service = start_service("grading", fresh_database("grading"), make_settings, **broker)
    worker = build_worker(service.settings).start()
    committee, general_branch, branch = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    org = person(roles=[("org_department", committee)])
    secretary = person(unit_id=branch, roles=[("branch_secretary", branch)])
    reviewer = person(roles=[("general_branch_secretary", general_branch)])

    def send(event_type: str, data: dict) -> None:
        envelope = new_envelope(event_type, 1, "test", "subject", prepare_data(event_type, 1, data))
        publish_event(amqp_url, namespace, envelope.to_dict())

    def branch_view(cycle_id) -> dict:
        return service.client.get(f"{CYCLES}/{cycle_id}/branches/{branch}", headers=service.headers(reviewer)).json

    try:
        assert wait_for(lambda: worker.consumer.ready.is_set(), message="the grading consumer")
        with observer(amqp_url, namespace, "grading.level_finalised") as published:
            for unit_id, name, kind, parent in ((committee, "党委", "committee", None),
                                                (general_branch, "教育学院党总支", "general_branch", committee),
                                                (branch, "教工第一党支部", "branch", general_branch)):
                send("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                 "parent_id": parent, "revision": 1})
            with service.uow_factory() as uow:
                wait_for(lambda: DirectoryView(uow.session).general_branch_of(branch) is not None,
                         message="the directory through the broker")
            for year, value in ((2025, 80), (2026, 93)):
                opened = service.client.post(CYCLES, json={
                    "year": year, "advanced_cap_percent": 100, "self_assessment_deadline": "2100-01-01",
                    "publicity_days": 0}, headers=service.headers(org))
                assert opened.status_code == 201, opened.json
                cycle_id = opened.json["id"]
                for part, who in (("self-assessment", secretary), ("superior-scores", reviewer)):
                    response = service.client.put(f"{CYCLES}/{cycle_id}/branches/{branch}/{part}",
                                                  json={"scores": all_indicators(value)}, headers=service.headers(who))
                    assert response.status_code == 200, response.json
                send("evaluation.completed", branch_round(branch, value, year=year))
                send("pledge.statistics_updated", {
                    "unit_id": branch, "year": year, "members_expected": 10, "members_with_annual_pledge": 10,
                    "pledges_total": 10, "fulfilled": 10, "fulfilled_on_time": 10, "overdue": 0, "by_area": {},
                    "as_of": datetime(year, 6, 1, tzinfo=timezone.utc)})
                view = wait_for(lambda: (v := branch_view(cycle_id))["pledge_score"] is not None
                                and v["evaluation_rounds"] == 1 and v, message="the inputs through the broker")
                assert view["members_and_masses"]["performance"] == 100.0
                confirm = service.client.post(f"{CYCLES}/{cycle_id}/branches/{branch}/level",
                                              json={"action": "confirm"}, headers=service.headers(reviewer))
                assert confirm.status_code == 200, confirm.json
                for step in ("publish", "finalise"):
                    response = service.client.post(f"{CYCLES}/{cycle_id}/{step}", headers=service.headers(org))
                    assert response.status_code == 200, response.json

            seen: list[dict] = []

            def both_years():
                seen.extend(published())
                return len(seen) >= 2 and seen

            by_year = {e["data"]["year"]: e["data"] for e in wait_for(both_years, message="two grading.level_finalised")}
        assert (by_year[2025]["grade"], by_year[2025]["previous_grade"]) == ("ordinary", None)
        assert (by_year[2026]["grade"], by_year[2026]["previous_grade"]) == ("advanced", "ordinary")
        with service.engine.connect() as conn:
            unpublished = conn.execute(sa.select(sa.func.count()).select_from(outbox_table)
                                       .where(outbox_table.c.published_at.is_(None))).scalar_one()
        assert unpublished == 0
        history = service.client.get(f"/api/grading/branches/{branch}/history",
                                     headers=service.headers(secretary)).json["years"]
        assert [(h["year"], h["change_zh"]) for h in history] == [(2025, None), (2026, "晋位")]
    finally:
        worker.stop()
        service.engine.dispose()
