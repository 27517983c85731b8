"""The daily digest against PostgreSQL: a secretary who chose it gets overdue pledges once a day."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from notification_service.service import digests as service

BRANCH = uuid.uuid4()
UTC = timezone.utc
BEFORE_EIGHT = datetime(2025, 3, 1, 23, 0, tzinfo=UTC)  # 07:00 on 2 March, Beijing
AFTER_EIGHT = datetime(2025, 3, 2, 0, 30, tzinfo=UTC)  # 08:30 on 2 March, Beijing
NEXT_DAY = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def _setup(notification):
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    ids = {"secretary": uuid.uuid4(), "member": uuid.uuid4()}
    for key, name, roles in [("secretary", "张支书", [("branch_secretary", BRANCH)]), ("member", "陈党员", [])]:
        notification.deliver("directory.person_upserted", {
            "person_id": ids[key], "name": name, "language": "zh", "unit_id": BRANCH, "email": f"{key}@example.edu.cn",
            "member_status": "full", "revision": 1,
            "roles": [{"role": r, "unit_id": u} for r, u in roles + [("member", BRANCH)]]})
    put = notification.client.put("/api/notifications/preferences", json={"daily_digest": True},
                                  headers=notification.headers(ids["secretary"]))
    assert put.status_code == 200 and put.json["daily_digest"] is True
    return ids


def overdue(notification, ids, title):
    return notification.deliver("pledge.overdue", {
        "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": ids["member"], "unit_id": BRANCH,
        "kind": "annual", "title": title, "year": 2025, "due_date": date(2025, 2, 28)})


def inbox(notification, person):
    return notification.client.get("/api/notifications", headers=notification.headers(person)).json


def test_overdue_pledges_wait_for_one_digest_a_day_while_the_member_hears_at_once(notification):
    ids = _setup(notification)
    first = overdue(notification, ids, "一")
    notification.redeliver(first)
    overdue(notification, ids, "二")
    assert inbox(notification, ids["member"])["total"] == 2
    assert inbox(notification, ids["secretary"])["total"] == 0

    assert service.send_digests(notification.uow_factory, BEFORE_EIGHT) == 0
    assert service.send_digests(notification.uow_factory, AFTER_EIGHT) == 1
    assert service.send_digests(notification.uow_factory, AFTER_EIGHT) == 0
    [digest] = inbox(notification, ids["secretary"])["items"]
    assert digest["title"] == "每日汇总：2 项承诺逾期"
    assert digest["kind"] == "reminder" and digest["event_type"] == "notification.daily_digest"
    lines = digest["body"].splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("· 陈党员的年度承诺《一》已超过完成时限（2025-02-28）")
    assert "《二》" in lines[2]

    overdue(notification, ids, "三")  # after today's digest: tomorrow's
    assert service.send_digests(notification.uow_factory, AFTER_EIGHT) == 0
    assert service.send_digests(notification.uow_factory, NEXT_DAY) == 1
    page = inbox(notification, ids["secretary"])
    assert page["total"] == 2
    assert page["items"][0]["title"] == "每日汇总：1 项承诺逾期"
    metrics = notification.client.get("/metrics").get_data(as_text=True)
    assert 'pacesetter_notification_deliveries{channel="email",status="pending"} 5.0' in metrics
