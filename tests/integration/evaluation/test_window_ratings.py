"""The masses' ratings of windows against PostgreSQL: kiosks, batches, duplicates, follow-up, summaries."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.adapters.tables import followup_cases, window_ratings
from evaluation_service.service.statistics import publish_window_satisfaction
from evaluation_service.service.followup_cases import escalate_overdue_cases
from evaluation_service.service.window_ratings import rate_windows
from pacesetter_shared.db import outbox_table
from pacesetter_shared.identity import Identity

RATINGS = "/api/ratings"


def kiosk(window_id, device_id=None) -> Identity:
    return Identity(subject=str(device_id or uuid.uuid4()), kind="kiosk", name="一楼大厅评价器",
                    window_id=str(window_id))


def stored(service, table=window_ratings) -> list:
    with service.engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def event_types(service) -> list[str]:
    with service.engine.connect() as conn:
        return list(conn.execute(sa.select(outbox_table.c.event_type).order_by(outbox_table.c.id)).scalars())


def test_a_kiosk_rating_counts_once_however_often_it_is_sent(evaluation_service, org):
    s, device = evaluation_service, kiosk(org.window)
    first = s.client.post(RATINGS, json={"client_id": "k1-0001", "level": 5, "reasons": ["热情周到"]},
                          headers=s.headers(device))
    assert first.status_code == 201 and first.json["status"] == "accepted", first.json
    again = s.client.post(RATINGS, json={"client_id": "k1-0001", "level": 5, "reasons": ["热情周到"]},
                          headers=s.headers(device))
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    [row] = stored(s)
    assert (row.window_id, row.source, row.level, row.reasons, row.tag_set_version) == (
        org.window, "kiosk", 5, ["热情周到"], 1)


def test_bad_single_ratings_are_clear_4xx(evaluation_service, org):
    s = evaluation_service
    other = s.client.post(RATINGS, json={"client_id": "x", "level": 4, "window_id": str(org.other_window)},
                          headers=s.headers(kiosk(org.window)))
    assert other.status_code == 403
    unbound = Identity(subject=str(uuid.uuid4()), kind="kiosk")
    assert s.client.post(RATINGS, json={"client_id": "x", "level": 4, "window_id": str(org.window)},
                         headers=s.headers(unbound)).status_code == 403
    unknown = s.client.post(RATINGS, json={"client_id": "x", "level": 4, "window_id": str(uuid.uuid4())},
                            headers=s.headers(org.masses[0]))
    assert unknown.status_code == 422 and unknown.json["error"]["code"] == "unknown_window"
    off_scale = s.client.post(RATINGS, json={"client_id": "x", "level": 6}, headers=s.headers(kiosk(org.window)))
    assert off_scale.status_code == 422 and "level" in off_scale.json["error"]["details"]
    wrong_tag = s.client.post(RATINGS, json={"client_id": "x", "level": 1, "reasons": ["热情周到"]},
                              headers=s.headers(kiosk(org.window)))
    assert wrong_tag.status_code == 422 and "reasons" in wrong_tag.json["error"]["details"]
    # a NUL (or any control character) cannot be stored as text: refused beside the field, not a 500
    nul = s.client.post(RATINGS, json={"client_id": "e\u0000x", "level": 2}, headers=s.headers(kiosk(org.window)))
    assert nul.status_code == 422 and "client_id" in nul.json["error"]["details"]
    lone = s.client.post(RATINGS, data='{"client_id": "e\\ud9afx", "level": 2}', content_type="application/json",
                         headers=s.headers(kiosk(org.window)))
    assert lone.status_code == 422 and "client_id" in lone.json["error"]["details"]
    batch = s.client.post(f"{RATINGS}/batch", json={"ratings": [{"client_id": "a\u0007b", "level": 5}]},
                          headers=s.headers(kiosk(org.window)))
    assert batch.json["rejected"] == 1 and "client_id" in batch.json["items"][0]["error"]["details"]
    assert stored(s) == []


def test_a_batch_keeps_the_good_ratings_and_says_why_the_others_were_refused(evaluation_service, org):
    s, device = evaluation_service, kiosk(org.window)
    batch = [
        {"client_id": "b-1", "level": 4, "on_duty_id": org.peer.subject},
        {"client_id": "b-1", "level": 4, "on_duty_id": org.peer.subject},  # re-sent inside the batch
        {"client_id": "b-2", "level": 9},
        {"client_id": "b-3", "level": 5, "window_id": str(org.other_window)},
        {"client_id": "b-4", "level": 1, "reasons": ["服务态度"]},
        {"level": 3},
    ]
    answer = s.client.post(f"{RATINGS}/batch", json={"ratings": batch}, headers=s.headers(device)).json
    assert (answer["accepted"], answer["duplicate"], answer["rejected"]) == (2, 1, 3)
    by_index = {item["index"]: item for item in answer["items"]}
    assert [by_index[i]["status"] for i in range(6)] == [
        "accepted", "duplicate", "rejected", "rejected", "accepted", "rejected"]
    assert "level" in by_index[2]["error"]["details"]
    assert by_index[3]["error"]["code"] == "forbidden"
    assert "client_id" in by_index[5]["error"]["details"]
    assert by_index[4]["case_id"] is not None

    resent = s.client.post(f"{RATINGS}/batch", json={"ratings": batch}, headers=s.headers(device)).json
    assert (resent["accepted"], resent["duplicate"], resent["rejected"]) == (0, 3, 3)
    assert sorted(r.client_id for r in stored(s)) == ["b-1", "b-4"]
    [case] = stored(s, followup_cases)
    assert (case.state, case.level, case.responsible_id) == ("open", 1, uuid.UUID(org.secretary.subject))
    assert event_types(s) == ["feedback.negative"]


def test_a_batch_over_the_limit_is_refused_whole(evaluation_service, org):
    s = evaluation_service
    batch = [{"client_id": f"c-{i}", "level": 5} for i in range(501)]
    response = s.client.post(f"{RATINGS}/batch", json={"ratings": batch}, headers=s.headers(kiosk(org.window)))
    assert response.status_code == 422 and "ratings" in response.json["error"]["details"]
    assert stored(s) == []


def test_ratings_keep_the_tag_set_version_they_were_given_under(evaluation_service, org):
    s, device = evaluation_service, kiosk(org.window)
    new_tags = {"praise": ["一次办好"], "complaint": ["等候太久", "其他"]}
    assert s.client.post(f"{RATINGS}/tags", json={"tags": new_tags}, headers=s.headers(org.member)).status_code == 403
    published = s.client.post(f"{RATINGS}/tags", json={"tags": new_tags}, headers=s.headers(org.org))
    assert published.status_code == 201 and published.json["version"] == 2
    assert s.client.get(f"{RATINGS}/tags", headers=s.headers(device)).json["tags"] == new_tags
    old = s.client.post(RATINGS, json={"client_id": "v1", "level": 2, "reasons": ["服务效率"], "tag_set_version": 1},
                        headers=s.headers(device))
    new = s.client.post(RATINGS, json={"client_id": "v2", "level": 2, "reasons": ["等候太久"]}, headers=s.headers(device))
    assert (old.status_code, new.status_code) == (201, 201)
    assert sorted((r.client_id, r.tag_set_version) for r in stored(s)) == [("v1", 1), ("v2", 2)]


def test_a_follow_up_case_is_closed_or_escalated_once_overdue(evaluation_service, org):
    s, device = evaluation_service, kiosk(org.window)
    first = s.client.post(RATINGS, json={"client_id": "n1", "level": 2}, headers=s.headers(device)).json["case_id"]
    second = s.client.post(RATINGS, json={"client_id": "n2", "level": 1}, headers=s.headers(device)).json["case_id"]
    cases = s.client.get("/api/feedback/cases?state=open", headers=s.headers(org.secretary)).json
    assert cases["total"] == 2
    assert s.client.get("/api/feedback/cases", headers=s.headers(org.peer)).json["total"] == 0
    # one case, as its notice links to it: to those who follow it up, and to no one else
    one = s.client.get(f"/api/feedback/cases/{first}", headers=s.headers(org.secretary))
    assert one.status_code == 200 and (one.json["id"], one.json["level"], one.json["state"]) == (first, 2, "open")
    assert one.json["window_name"] == cases["items"][0]["window_name"] == "教务服务窗口"
    assert s.client.get(f"/api/feedback/cases/{first}", headers=s.headers(org.peer)).status_code == 404
    assert s.client.get(f"/api/feedback/cases/{uuid.uuid4()}", headers=s.headers(org.secretary)).status_code == 404

    close = {"action_taken": "已当面致歉并改进叫号流程", "called_back": True}
    assert s.client.post(f"/api/feedback/cases/{first}/close", json=close, headers=s.headers(org.peer)).status_code == 404
    closed = s.client.post(f"/api/feedback/cases/{first}/close", json=close, headers=s.headers(org.secretary))
    assert closed.status_code == 200 and closed.json["called_back"] is True
    assert s.client.post(f"/api/feedback/cases/{first}/close", json=close,
                         headers=s.headers(org.secretary)).json["error"]["code"] == "case_closed"

    later = datetime.now(timezone.utc) + timedelta(days=10)
    assert escalate_overdue_cases(s.uow_factory, later) == 1
    assert escalate_overdue_cases(s.uow_factory, later) == 0
    states = {row.id: row.state for row in stored(s, followup_cases)}
    assert states == {uuid.UUID(first): "closed", uuid.UUID(second): "escalated"}
    assert event_types(s) == ["feedback.negative", "feedback.negative", "feedback.followup_closed",
                              "feedback.followup_overdue"]


def test_a_summary_hides_small_groups_and_what_subtraction_would_reveal(evaluation_service, org):
    s = evaluation_service
    day = datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    _rate_at(s, org.window, day, [5] * 4, "a")
    _rate_at(s, org.window, day + timedelta(days=1), [1], "a-next")
    _rate_at(s, org.other_window, day, [3] * 5, "b")

    def summary(**query):
        response = s.client.get(RATINGS + "/summary", query_string=query, headers=s.headers(org.secretary))
        assert response.status_code == 200, response.json
        return {item["period_start"]: item for item in response.json["items"]}

    month = summary(window_id=org.window, granularity="month", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert month["2026-03-01"]["total"] == 5 and month["2026-03-01"]["satisfaction_rate"] == 0.8
    days = summary(window_id=org.window, granularity="day", **{"from": "2026-03-01", "to": "2026-03-31"})
    # the 11th has one rating; were the 10th shown, the month minus the 10th would give it away
    assert days["2026-03-11"]["shown"] is False and days["2026-03-10"]["shown"] is False
    unit = summary(unit_id=org.branch, granularity="month", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert unit["2026-03-01"]["total"] == 10 and unit["2026-03-01"]["counts"] == {
        "5": 4, "4": 0, "3": 5, "2": 0, "1": 1}
    unit_days = summary(unit_id=org.branch, granularity="day", **{"from": "2026-03-10", "to": "2026-03-11"})
    assert [d["shown"] for d in unit_days.values()] == [False, False]
    bad = s.client.get(RATINGS + "/summary", query_string={"granularity": "day", "from": "2026-03-01",
                                                           "to": "2026-03-31"}, headers=s.headers(org.secretary))
    assert bad.status_code == 422


def test_each_windows_month_goes_to_grading_without_upheld_appeals(evaluation_service, org):
    s = evaluation_service
    now = datetime(2026, 4, 20, 4, 0, tzinfo=timezone.utc)
    _rate_at(s, org.window, now - timedelta(days=1), [5, 4, 3, 2], "m")
    with s.engine.begin() as conn:  # as an upheld appeal leaves it
        conn.execute(sa.update(window_ratings).where(window_ratings.c.client_id == "m0").values(excluded=True))
    assert publish_window_satisfaction(s.uow_factory, now, 3) == 2
    with s.engine.connect() as conn:
        sent = [e["data"] for e in conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.event_type == "evaluation.window_satisfaction")).scalars()]
    mine = {d["window_id"]: d for d in sent}
    assert (mine[str(org.window)]["month"], mine[str(org.window)]["ratings"], mine[str(org.window)]["satisfied"],
            mine[str(org.window)]["satisfaction_rate"]) == ("2026-04", 3, 2, 0.6667)
    assert (mine[str(org.window)]["shown"], mine[str(org.other_window)]["shown"]) == (True, True)
    assert (mine[str(org.other_window)]["ratings"], mine[str(org.other_window)]["satisfaction_rate"]) == (0, None)


def _rate_at(s, window_id, at: datetime, levels, prefix, on_duty=None):
    """The window's kiosk sending ratings at ``at`` (as the service took them then: a kiosk's rating may be at
    most two days old when it arrives, and these make months of history)."""
    batch = [({"client_id": f"{prefix}{i}", "level": level, "rated_at": at,
               "on_duty_id": uuid.UUID(on_duty) if on_duty else None}, {}) for i, level in enumerate(levels)]
    with s.uow_factory() as uow:
        answer = rate_windows(uow, kiosk(window_id), batch, now=at)
    assert answer["accepted"] == len(levels), answer


def test_the_monthly_ranking_flags_a_window_last_two_months_running(evaluation_service, org):
    s = evaluation_service
    feb, mar = datetime(2026, 2, 10, 2, tzinfo=timezone.utc), datetime(2026, 3, 10, 2, tzinfo=timezone.utc)
    _rate_at(s, org.window, feb, [5, 5, 5, 5], "af", on_duty=org.peer.subject)
    _rate_at(s, org.window, mar, [5, 5, 5, 4], "am", on_duty=org.peer.subject)
    _rate_at(s, org.other_window, feb, [5, 5, 1, 1], "bf", on_duty=org.peer2.subject)
    _rate_at(s, org.other_window, mar, [5, 1, 1, 1], "bm", on_duty=org.peer2.subject)

    def ranking(**query):
        response = s.client.get(f"{RATINGS}/ranking", query_string={"unit_id": org.branch, **query},
                                headers=s.headers(org.reviewer))
        assert response.status_code == 200, response.json
        return [(p["key"], p["rank"], p["satisfaction_rate"], p["last_two_months"]) for p in response.json["items"]]

    assert ranking(month="2026-03", min_ratings=3) == [
        (str(org.window), 1, 1.0, False), (str(org.other_window), 2, 0.25, True)]
    assert ranking(month="2026-03", min_ratings=5) == []  # too few ratings to rank anyone
    assert ranking(month="2026-03", min_ratings=3, by="on_duty") == [
        (org.peer.subject, 1, 1.0, False), (org.peer2.subject, 2, 0.25, False)]
    bad = s.client.get(f"{RATINGS}/ranking", query_string={"unit_id": org.branch, "month": "2026-13"},
                       headers=s.headers(org.reviewer))
    assert bad.status_code == 422 and "month" in bad.json["error"]["details"]


def test_satisfaction_by_hour_and_weekday_hides_small_groups(evaluation_service, org):
    s = evaluation_service
    tuesday_10h = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)  # 10:00 Shanghai
    _rate_at(s, org.window, tuesday_10h, [5, 5, 4, 2], "h10")
    _rate_at(s, org.window, tuesday_10h + timedelta(hours=5), [1], "h15")

    def rhythm():
        return s.client.get(f"{RATINGS}/rhythm", query_string={"unit_id": org.branch, "from": "2026-03-01",
                                                                 "to": "2026-03-31"}, headers=s.headers(org.reviewer)).json

    first = rhythm()
    # the 15:00 hour alone is one rating: showing 10:00 would give it away by subtraction
    assert [(b["key"], b["shown"]) for b in first["by_hour"]] == [(10, False), (15, False)]
    assert [(b["key"], b["ratings"], b["satisfaction_rate"]) for b in first["by_weekday"]] == [(2, 5, 0.6)]
    _rate_at(s, org.window, tuesday_10h + timedelta(hours=5), [5, 5], "h15b")
    assert [(b["key"], b["ratings"]) for b in rhythm()["by_hour"]] == [(10, 4), (15, 3)]
