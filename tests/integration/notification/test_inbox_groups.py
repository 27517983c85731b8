"""The inbox against PostgreSQL, filtered and in groups: notices of one event type about one subject as one row
("教务处综合服务窗口 3 条差评通知") that expands to its notices, each linking to its exact item; a total of
every group and notice that matches; notices from before groups existed, each a group of its own."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from notification_service.adapters.repository import InboxRepository
from notification_service.adapters.tables import metadata
from notification_service.app import MIGRATIONS
from pacesetter_shared import migrations
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory
from tests.integration.notification import test_inbox
from tests.integration.notification.test_inbox import BRANCH, inbox, pledge_event
from tests.support.migrations import schema_differences

people = test_inbox.people  # the same fixture: a branch, its secretaries and a member

WINDOW, OTHER_WINDOW = uuid.uuid4(), uuid.uuid4()
DEADLINE = datetime.now(timezone.utc) + timedelta(days=7)


def _windows(notification, responsible_id) -> None:
    for window_id, name in ((WINDOW, "教务处综合服务窗口"), (OTHER_WINDOW, "学籍服务窗口")):
        notification.deliver("directory.window_upserted", {
            "window_id": window_id, "name": name, "unit_id": BRANCH, "responsible_id": responsible_id,
            "revision": 1, "standards": {"items": [], "workflow": "", "time_limit": ""}})


def _bad_rating(notification, people, window_id) -> str:
    case_id = uuid.uuid4()
    notification.deliver("feedback.negative", {
        "case_id": case_id, "window_id": window_id, "unit_id": BRANCH, "responsible_id": people["member"],
        "level": 1, "reasons": ["服务态度"], "deadline": DEADLINE})
    return str(case_id)


def _groups(notification, person_id, headers=None, **query) -> dict:
    response = notification.client.get("/api/notifications/groups", query_string=query,
                                       headers={**notification.headers(person_id), **(headers or {})})
    assert response.status_code == 200, response.json
    return response.json


def test_the_inbox_in_groups_by_event_and_subject_each_notice_linking_to_its_item(notification, people):
    member = people["member"]
    _windows(notification, member)
    cases = [_bad_rating(notification, people, WINDOW) for _ in range(3)]
    other_case = _bad_rating(notification, people, OTHER_WINDOW)
    approved = pledge_event(notification, people, "pledge.approved", title="带头搞好教书育人")
    for _ in range(2):
        notification.deliver("evaluation.requested", {
            "round_id": uuid.uuid4(), "target_kind": "member_year", "target_id": uuid.uuid4(),
            "subject_person_id": people["reviewer"], "unit_id": BRANCH, "party": "peer", "rater_ids": [member],
            "deadline": DEADLINE})

    groups = _groups(notification, member)
    assert (groups["total"], groups["unread"]) == (5, 8)  # three bad ratings within the hour: an alert too
    by_subject = {(g["event_type"], g["subject_kind"], g["subject_id"]): g for g in groups["items"]}
    window = by_subject[("feedback.negative", "window", str(WINDOW))]
    assert (window["title"], window["count"], window["unread"], window["kind"]) == (
        "教务处综合服务窗口 3 条差评通知", 3, 3, "task")
    assert window["subject_name"] == "教务处综合服务窗口"
    assert [i["link"] for i in window["items"]] == [f"/feedback/{c}" for c in reversed(cases)]  # newest first
    assert window["link"] == f"/feedback/{cases[-1]}"
    single = by_subject[("feedback.negative", "window", str(OTHER_WINDOW))]
    assert single["count"] == 1 and single["title"] == single["items"][0]["title"] == "服务差评待整改：教工第一党支部"
    assert single["link"] == f"/feedback/{other_case}"
    alert = by_subject[("notification.bad_rating_alert", "window", str(WINDOW))]
    assert (alert["count"], alert["link"], alert["subject_name"]) == (1, f"/windows/{WINDOW}", "教务处综合服务窗口")
    requests = by_subject[("evaluation.requested", "all", None)]
    assert (requests["title"], requests["count"]) == ("2 项评议请您参加", 2)
    pledge = by_subject[("pledge.approved", "pledge", str(approved.data["pledge_id"]))]
    assert pledge["link"] == f"/pledges/{approved.data['pledge_id']}" and pledge["subject_name"] == "带头搞好教书育人"

    english = _groups(notification, member, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert {g["key"]: g["title"] for g in english["items"]}[window["key"]] == "3 bad-rating notices at 教务处综合服务窗口"

    # a group expands to all of its notices, a page at a time; opening one marks it read
    expanded = inbox(notification, member, group=window["key"], limit=2)
    assert (expanded["total"], [n["link"] for n in expanded["items"]]) == (3, [
        f"/feedback/{cases[2]}", f"/feedback/{cases[1]}"])
    assert all(n["group"] == window["key"] for n in expanded["items"])
    opened = notification.client.post(f"/api/notifications/{expanded['items'][0]['id']}/read",
                                      headers=notification.headers(member))
    assert opened.status_code == 200 and opened.json["link"] == f"/feedback/{cases[2]}"
    read_single = notification.client.post(f"/api/notifications/{single['items'][0]['id']}/read",
                                           headers=notification.headers(member))
    assert read_single.status_code == 200

    after = {g["key"]: g for g in _groups(notification, member)["items"]}
    assert (after[window["key"]]["count"], after[window["key"]]["unread"]) == (3, 2)
    assert list(after)[-1] == single["key"]  # nothing unread in it: after every group with unread notices
    unread_only = {g["key"]: g for g in _groups(notification, member, read="false")["items"]}
    assert unread_only[window["key"]]["title"] == "教务处综合服务窗口 2 条差评通知"
    assert single["key"] not in unread_only and len(unread_only) == 4
    assert [g["key"] for g in _groups(notification, member, read="true")["items"]] == [single["key"], window["key"]]
    assert {g["event_type"] for g in _groups(notification, member, kind="update")["items"]} == {"pledge.approved"}
    assert _groups(notification, member, kind="task,update")["total"] == 4
    newest_first = [g["latest_at"] for g in _groups(notification, member, sort="-latest_at")["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    page = _groups(notification, member, limit=1, offset=1)
    assert (page["total"], len(page["items"])) == (5, 1)  # every group, not the page
    assert _groups(notification, people["reviewer"])["total"] == 0

    # the flat list: filters by kind and read state, newest first when asked
    assert inbox(notification, member, kind="task", read="false")["total"] == 4
    assert inbox(notification, member, read="true")["total"] == 2
    created = [n["created_at"] for n in inbox(notification, member, sort="-created_at", limit=100)["items"]]
    assert created == sorted(created, reverse=True) and len(created) == 8
    assert [n["created_at"] for n in inbox(notification, member, sort="created_at", limit=100)["items"]] == sorted(
        created)

    for path, bad in (("/api/notifications/groups", {"sort": "title"}), ("/api/notifications/groups", {"limit": 101}),
                      ("/api/notifications/groups", {"kind": "gossip"}), ("/api/notifications", {"read": "perhaps"}),
                      ("/api/notifications", {"group": "no group"}), ("/api/notifications", {"sort": "kind"})):
        refused = notification.client.get(path, query_string=bad, headers=notification.headers(member))
        assert refused.status_code == 422, (path, bad, refused.json)
        assert refused.json["error"]["code"] == "validation_error" and set(bad) & set(refused.json["error"]["details"])


def test_a_notice_from_before_groups_is_a_group_of_its_own(notification_database, tmp_path):
    migrations.upgrade(MIGRATIONS, notification_database, "0002")
    engine = make_engine(notification_database)
    person, old = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO notices (id, person_id, event_id, event_type, kind, title, body, link, created_at) "
            "VALUES (:id, :person, :event, 'pledge.approved', 'update', '承诺已通过审核：《旧》', '…', :link, now())"),
            {"id": old, "person": person, "event": uuid.uuid4(), "link": f"/pledges/{uuid.uuid4()}"})
    migrations.upgrade(MIGRATIONS, notification_database)
    assert schema_differences(engine, metadata) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT group_key FROM notices")).scalar_one() == f"notice:{old}"
    with UnitOfWorkFactory(make_session_factory(engine), "notification")() as uow:
        [group], total = InboxRepository(uow.session).groups(person, limit=20, offset=0, items=10)
    assert (total, group.subject, group.count, group.title("zh")) == (1, ("notice", old), 1, "承诺已通过审核：《旧》")
    engine.dispose()
