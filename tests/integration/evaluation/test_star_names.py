"""Against PostgreSQL: a list of stars (星级窗口、服务标兵) names each window and member on duty, the month's as
they stand and the recorded history alike, so that the portal's list reads without a directory of its own."""
from __future__ import annotations

from datetime import datetime, timezone

from evaluation_service.service.star_grades import grade_month
from tests.integration.evaluation.test_stars_trends_and_cases import RATINGS, RULE
from tests.integration.evaluation.test_window_ratings import _rate_at

MARCH = datetime(2026, 3, 10, 2, tzinfo=timezone.utc)


def test_stars_name_their_window_or_member_on_duty(evaluation_service, org):
    s = evaluation_service
    _rate_at(s, org.window, MARCH, [5, 5, 5, 5, 5], "a", on_duty=org.peer.subject)
    _rate_at(s, org.other_window, MARCH, [5, 5, 5, 1, 1], "b", on_duty=org.peer2.subject)

    def stars(path, **query):
        answer = s.client.get(f"{RATINGS}/{path}", query_string={"unit_id": org.branch, **query},
                              headers=s.headers(org.member))
        assert answer.status_code == 200, answer.json
        return {i["key"]: i["name"] for i in answer.json["items"]}

    assert stars("stars", month="2026-03") == {str(org.window): "教务服务窗口", str(org.other_window): "学籍服务窗口"}
    assert stars("stars", month="2026-03", by="on_duty") == {org.peer.subject: "刘伟", org.peer2.subject: "赵敏"}
    grade_month(s.uow_factory, datetime(2026, 4, 2, 1, tzinfo=timezone.utc), RULE, 3)
    assert stars("stars/history", by="on_duty") == {org.peer.subject: "刘伟", org.peer2.subject: "赵敏"}
    assert stars("stars/history") == {str(org.window): "教务服务窗口", str(org.other_window): "学籍服务窗口"}
