"""Chat robot requests per style, robot answers, which events reach a unit's group; the alert rule."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from notification_service.domain.alerts import AlertRule, top_reasons
from notification_service.domain.routing import robot_deliveries
from notification_service.domain.webhook import (WEBHOOK_EVENTS, Robot, RobotStyle, WebhookRejected, check_answer,
                                                 robot_request)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
MESSAGE = {"title": "标题", "body": "第一行\n第二行", "link": "/grading/1", "kind": "result", "language": "zh"}


def test_a_feishu_robot_gets_text_signed_with_the_timestamp_and_secret():
    request = robot_request(RobotStyle.FEISHU, "https://open.feishu.cn/hook/x", "fs", MESSAGE, "https://dj",
                            NOW, uuid.uuid4())
    body = json.loads(request.body)
    assert body["msg_type"] == "text"
    assert body["content"]["text"] == "标题\n第一行\n第二行\nhttps://dj/grading/1"
    expected = base64.b64encode(hmac.new(f"{int(NOW.timestamp())}\nfs".encode(), b"", hashlib.sha256).digest())
    assert (body["timestamp"], body["sign"]) == (str(int(NOW.timestamp())), expected.decode())


def test_a_wecom_robot_gets_markdown_and_unsigned_requests_carry_no_signature():
    request = robot_request(RobotStyle.WECOM, "https://qyapi.weixin.qq.com/x?key=k", None, MESSAGE, "https://dj",
                            NOW, uuid.uuid4())
    assert json.loads(request.body)["markdown"]["content"] == "### 标题\n> 第一行\n> 第二行\n\n[查看详情](https://dj/grading/1)"
    generic = robot_request(RobotStyle.GENERIC, "https://h", None, MESSAGE, "https://dj", NOW, uuid.uuid4())
    assert "X-Pacesetter-Signature" not in generic.headers


@pytest.mark.parametrize("style, answer, rejected", [
    (RobotStyle.DINGTALK, b'{"errcode": 310000, "errmsg": "sign not match"}', True),
    (RobotStyle.FEISHU, b'{"code": 19021, "msg": "sign match fail"}', True),
    (RobotStyle.WECOM, b'{"errcode": 0, "errmsg": "ok"}', False),
    (RobotStyle.GENERIC, b'{"errcode": 1}', False),  # a generic endpoint speaks by its HTTP status only
])
def test_a_robot_that_answers_an_error_code_rejected_the_message(style, answer, rejected):
    if rejected:
        with pytest.raises(WebhookRejected):
            check_answer(style, answer)
    else:
        check_answer(style, answer)


def test_a_group_hears_unit_news_only_and_only_where_a_robot_is_on(org, sample_data):
    assert "pledge.approved" not in WEBHOOK_EVENTS and "evaluation.completed" not in WEBHOOK_EVENTS
    robots = {org.branch: Robot(org.branch, RobotStyle.GENERIC, "https://h/1", None, True, NOW),
              org.other_branch: Robot(org.other_branch, RobotStyle.GENERIC, "https://h/2", None, False, NOW)}
    data = sample_data("grading.cycle_opened", branch_ids=[org.branch, org.other_branch, org.direct_branch])
    [only] = robot_deliveries(uuid.uuid4(), "grading.cycle_opened", data, robots, org.directory, NOW)
    assert (only.recipient_id, only.address) == (org.branch, "https://h/1")
    assert only.message["language"] == "zh" and "晋位升级" in only.message["title"]
    member_news = sample_data("evaluation.completed", unit_id=org.branch)
    assert robot_deliveries(uuid.uuid4(), "evaluation.completed", member_news, robots, org.directory, NOW) == []


def test_the_alert_rule_counts_bad_ratings_within_the_span_once_per_span():
    rule = AlertRule(threshold=3, span=timedelta(hours=1))
    times = [NOW, NOW + timedelta(minutes=30)]
    assert not rule.crossed(times, NOW + timedelta(minutes=30), None)
    third = NOW + timedelta(minutes=59)
    assert rule.crossed(times + [third], third, None)
    assert not rule.crossed(times + [third], third, last_alert_at=NOW + timedelta(minutes=10))
    assert not rule.crossed(times + [NOW + timedelta(minutes=60)], NOW + timedelta(minutes=60), None)  # first left
    assert rule.counts(1) and rule.counts(2) and not rule.counts(3)
    assert rule.quiet_since_last(NOW, None) and rule.quiet_since_last(NOW + timedelta(hours=1), NOW)
    assert not rule.quiet_since_last(NOW + timedelta(minutes=59), NOW)
    assert top_reasons([["态度", "效率"], ["效率"], []]) == [("效率", 2), ("态度", 1)]
