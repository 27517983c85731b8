"""申诉复核 leaves a trace: every appeal with who filed it, why and when, the decision with who made it, why and
when, and the rating it is about (never who rated); 组织部 and the general branch list them; nobody decides an
appeal about a window they answer for or that they filed themselves."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from evaluation_service.domain.ratings import SHANGHAI
from tests.integration.evaluation.test_window_ratings import kiosk

APPEALS = "/api/ratings/appeals"


def _window(service, unit_id, responsible, name) -> uuid.UUID:
    window_id = uuid.uuid4()
    _move(service, window_id, unit_id, responsible, name, revision=1)
    return window_id


def _move(service, window_id, unit_id, responsible, name, revision):
    service.deliver("directory.window_upserted", {
        "window_id": window_id, "name": name, "unit_id": unit_id, "responsible_id": uuid.UUID(responsible.subject),
        "revision": revision, "on_duty_ids": [],
        "standards": {"items": ["开具在读证明"], "workflow": "", "time_limit": "当场办结"}})


def _rate(service, window_id, levels) -> list[int]:
    ratings = [{"client_id": f"c{i}", "level": level} for i, level in enumerate(levels)]
    answer = service.client.post("/api/ratings/batch", json={"ratings": ratings}, headers=service.headers(kiosk(window_id)))
    assert answer.status_code in (200, 201), answer.json
    return [item["rating_id"] for item in answer.json["items"]]


def _appeal(service, rating_id, who, reason="恶意刷差评") -> str:
    filed = service.client.post(f"/api/ratings/{rating_id}/appeals", json={"reason": reason}, headers=service.headers(who))
    assert filed.status_code == 201, filed.json
    return filed.json["id"]


def _decide(service, appeal_id, who, decision, note=None):
    body = {"decision": decision} | ({"note": note} if note is not None else {})
    return service.client.post(f"/api/feedback/appeals/{appeal_id}/decide", json=body, headers=service.headers(who))


def test_an_upheld_appeal_is_kept_whole_and_listed_with_the_excluded_rating(evaluation_service, org):
    s, h = evaluation_service, evaluation_service.headers
    *_good, bad = _rate(s, org.window, [5, 5, 5, 1])
    appeal_id = _appeal(s, bad, org.secretary)

    # a decision says why
    assert _decide(s, appeal_id, org.reviewer, "upheld").status_code == 422
    assert _decide(s, appeal_id, org.reviewer, "upheld", "   ").status_code == 422
    assert _decide(s, appeal_id, org.reviewer, "upheld", "同一设备一分钟内连续差评").status_code == 200

    listed = s.client.get(APPEALS, headers=h(org.org))
    assert listed.status_code == 200, listed.json
    assert (listed.json["total"], listed.json["limit"], listed.json["offset"]) == (1, 20, 0)
    [item] = listed.json["items"]
    assert item["id"] == appeal_id
    assert (item["appellant_id"], item["appellant_name"], item["reason"]) == (org.secretary.subject, "张支书", "恶意刷差评")
    assert (item["state"], item["decision_note"]) == ("upheld", "同一设备一分钟内连续差评")
    assert (item["decided_by"], item["decided_by_name"]) == (org.reviewer.subject, "李总支")
    filed_at, decided_at = (datetime.fromisoformat(item[k]) for k in ("filed_at", "decided_at"))
    assert filed_at <= decided_at and decided_at - filed_at < timedelta(minutes=5)
    rating = item["rating"]
    assert rating["id"] == bad and rating["level"] == 1 and rating["excluded"] is True
    assert (rating["window_id"], rating["window_name"], rating["unit_id"]) == (str(org.window), "教务服务窗口", str(org.branch))
    assert datetime.fromisoformat(rating["rated_at"]).tzinfo is not None
    # ratings are anonymous: nothing about the device or the member on duty
    assert set(rating) == {"id", "window_id", "window_name", "unit_id", "level", "rated_at", "excluded"}

    assert s.client.get(APPEALS, query_string={"state": "upheld"}, headers=h(org.reviewer)).json["total"] == 1
    assert s.client.get(APPEALS, query_string={"state": "pending"}, headers=h(org.reviewer)).json["total"] == 0


def test_the_list_follows_the_callers_role_and_its_filters(evaluation_service, org):
    s, h = evaluation_service, evaluation_service.headers
    elsewhere_head = org.add_person("钱科长", org.other_branch, [("member", org.other_branch)])
    elsewhere = _window(s, org.other_branch, elsewhere_head, "档案服务窗口")
    first, second = _rate(s, org.window, [1, 2])
    [third] = _rate(s, elsewhere, [1])
    rejected = _appeal(s, first, org.secretary, "与事实不符")
    assert _decide(s, rejected, org.reviewer, "rejected", "评价属实").status_code == 200
    pending = _appeal(s, second, org.secretary, "非本窗口业务")
    other = _appeal(s, third, elsewhere_head, "误触")

    def ids(who, **query):
        answer = s.client.get(APPEALS, query_string=query, headers=h(who))
        assert answer.status_code == 200, answer.json
        assert answer.json["total"] == len(answer.json["items"]) or "limit" in query
        return [item["id"] for item in answer.json["items"]], answer.json["total"]

    # newest first; each general branch sees the windows under it, 组织部 all
    assert ids(org.org) == ([other, pending, rejected], 3)
    assert ids(org.reviewer) == ([pending, rejected], 2)
    assert ids(org.outsider_reviewer) == ([other], 1)
    for refused in (org.secretary, org.peer, elsewhere_head):
        answer = s.client.get(APPEALS, headers=h(refused))
        assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    assert s.client.get(APPEALS, headers=h(kiosk(org.window))).status_code == 403

    assert ids(org.org, state="pending") == ([other, pending], 2)
    assert ids(org.org, state="rejected") == ([rejected], 1)
    assert ids(org.org, state="pending,rejected")[1] == 3
    assert ids(org.org, window_id=str(elsewhere)) == ([other], 1)
    assert ids(org.org, unit_id=str(org.general_branch)) == ([pending, rejected], 2)  # the units below count
    assert ids(org.reviewer, unit_id=str(org.other_general_branch)) == ([], 0)  # never beyond one's own
    today = datetime.now(SHANGHAI).date()
    assert ids(org.org, **{"from": today.isoformat(), "to": today.isoformat()})[1] == 3
    assert ids(org.org, **{"from": (today + timedelta(days=1)).isoformat()}) == ([], 0)
    assert ids(org.org, **{"to": (today - timedelta(days=1)).isoformat()}) == ([], 0)
    assert ids(org.org, limit=1, offset=1) == ([pending], 3)  # a true total, not the page's

    for bad in ({"state": "lost"}, {"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()}):
        assert s.client.get(APPEALS, query_string=bad, headers=h(org.org)).status_code == 422
    unknown = s.client.get(APPEALS, query_string={"unit_id": str(uuid.uuid4())}, headers=h(org.org))
    assert unknown.status_code == 404


def test_nobody_decides_an_appeal_about_their_own_window_or_their_own_appeal(evaluation_service, org):
    s, h = evaluation_service, evaluation_service.headers
    # the general branch secretary answers for a window of their own general branch
    own = _window(s, org.branch, org.reviewer, "总支办公室窗口")
    [rating] = _rate(s, own, [1])
    appeal_id = _appeal(s, rating, org.reviewer)
    refused = _decide(s, appeal_id, org.reviewer, "upheld", "我认为不实")
    assert refused.status_code == 403, refused.json
    assert refused.json["error"]["code"] == "forbidden"
    assert "须由他人裁决" in refused.json["error"]["message"]
    assert _decide(s, appeal_id, org.org, "upheld", "核实为误评").status_code == 200

    # 组织部 filed while it answered for a window, and the window changed hands since: still not its to decide
    handed_over = _window(s, org.branch, org.org, "组织部服务窗口")
    [rating] = _rate(s, handed_over, [2])
    appeal_id = _appeal(s, rating, org.org)
    _move(s, handed_over, org.branch, org.secretary, "组织部服务窗口", revision=2)
    assert _decide(s, appeal_id, org.org, "upheld", "自己申诉自己裁决").status_code == 403
    decided = _decide(s, appeal_id, org.reviewer, "rejected", "评价属实")
    assert decided.status_code == 200 and decided.json["decided_by"] == org.reviewer.subject
    [item] = s.client.get(APPEALS, query_string={"window_id": str(handed_over)}, headers=h(org.org)).json["items"]
    assert (item["state"], item["decided_by_name"], item["rating"]["excluded"]) == ("rejected", "李总支", False)
