"""E-mail deliveries against PostgreSQL and a real local SMTP server: sent once, retried, failed, retried by hand."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from notification_service.service import dispatch as service
from notification_service.adapters.channels import SmtpSender
from notification_service.adapters.repository import DeliveryRepository
from notification_service.config import SmtpConfig
from notification_service.domain.delivery import Channel, RetryPolicy
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, RoleGrant, sign_identity

from .mailserver import MailServer

BRANCH = uuid.uuid4()
POLICY = RetryPolicy(max_attempts=3, base=timedelta(minutes=1), factor=4)


class Clock:
    """Time the test moves by hand: backoff is waited out by stepping, never by sleeping."""

    def __init__(self):
        # a moment ahead of the events the test is about to write, so they are due at once
        self.now = datetime.now(timezone.utc) + timedelta(seconds=5)

    def __call__(self) -> datetime:
        return self.now

    def step(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def mail():
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture
def people(notification):
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    ids = {"member": uuid.uuid4(), "english": uuid.uuid4(), "no_mail": uuid.uuid4()}
    for key, name, language, address in [("member", "陈党员", "zh", "chen@example.edu.cn"),
                                         ("english", "Chen Ming", "en", "ming@example.edu.cn"),
                                         ("no_mail", "王党员", "zh", None)]:
        notification.deliver("directory.person_upserted", {
            "person_id": ids[key], "name": name, "language": language, "unit_id": BRANCH, "email": address,
            "member_status": "full", "revision": 1, "roles": [{"role": "member", "unit_id": BRANCH}]})
    return ids


def approved(notification, pledger, title="带头搞好教书育人"):
    return notification.deliver("pledge.approved", {
        "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": pledger, "unit_id": BRANCH,
        "kind": "annual", "title": title, "year": 2025, "due_date": date(2025, 12, 31)})


def sender(mail: MailServer) -> SmtpSender:
    return SmtpSender(SmtpConfig(host="127.0.0.1", port=mail.port, timeout=5), "https://dangjian.example.edu.cn")


def dispatch(notification, mail, clock) -> int:
    return service.dispatch_due(notification.uow_factory, Channel.EMAIL, sender(mail), POLICY, now=clock)


def deliveries(notification, envelope):
    with notification.uow_factory() as uow:
        return {(d.recipient_id, d.channel): d for d in DeliveryRepository(uow.session).of_event(envelope.id)}


def ops_headers(notification, roles=(("ops_admin", None),)) -> dict:
    identity = Identity(subject=str(uuid.uuid4()), kind="person", roles=tuple(RoleGrant(r, u) for r, u in roles))
    return {IDENTITY_HEADER: sign_identity(identity, notification.private_key)}


def test_an_email_is_multipart_plain_and_html_read_back_from_the_server(notification, people, mail):
    mail.start()
    clock = Clock()
    envelope = approved(notification, people["english"], title="Welcome <new> students")
    assert dispatch(notification, mail, clock) == 1

    [message] = mail.received
    assert message["To"] == message["X-Rcpt"] == "ming@example.edu.cn"
    assert message["Subject"] == "Pledge approved: “Welcome <new> students”"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://dangjian.example.edu.cn/pledges/{envelope.data['pledge_id']}"
    assert "Your annual pledge “Welcome <new> students” was approved" in text
    assert f"Open in the portal: {link}" in text
    assert "<h2>Pledge approved: “Welcome &lt;new&gt; students”</h2>" in html
    assert f'<a href="{link}">' in html
    assert deliveries(notification, envelope)[(people["english"], Channel.EMAIL)].status.value == "delivered"


def test_the_inbox_is_immediate_and_only_people_with_an_address_get_mail(notification, people, mail):
    envelope = approved(notification, people["no_mail"])  # the SMTP server is not even running
    found = deliveries(notification, envelope)
    assert list(found) == [(people["no_mail"], Channel.INBOX)]
    assert found[(people["no_mail"], Channel.INBOX)].status.value == "delivered"
    inbox = notification.client.get("/api/notifications", headers=notification.headers(people["no_mail"])).json
    assert inbox["total"] == 1


def test_smtp_down_then_up_delivers_once_and_the_same_event_twice_sends_one(notification, people, mail):
    clock = Clock()
    envelope = approved(notification, people["member"])
    notification.redeliver(envelope)  # the broker's second copy adds nothing
    inbox = notification.client.get("/api/notifications", headers=notification.headers(people["member"])).json
    assert inbox["total"] == 1  # the inbox did not wait for the mail server

    assert dispatch(notification, mail, clock) == 1  # refused: server down
    first = deliveries(notification, envelope)[(people["member"], Channel.EMAIL)]
    assert (first.status.value, first.attempts) == ("pending", 1)
    assert "refused" in first.last_error.lower()
    assert first.next_attempt_at == clock.now + timedelta(minutes=1)
    assert dispatch(notification, mail, clock) == 0  # backing off: not due yet

    mail.start()
    clock.step(timedelta(minutes=1))
    assert dispatch(notification, mail, clock) == 1
    clock.step(timedelta(hours=1))
    assert dispatch(notification, mail, clock) == 0
    assert len(mail.received) == 1
    assert mail.received[0]["Subject"] == "承诺已通过审核：《带头搞好教书育人》"
    done = deliveries(notification, envelope)[(people["member"], Channel.EMAIL)]
    assert (done.status.value, done.attempts) == ("delivered", 2)


def test_out_of_tries_it_is_failed_visible_to_ops_counted_and_retried_by_hand(notification, people, mail):
    clock = Clock()
    envelope = approved(notification, people["member"])
    for _ in range(POLICY.max_attempts):
        assert dispatch(notification, mail, clock) == 1
        clock.step(POLICY.cap)
    assert dispatch(notification, mail, clock) == 0  # given up: no fourth try

    client = notification.client
    assert client.get("/api/notifications/deliveries/failed", headers=ops_headers(notification, roles=())
                      ).status_code == 403
    page = client.get("/api/notifications/deliveries/failed", headers=ops_headers(notification)).json
    assert page["total"] == 1
    [failed] = page["items"]
    assert (failed["event_id"], failed["channel"], failed["address"], failed["attempts"]) == (
        str(envelope.id), "email", "chen@example.edu.cn", 3)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'pacesetter_notification_deliveries{channel="email",status="failed"} 1.0' in metrics
    assert 'pacesetter_notification_deliveries{channel="inbox",status="delivered"} 1.0' in metrics

    headers = ops_headers(notification) | {"Idempotency-Key": "retry-1"}
    retried = client.post(f"/api/notifications/deliveries/{failed['id']}/retry", headers=headers)
    again = client.post(f"/api/notifications/deliveries/{failed['id']}/retry", headers=headers)
    assert retried.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert (retried.json["status"], retried.json["attempts"]) == ("pending", 0)
    not_failed = client.post(f"/api/notifications/deliveries/{failed['id']}/retry", headers=ops_headers(notification))
    assert not_failed.status_code == 409 and not_failed.json["error"]["code"] == "not_retryable"
    missing = client.post(f"/api/notifications/deliveries/{uuid.uuid4()}/retry", headers=ops_headers(notification))
    assert missing.status_code == 404

    mail.start()
    clock.step(timedelta(seconds=1))
    assert dispatch(notification, mail, clock) == 1
    assert len(mail.received) == 1
    assert client.get("/api/notifications/deliveries/failed", headers=ops_headers(notification)).json["total"] == 0


def test_two_replicas_sending_at_once_send_each_mail_once(notification, people, mail):
    mail.start()
    clock = Clock()
    for n in range(12):
        approved(notification, people["member"], title=f"承诺{n}")
        approved(notification, people["english"], title=f"pledge {n}")
    tried = []
    workers = [threading.Thread(target=lambda: tried.append(dispatch(notification, mail, clock))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    print(f"replica tries: {tried}, received: {len(mail.received)}")
    assert sum(tried) == 24
    assert len(mail.received) == 24
    assert len({m["Subject"] for m in mail.received}) == 24
