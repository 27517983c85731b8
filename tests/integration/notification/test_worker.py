"""notification-service's worker against RabbitMQ, PostgreSQL and a local SMTP server: an event on the
broker lands in the inbox at once, and its e-mail arrives once, after the mail server comes back."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from notification_service.adapters.tables import deliveries
from notification_service.config import NotificationConfig, SmtpConfig
from notification_service.domain.delivery import RetryPolicy
from notification_service.worker import build_worker
from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.events import new_envelope, prepare_data
from tests.support.broker import consuming, publish_event, queue_depth
from tests.support.services import person, start_service
from tests.support.waiting import wait_for

from .mailserver import MailServer


def _known(service, person_id) -> bool:
    with service.uow_factory() as uow:
        return DirectoryView(uow.session).person(person_id) is not None


def _publish(amqp_url, namespace, event_type, data, times=1):
    envelope = new_envelope(event_type, 1, "test", "subject", prepare_data(event_type, 1, data)).to_dict()
    for _ in range(times):
        publish_event(amqp_url, namespace, envelope)


def test_smtp_down_then_up_through_the_broker_delivers_once(fresh_database, make_settings, amqp_url, namespace):
    service = start_service("notification", fresh_database("notification"), make_settings, broker_url=amqp_url,
                            events_exchange=namespace)
    mail = MailServer()
    config = NotificationConfig(smtp=SmtpConfig(host="127.0.0.1", port=mail.port, timeout=5),
                                retry=RetryPolicy(max_attempts=10, base=timedelta(seconds=1), factor=1),
                                dispatch_every_seconds=1)
    worker = build_worker(service.settings, config).start()
    branch, member = uuid.uuid4(), uuid.uuid4()
    try:
        wait_for(lambda: consuming(amqp_url, f"{namespace}.notification"), message="the worker consuming")
        _publish(amqp_url, namespace, "directory.unit_upserted", {"unit_id": branch, "name": "教工第一党支部",
                                                                  "kind": "branch", "parent_id": None, "revision": 1})
        _publish(amqp_url, namespace, "directory.person_upserted", {
            "person_id": member, "name": "陈党员", "language": "zh", "unit_id": branch, "email": "chen@example.edu.cn",
            "member_status": "full", "revision": 1, "roles": [{"role": "member", "unit_id": branch}]})
        wait_for(lambda: _known(service, member), message="the member in the directory projection")
        _publish(amqp_url, namespace, "pledge.approved", {
            "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": member, "unit_id": branch,
            "kind": "annual", "title": "带头搞好教书育人", "year": 2025, "due_date": date(2025, 12, 31)}, times=2)

        headers = service.headers(person(member))
        inbox = wait_for(lambda: service.client.get("/api/notifications", headers=headers).json["items"],
                         message="the notice in the inbox")
        assert [n["title"] for n in inbox] == ["承诺已通过审核：《带头搞好教书育人》"]

        def tries():
            with service.engine.connect() as conn:
                return conn.execute(sa.select(deliveries.c.attempts).where(deliveries.c.channel == "email")).scalar()

        wait_for(lambda: (tries() or 0) >= 2, message="two failed tries while the mail server is down")
        mail.start()
        wait_for(lambda: mail.received, message="the e-mail once the server is up")

        def delivered():
            with service.engine.connect() as conn:
                return conn.execute(sa.select(deliveries.c.status).where(deliveries.c.channel == "email")).scalar()

        wait_for(lambda: delivered() == "delivered", message="the delivery recorded")
        wait_for(lambda: queue_depth(amqp_url, f"{namespace}.notification") == 0, message="the queue to drain")
    finally:
        worker.stop()
        mail.stop()
    assert len(mail.received) == 1
    assert mail.received[0]["Subject"] == "承诺已通过审核：《带头搞好教书育人》"
    assert service.client.get("/api/notifications", headers=headers).json["total"] == 1
    service.engine.dispose()
