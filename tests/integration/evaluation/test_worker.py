"""evaluation-service's worker against RabbitMQ: a fulfilled instant pledge, sent twice, opens one round,
and the round's opening goes out on the broker."""
from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from evaluation_service.adapters.tables import rounds
from evaluation_service.worker import build_worker
from pacesetter_shared.db import outbox_table
from pacesetter_shared.events import new_envelope, prepare_data
from tests.support.broker import consuming, publish_raw, queue_depth
from tests.support.services import OrgFixture, start_service
from tests.support.waiting import wait_for


def test_a_fulfilled_instant_pledge_on_the_broker_opens_one_round(fresh_database, make_settings, amqp_url, namespace):
    service = start_service("evaluation", fresh_database("evaluation"), make_settings, broker_url=amqp_url,
                            events_exchange=namespace, relay_interval=0.05)
    org = OrgFixture(service)
    worker = build_worker(service.settings).start()
    try:
        wait_for(lambda: consuming(amqp_url, f"{namespace}.evaluation"), message="the worker consuming its queue")
        data = prepare_data("pledge.fulfilled", 1, {
            "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": org.member.subject,
            "unit_id": org.branch, "kind": "instant", "title": "迎新志愿服务", "year": 2026,
            "due_date": date(2026, 9, 1)})
        envelope = new_envelope("pledge.fulfilled", 1, "pledge", data["pledge_id"], data).to_dict()
        publish_raw(amqp_url, namespace, "pledge.fulfilled", envelope)
        publish_raw(amqp_url, namespace, "pledge.fulfilled", envelope)  # redelivered

        def relayed():
            with service.engine.connect() as conn:
                return conn.execute(sa.select(outbox_table.c.event_type).where(
                    outbox_table.c.published_at.is_not(None))).scalars().all()

        assert "evaluation.round_opened" in wait_for(relayed, message="the round's opening to be published")
        wait_for(lambda: queue_depth(amqp_url, f"{namespace}.evaluation") == 0, message="the queue to drain")
    finally:
        worker.stop()
    with service.engine.connect() as conn:
        opened = conn.execute(sa.select(rounds.c.target_id, rounds.c.state)).all()
    assert opened == [(uuid.UUID(data["pledge_id"]), "open")]
    service.engine.dispose()
