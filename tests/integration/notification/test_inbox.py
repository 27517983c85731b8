"""The inbox against PostgreSQL: directory events and a pledge event in, notices out through the API."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

COMMITTEE, GENERAL_BRANCH, BRANCH = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture
def people(notification):
    """党委 → 党总支 → 党支部, a general-branch secretary, an English-reading branch secretary, a member."""
    for unit_id, name, kind, parent in [(COMMITTEE, "党委", "committee", None),
                                        (GENERAL_BRANCH, "教育学院党总支", "general_branch", COMMITTEE),
                                        (BRANCH, "教工第一党支部", "branch", GENERAL_BRANCH)]:
        notification.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                         "parent_id": parent, "revision": 1})
    ids = {"reviewer": uuid.uuid4(), "secretary": uuid.uuid4(), "member": uuid.uuid4()}
    for key, name, language, roles in [
        ("reviewer", "李总支", "zh", [("general_branch_secretary", GENERAL_BRANCH)]),
        ("secretary", "Zhang Wei", "en", [("member", BRANCH), ("branch_secretary", BRANCH)]),
        ("member", "陈党员", "zh", [("member", BRANCH)]),
    ]:
        notification.deliver("directory.person_upserted", {
            "person_id": ids[key], "name": name, "language": language, "unit_id": BRANCH,
            "member_status": "full", "revision": 1, "roles": [{"role": r, "unit_id": u} for r, u in roles]})
    return ids


def pledge_event(notification, people, event_type, title="带头搞好教书育人", **extra):
    return notification.deliver(event_type, {
        "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": people["member"], "unit_id": BRANCH,
        "kind": "annual", "title": title, "year": 2025, "due_date": date(2025, 12, 31),
        **extra})


def inbox(notification, person_id, **query):
    response = notification.client.get("/api/notifications", query_string=query,
                                       headers=notification.headers(person_id))
    assert response.status_code == 200, response.json
    return response.json


def test_a_submitted_pledge_lands_once_in_the_reviewers_inbox_only(notification, people):
    envelope = pledge_event(notification, people, "pledge.submitted")
    notification.redeliver(envelope)  # the unique (event_id, person_id) guard absorbs a second delivery

    page = inbox(notification, people["reviewer"])
    assert (page["total"], page["unread"], page["limit"], page["offset"]) == (1, 1, 20, 0)
    [notice] = page["items"]
    assert notice["event_type"] == "pledge.submitted"
    assert notice["kind"] == "task"
    assert notice["title"] == "承诺待审核：《带头搞好教书育人》"
    assert notice["body"] == "陈党员（教工第一党支部）提交了年度承诺《带头搞好教书育人》，完成时限 2025-12-31，请及时审核。"
    assert notice["link"] == f"/pledges/{envelope.data['pledge_id']}"
    assert notice["unread"] is True and notice["read_at"] is None
    assert notice["created_at"].endswith("+00:00")

    for bystander in ("member", "secretary"):
        assert inbox(notification, people[bystander])["total"] == 0
    count = notification.client.get("/api/notifications/unread-count", headers=notification.headers(people["reviewer"]))
    assert count.status_code == 200 and count.json == {"unread": 1}


def test_an_overdue_pledge_reaches_the_member_and_the_secretary_in_their_languages(notification, people):
    pledge_event(notification, people, "pledge.overdue")
    [own] = inbox(notification, people["member"])["items"]
    [oversight] = inbox(notification, people["secretary"])["items"]
    assert own["title"] == "承诺已逾期：《带头搞好教书育人》"
    assert oversight["title"] == "Overdue pledge in your branch: “带头搞好教书育人”"
    assert own["kind"] == oversight["kind"] == "reminder"


def test_the_inbox_pages_unread_first_then_newest_first(notification, people):
    for event_type, title in [("pledge.approved", "一"), ("pledge.published", "二"), ("pledge.overdue", "三")]:
        pledge_event(notification, people, event_type, title=title)
    pledge_event(notification, people, "pledge.due_soon", title="四", days_left=3)
    member = people["member"]
    newest = inbox(notification, member, limit=1)["items"][0]
    assert newest["title"] == "承诺即将到期：《四》"
    read = notification.client.post(f"/api/notifications/{newest['id']}/read", headers=notification.headers(member))
    assert read.status_code == 200 and read.json["unread"] is False

    first = inbox(notification, member, limit=2)
    second = inbox(notification, member, limit=2, offset=2)
    assert (first["total"], first["unread"]) == (4, 3)
    titles = [n["title"] for n in first["items"] + second["items"]]
    assert titles == ["承诺已逾期：《三》", "承诺已公开：《二》", "承诺已通过审核：《一》", "承诺即将到期：《四》"]
    unread = inbox(notification, member, unread_only="true")
    assert (unread["total"], len(unread["items"])) == (3, 3)
    assert all(n["unread"] for n in unread["items"])


def test_marking_read_one_and_all(notification, people):
    pledge_event(notification, people, "pledge.approved")
    pledge_event(notification, people, "pledge.published")
    member, reviewer = people["member"], people["reviewer"]
    notice_id = inbox(notification, member)["items"][0]["id"]

    not_mine = notification.client.post(f"/api/notifications/{notice_id}/read", headers=notification.headers(reviewer))
    assert not_mine.status_code == 404
    assert not_mine.json["error"]["code"] == "not_found"
    missing = notification.client.post(f"/api/notifications/{uuid.uuid4()}/read", headers=notification.headers(member))
    assert missing.status_code == 404

    first = notification.client.post(f"/api/notifications/{notice_id}/read", headers=notification.headers(member))
    again = notification.client.post(f"/api/notifications/{notice_id}/read", headers=notification.headers(member))
    assert first.status_code == again.status_code == 200
    assert first.json["read_at"] is not None and again.json["read_at"] == first.json["read_at"]

    read_all = notification.client.post("/api/notifications/read-all", headers=notification.headers(member))
    assert read_all.status_code == 200 and read_all.json == {"count": 1}
    assert notification.client.post("/api/notifications/read-all", headers=notification.headers(member)).json == {
        "count": 0}
    assert inbox(notification, member)["unread"] == 0


def test_the_inbox_needs_an_identity_and_valid_paging(notification, people):
    anonymous = notification.client.get("/api/notifications")
    assert anonymous.status_code == 401
    assert anonymous.json["error"]["code"] == "unauthorized"
    bad = notification.client.get("/api/notifications", query_string={"limit": 0},
                                  headers=notification.headers(people["member"]))
    assert bad.status_code == 422
    assert "limit" in bad.json["error"]["details"]
