"""Against PostgreSQL, the lists the portal's windows pages read: follow-up cases filtered by window, state,
overdue and deadline, sorted, with a total of all of them; several cases closed at once with one result;
the satisfaction of every window a secretary oversees, in their units and every unit below."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.service.followup_cases import escalate_overdue_cases
from evaluation_service.service.window_ratings import rate_window
from pacesetter_shared.db import outbox_table
from tests.integration.evaluation.test_window_ratings import _rate_at, kiosk

CASES = "/api/feedback/cases"
NOW = datetime.now(timezone.utc)


def _case_at(s, window_id, opened_at: datetime, level: int = 1) -> str:
    """A bad rating's case as the use case opens it on that day (its deadline five working days on)."""
    with s.uow_factory() as uow:
        answer = rate_window(uow, kiosk(window_id), {"client_id": uuid.uuid4().hex, "level": level},
                             now=opened_at)
    return str(answer["case_id"])


def _window(s, name: str, unit_id, responsible_id=None) -> uuid.UUID:
    window_id = uuid.uuid4()
    s.deliver("directory.window_upserted", {
        "window_id": window_id, "name": name, "unit_id": unit_id, "responsible_id": responsible_id, "revision": 1,
        "standards": {"items": [], "workflow": "", "time_limit": ""}})
    return window_id


def _outbox(s, event_type: str) -> int:
    with s.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(outbox_table).where(
            outbox_table.c.event_type == event_type)).scalar_one()


def _cases(s, who, **query) -> dict:
    response = s.client.get(CASES, query_string=query, headers=s.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_cases_filter_by_window_state_overdue_and_deadline_sorted_with_a_total_of_all(evaluation_service, org):
    s = evaluation_service
    oldest = _case_at(s, org.window, NOW - timedelta(days=20))
    escalated = _case_at(s, org.other_window, NOW - timedelta(days=15))
    late = _case_at(s, org.window, NOW - timedelta(days=10))
    fresh = _case_at(s, org.other_window, NOW)
    done = _case_at(s, org.window, NOW - timedelta(days=1))
    assert escalate_overdue_cases(s.uow_factory, NOW - timedelta(days=5)) == 2  # the two oldest, escalated then
    closed = s.client.post(f"{CASES}/{done}/close", json={"action_taken": "已致歉", "called_back": True},
                           headers=s.headers(org.secretary))
    assert closed.status_code == 200 and closed.json["overdue"] is False
    elsewhere = _case_at(s, _window(s, "财务报销窗口", org.other_branch), NOW - timedelta(days=30))

    # the default order: unclosed first, the earliest deadline first, so the overdue ones lead; closed last
    every = _cases(s, org.secretary)
    assert [c["id"] for c in every["items"]] == [oldest, escalated, late, fresh, done]
    assert every["total"] == 5
    assert {c["id"]: c["overdue"] for c in every["items"]} == {
        oldest: True, escalated: True, late: True, fresh: False, done: False}
    assert [c["state"] for c in every["items"]] == ["escalated", "escalated", "open", "open", "closed"]

    def ids(**query) -> list[str]:
        return [c["id"] for c in _cases(s, org.secretary, limit=100, **query)["items"]]

    assert ids(overdue="true") == [oldest, escalated, late]
    assert ids(overdue="false") == [fresh, done]
    assert ids(window_id=str(org.other_window)) == [escalated, fresh]
    assert ids(state="escalated") == [oldest, escalated]
    assert ids(state="open,escalated") == ids(state=["open", "escalated"]) == [oldest, escalated, late, fresh]
    assert ids(state="closed", window_id=str(org.window)) == [done]
    assert ids(deadline_before=NOW.isoformat()) == [oldest, escalated, late]
    # a date and time without an offset is Beijing time
    cut = (NOW - timedelta(days=5, hours=12)).astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
    assert ids(deadline_after=cut.isoformat(), deadline_before=NOW.isoformat()) == [late]

    deadlines = [c["deadline"] for c in _cases(s, org.secretary, sort="deadline")["items"]]
    assert deadlines == sorted(deadlines) and len(deadlines) == 5
    assert [c["deadline"] for c in _cases(s, org.secretary, sort="-deadline")["items"]] == sorted(deadlines)[::-1]
    assert ids(sort="-opened_at") == [fresh, done, late, escalated, oldest]
    assert ids(sort="opened_at") == [oldest, escalated, late, done, fresh]

    page = _cases(s, org.secretary, limit=2, offset=1)
    assert ([c["id"] for c in page["items"]], page["total"]) == ([escalated, late], 5)  # all of them, not the page
    assert _cases(s, org.secretary, overdue="true", limit=1)["total"] == 3

    # who sees what: the general branch over the branch sees its cases; 组织部 all; another general branch its own
    assert _cases(s, org.reviewer)["total"] == 5
    assert [c["id"] for c in _cases(s, org.outsider_reviewer)["items"]] == [elsewhere]
    assert _cases(s, org.org, overdue="true")["total"] == 4
    assert _cases(s, org.peer)["total"] == 0

    for bad in ({"sort": "window"}, {"state": "open,lost"}, {"overdue": "maybe"}, {"limit": 101},
                {"deadline_after": NOW.isoformat(), "deadline_before": (NOW - timedelta(days=1)).isoformat()}):
        refused = s.client.get(CASES, query_string=bad, headers=s.headers(org.secretary))
        assert refused.status_code == 422, (bad, refused.json)
        assert refused.json["error"]["code"] == "validation_error"
        assert set(refused.json["error"]["details"]) & (set(bad) | {"deadline_before"}), refused.json


def test_cases_are_closed_in_a_batch_each_as_on_its_own_and_once_per_key(evaluation_service, org):
    s = evaluation_service
    first, second, already = (_case_at(s, org.window, NOW - timedelta(days=d)) for d in (3, 2, 1))
    other = _case_at(s, _window(s, "财务报销窗口", org.other_branch), NOW)
    s.client.post(f"{CASES}/{already}/close", json={"action_taken": "已处理", "called_back": False},
                  headers=s.headers(org.secretary))
    unknown = str(uuid.uuid4())
    body = {"ids": [first, other, already, unknown, second], "action_taken": "调整窗口排班并逐一电话回访",
            "called_back": True}
    before = _outbox(s, "feedback.followup_closed")

    answer = s.client.post(f"{CASES}/close-batch", json=body, headers=s.headers(org.secretary, **{
        "Idempotency-Key": "batch-1"}))
    assert answer.status_code == 200, answer.json
    assert (answer.json["closed"], answer.json["failed"]) == (2, 3)
    assert [(i["id"], i["status"]) for i in answer.json["items"]] == [
        (first, "closed"), (other, "failed"), (already, "failed"), (unknown, "failed"), (second, "closed")]
    by_id = {i["id"]: i for i in answer.json["items"]}
    # what the single close answers: 404 for a case the caller does not follow up, as for no case at all
    assert [by_id[i]["error"]["code"] for i in (other, already, unknown)] == ["not_found", "case_closed", "not_found"]
    assert by_id[other]["error"]["message"] == by_id[unknown]["error"]["message"]
    assert by_id[first]["case"]["state"] == "closed" and by_id[first]["error"] is None
    for case_id in (first, second):
        case = s.client.get(f"{CASES}/{case_id}", headers=s.headers(org.secretary)).json
        assert (case["state"], case["action_taken"], case["called_back"]) == ("closed", body["action_taken"], True)
    assert s.client.get(f"{CASES}/{other}", headers=s.headers(org.org)).json["state"] == "open"
    assert _outbox(s, "feedback.followup_closed") == before + 2  # one event per case closed

    again = s.client.post(f"{CASES}/close-batch", json=body, headers=s.headers(org.secretary, **{
        "Idempotency-Key": "batch-1"}))
    assert again.status_code == 200 and again.json == answer.json
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert _outbox(s, "feedback.followup_closed") == before + 2  # sent twice, closed once
    reused = s.client.post(f"{CASES}/close-batch", json={**body, "called_back": False},
                           headers=s.headers(org.secretary, **{"Idempotency-Key": "batch-1"}))
    assert reused.status_code == 422 and reused.json["error"]["code"] == "idempotency_key_reused"
    # without a key, a repeat closes nothing twice: each case says it is closed already
    repeat = s.client.post(f"{CASES}/close-batch", json={**body, "ids": [first]}, headers=s.headers(org.secretary))
    assert repeat.json["items"][0]["error"]["code"] == "case_closed"

    # the same rules as one by one: someone who follows none of them up closes none
    stranger = s.client.post(f"{CASES}/close-batch", json={**body, "ids": [other]}, headers=s.headers(org.peer))
    assert stranger.status_code == 200 and stranger.json["items"][0]["error"]["code"] == "not_found"
    assert s.client.post(f"{CASES}/close-batch", json={**body, "ids": [other]},
                         headers=s.headers(org.org)).json["closed"] == 1

    for bad in ({**body, "ids": []}, {**body, "ids": [str(uuid.uuid4()) for _ in range(101)]},
                {**body, "ids": [first, first]}, {"ids": [first], "called_back": True},
                {**body, "ids": ["not-a-uuid"]}):
        refused = s.client.post(f"{CASES}/close-batch", json=bad, headers=s.headers(org.secretary))
        assert refused.status_code == 422, (bad, refused.json)
        assert refused.json["error"]["code"] == "validation_error"


def test_my_windows_satisfaction_covers_every_window_under_a_general_branch(evaluation_service, org):
    s = evaluation_service
    second_branch = uuid.uuid4()
    s.deliver("directory.unit_upserted", {"unit_id": second_branch, "name": "教工第二党支部", "kind": "branch",
                                          "parent_id": org.general_branch, "revision": 1})
    library = _window(s, "图书借阅窗口", second_branch, responsible_id=uuid.UUID(org.peer.subject))
    finance = _window(s, "财务报销窗口", org.other_branch)
    at = NOW - timedelta(hours=1)
    _rate_at(s, org.window, at, [5, 5, 5, 4, 2, 1], "a")
    _rate_at(s, library, at, [5, 5, 5, 5, 5, 5, 3, 4], "l")
    _rate_at(s, finance, at, [5, 5, 5, 5, 1], "f")

    def windows(who, **query) -> dict:
        response = s.client.get("/api/ratings/windows", query_string=query, headers=s.headers(who))
        assert response.status_code == 200, response.json
        return response.json

    # the general branch secretary: the windows of both branches below, none of their own unit's exact level
    shanghai = timezone(timedelta(hours=8))
    before = datetime.now(shanghai).date()
    mine = windows(org.reviewer)
    after = datetime.now(shanghai).date()
    assert mine["total"] == 3
    assert {i["name"]: i["unit_name"] for i in mine["items"]} == {
        "教务服务窗口": "教工第一党支部", "学籍服务窗口": "教工第一党支部", "图书借阅窗口": "教工第二党支部"}
    # the period ends on the server's today: the run may cross Shanghai's midnight between the two readings
    def period(today: date) -> tuple[str, str]:
        months = today.year * 12 + today.month - 1 - 11  # 12 whole months, this one the last
        return date(months // 12, months % 12 + 1, 1).isoformat(), today.isoformat()
    assert (mine["from"], mine["to"]) in {period(before), period(after)}
    shown = {i["name"]: i for i in mine["items"]}
    # each window's figures are the months the anonymity guard shows, added up: as its own summary says
    for item in mine["items"]:
        summary = s.client.get("/api/ratings/summary", query_string={
            "window_id": item["window_id"], "granularity": "month", "from": mine["from"], "to": mine["to"],
            "limit": 100}, headers=s.headers(org.reviewer)).json["items"]
        assert item["ratings"] == sum(p["total"] for p in summary if p["shown"])
        assert item["hidden_months"] == sum(1 for p in summary if not p["shown"])
    assert (shown["图书借阅窗口"]["ratings"], shown["图书借阅窗口"]["satisfied"], shown["图书借阅窗口"]["counts"]) == (
        8, 8, {"5": 6, "4": 1, "3": 1, "2": 0, "1": 0})
    assert shown["图书借阅窗口"]["satisfaction_rate"] == 1.0
    assert (shown["教务服务窗口"]["ratings"], shown["教务服务窗口"]["satisfied"]) == (6, 4)
    assert (shown["学籍服务窗口"]["ratings"], shown["学籍服务窗口"]["satisfaction_rate"]) == (0, None)

    assert {i["name"] for i in windows(org.secretary)["items"]} == {"教务服务窗口", "学籍服务窗口"}
    assert [i["name"] for i in windows(org.outsider_reviewer)["items"]] == ["财务报销窗口"]
    assert windows(org.org)["total"] == 4
    assert [i["name"] for i in windows(org.peer)["items"]] == ["图书借阅窗口"]  # the window they answer for
    assert windows(org.member)["total"] == 0
    # a unit asked for: every window at or under it, as the ranking shows them to anyone
    assert windows(org.outsider_reviewer, unit_id=str(org.general_branch))["total"] == 3

    ranked = windows(org.reviewer, sort="-satisfaction_rate")["items"]
    assert [i["name"] for i in ranked][-1] == "学籍服务窗口"  # no figure: last either way
    assert [i["name"] for i in windows(org.reviewer, sort="satisfaction_rate")["items"]][-1] == "学籍服务窗口"
    assert [i["name"] for i in ranked] == ["图书借阅窗口", "教务服务窗口", "学籍服务窗口"]
    page = windows(org.reviewer, sort="-ratings", limit=1, offset=1)
    assert (page["total"], [i["name"] for i in page["items"]]) == (3, ["教务服务窗口"])

    for bad in ({"sort": "level"}, {"from": "2026-12-01", "to": "2026-11-01"}, {"limit": 0}):
        refused = s.client.get("/api/ratings/windows", query_string=bad, headers=s.headers(org.reviewer))
        assert refused.status_code == 422 and refused.json["error"]["code"] == "validation_error", refused.json
    assert s.client.get("/api/ratings/windows", query_string={"unit_id": str(uuid.uuid4())},
                        headers=s.headers(org.reviewer)).status_code == 404
    assert s.client.get("/api/ratings/windows", headers=s.headers(kiosk(org.window))).status_code == 403
