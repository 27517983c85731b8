"""Unit chat robots against PostgreSQL and a local HTTP receiver: set up, signed, retried, only unit news."""
from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from notification_service.service import dispatch as service
from notification_service.adapters.channels import WebhookSender
from notification_service.domain.delivery import Channel, RetryPolicy
from notification_service.service.jobs import secret_lookup
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, RoleGrant, sign_identity

from .receiver import Receiver
from .test_email_deliveries import Clock

BRANCH, OTHER = uuid.uuid4(), uuid.uuid4()
POLICY = RetryPolicy(max_attempts=3, base=timedelta(minutes=1))


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def units(notification):
    for unit_id, name in [(BRANCH, "教工第一党支部"), (OTHER, "学生第一党支部")]:
        notification.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": "branch",
                                                         "parent_id": None, "revision": 1})


def as_person(notification, *roles) -> dict:
    identity = Identity(subject=str(uuid.uuid4()), kind="person", roles=tuple(RoleGrant(r, u) for r, u in roles))
    return {IDENTITY_HEADER: sign_identity(identity, notification.private_key)}


def put_robot(notification, unit_id, **body):
    secretary = as_person(notification, ("branch_secretary", str(unit_id)))
    return notification.client.put(f"/api/notifications/robots/{unit_id}", json=body, headers=secretary)


def published(notification, branch_id=BRANCH):
    return notification.deliver("grading.published", {"cycle_id": uuid.uuid4(), "year": 2025, "branch_id": branch_id,
                                                       "grade": "advanced", "previous_grade": "ordinary",
                                                       "total": 91.5})


def dispatch(notification, clock) -> int:
    sender = WebhookSender("https://dj.example.edu.cn", secret_lookup(notification.uow_factory), timeout=5)
    return service.dispatch_due(notification.uow_factory, Channel.WEBHOOK, sender, POLICY, now=clock)


def test_only_the_units_secretary_or_the_department_sets_its_robot_and_the_secret_stays_hidden(
        notification, units, receiver):
    stranger = as_person(notification, ("branch_secretary", str(OTHER)))
    denied = notification.client.put(f"/api/notifications/robots/{BRANCH}", headers=stranger,
                                     json={"style": "generic", "url": receiver.url})
    assert denied.status_code == 403
    bad = put_robot(notification, BRANCH, style="telegram", url="ftp://x")
    assert bad.status_code == 422 and {"style", "url"} <= set(bad.json["error"]["details"])
    ok = put_robot(notification, BRANCH, style="dingtalk", url=f"{receiver.url}/robot/send?access_token=t",
                   secret="SEC123")
    assert ok.status_code == 200
    assert ok.json["signed"] is True and "secret" not in ok.json
    listing = notification.client.get("/api/notifications/robots", headers=as_person(notification, ("org_department",
                                                                                                    None)))
    assert listing.json["total"] == 1 and listing.json["items"][0]["style"] == "dingtalk"
    assert notification.client.get("/api/notifications/robots", headers=stranger).status_code == 403


def test_a_dingtalk_robot_gets_signed_markdown_once(notification, units, receiver):
    put_robot(notification, BRANCH, style="dingtalk", url=f"{receiver.url}/robot/send?access_token=t",
              secret="SEC123")
    envelope = published(notification)
    notification.redeliver(envelope)
    published(notification, OTHER)  # no robot there: nothing to send
    clock = Clock()
    assert dispatch(notification, clock) == 1
    assert dispatch(notification, clock) == 0

    [post] = receiver.received
    query = parse_qs(urlsplit(post.path).query)
    assert urlsplit(post.path).path == "/robot/send" and query["access_token"] == ["t"]
    expected = base64.b64encode(hmac.new(b"SEC123", f"{query['timestamp'][0]}\nSEC123".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected]
    assert post.json["msgtype"] == "markdown"
    assert post.json["markdown"]["title"] == "2025年度定级结果：教工第一党支部“先进”"
    assert "[查看详情](https://dj.example.edu.cn/grading/" in post.json["markdown"]["text"]


def test_a_generic_robot_gets_hmac_signed_json_and_a_refusal_is_retried(notification, units, receiver):
    put_robot(notification, BRANCH, style="generic", url=f"{receiver.url}/hook", secret="s3cret")
    receiver.answers = [(503, {"error": "busy"})]
    published(notification)
    clock = Clock()
    assert dispatch(notification, clock) == 1  # 503: one try spent
    clock.step(timedelta(minutes=1))
    assert dispatch(notification, clock) == 1
    assert len(receiver.received) == 2
    post = receiver.received[-1]
    signed = hmac.new(b"s3cret", f"{post.headers['X-Pacesetter-Timestamp']}.".encode() + post.body,
                      hashlib.sha256).hexdigest()
    assert post.headers["X-Pacesetter-Signature"] == f"sha256={signed}"
    assert post.json["title"] == "2025年度定级结果：教工第一党支部“先进”"
    assert post.json["kind"] == "result"


def test_a_wecom_robot_answering_an_error_code_is_a_failed_try(notification, units, receiver):
    put_robot(notification, BRANCH, style="wecom", url=f"{receiver.url}/cgi-bin/webhook/send?key=k")
    receiver.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})] * POLICY.max_attempts
    published(notification)
    clock = Clock()
    for _ in range(POLICY.max_attempts):
        assert dispatch(notification, clock) == 1
        clock.step(timedelta(hours=6))
    failed = notification.client.get("/api/notifications/deliveries/failed",
                                     headers=as_person(notification, ("ops_admin", None))).json
    assert failed["total"] == 1
    assert failed["items"][0]["channel"] == "webhook"
    assert "93000" in failed["items"][0]["last_error"]
    assert receiver.received[0].json["markdown"]["content"].startswith("### 2025年度定级结果")


def test_a_members_own_news_never_goes_to_the_group(notification, units, receiver):
    put_robot(notification, BRANCH, style="generic", url=f"{receiver.url}/hook")
    notification.deliver("pledge.approved", {
        "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(), "unit_id": BRANCH,
        "kind": "annual", "title": "带头搞好教书育人", "year": 2025, "due_date": date(2025, 12, 31)})
    assert dispatch(notification, Clock()) == 0
    assert receiver.received == []


def test_the_groups_quiet_hours_hold_the_post_and_a_rotated_secret_signs_it(notification, units, receiver):
    clock = Clock()
    beijing = clock.now.astimezone(ZoneInfo("Asia/Shanghai"))
    quiet = {"start": (beijing - timedelta(hours=1)).strftime("%H:%M"),
             "end": (beijing + timedelta(hours=2)).strftime("%H:%M")}
    put = put_robot(notification, BRANCH, style="generic", url=f"{receiver.url}/hook", secret="old", quiet_hours=quiet)
    assert put.json["quiet_hours"] == quiet
    published(notification)
    assert dispatch(notification, clock) == 0  # quiet now
    put_robot(notification, BRANCH, style="generic", url=f"{receiver.url}/hook", secret="new")
    clock.step(timedelta(hours=2))
    assert dispatch(notification, clock) == 1
    [post] = receiver.received
    signed = hmac.new(b"new", f"{post.headers['X-Pacesetter-Timestamp']}.".encode() + post.body,
                      hashlib.sha256).hexdigest()
    assert post.headers["X-Pacesetter-Signature"] == f"sha256={signed}"
