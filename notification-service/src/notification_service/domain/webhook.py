"""A unit's chat robot (群机器人): which events it hears of, and the JSON each robot style expects.

A group chat is shared: it hears only news about the unit as a whole (lists, grades, rectification,
bad ratings), in the oversight wording and in Chinese, never a member's own evaluation result.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import quote

from .model import Audience, NotificationError
from .preferences import QuietHours


class RobotStyle(str, Enum):
    WECOM = "wecom"  # 企业微信
    DINGTALK = "dingtalk"  # 钉钉
    FEISHU = "feishu"  # 飞书
    GENERIC = "generic"  # any HTTPS endpoint: JSON signed with HMAC-SHA256


class WebhookRejected(NotificationError):
    """The robot answered, but with an error code in its body."""


WEBHOOK_LANGUAGE = "zh"

# event type -> (the field naming the unit or units, whose wording the group reads)
WEBHOOK_EVENTS: dict[str, tuple[str, Audience]] = {
    "pledge.overdue_list": ("unit_id", Audience.SECRETARY),
    "grading.cycle_opened": ("branch_ids", Audience.SECRETARY),
    "grading.publicity_started": ("branch_ids", Audience.SECRETARY),
    "grading.level_finalised": ("branch_id", Audience.SECRETARY),
    "grading.published": ("branch_id", Audience.SECRETARY),
    "rectification.task_overdue": ("branch_id", Audience.SECRETARY),
    "rectification.accepted": ("branch_id", Audience.SECRETARY),
    "feedback.negative": ("unit_id", Audience.RESPONSIBLE),
    "feedback.followup_overdue": ("unit_id", Audience.RESPONSIBLE),
}


def units_of(event_type: str, data: dict) -> list[uuid.UUID]:
    if event_type not in WEBHOOK_EVENTS:
        return []
    value = data[WEBHOOK_EVENTS[event_type][0]]
    return list(value) if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Request:
    url: str
    headers: dict[str, str]
    body: bytes


def _text(message: dict, link: str | None) -> str:
    return f"{message['title']}\n{message['body']}" + (f"\n{link}" if link else "")


def _markdown(message: dict, link: str | None) -> str:
    body = "\n".join(f"> {line}" for line in message["body"].splitlines())
    return f"### {message['title']}\n{body}" + (f"\n\n[查看详情]({link})" if link else "")


def _hmac(key: bytes, text: bytes) -> bytes:
    return hmac.new(key, text, hashlib.sha256).digest()


def robot_request(style: RobotStyle, url: str, secret: str | None, message: dict, portal_url: str,
                  now: datetime, delivery_id: uuid.UUID) -> Request:
    """The HTTP POST a robot of ``style`` expects, signed as that robot signs when a secret is set."""
    link = f"{portal_url.rstrip('/')}{message['link']}" if message.get("link") else None
    headers = {"Content-Type": "application/json; charset=utf-8"}
    seconds = int(now.timestamp())
    if style is RobotStyle.WECOM:  # WeCom robots carry their key in the URL and sign nothing
        payload = {"msgtype": "markdown", "markdown": {"content": _markdown(message, link)}}
    elif style is RobotStyle.DINGTALK:
        payload = {"msgtype": "markdown", "markdown": {"title": message["title"], "text": _markdown(message, link)}}
        if secret:
            millis = seconds * 1000
            sign = base64.b64encode(_hmac(secret.encode(), f"{millis}\n{secret}".encode())).decode()
            url = f"{url}{'&' if '?' in url else '?'}timestamp={millis}&sign={quote(sign, safe='')}"
    elif style is RobotStyle.FEISHU:
        payload = {"msg_type": "text", "content": {"text": _text(message, link)}}
        if secret:
            payload |= {"timestamp": str(seconds),
                        "sign": base64.b64encode(_hmac(f"{seconds}\n{secret}".encode(), b"")).decode()}
    else:
        payload = {"id": str(delivery_id), "title": message["title"], "body": message["body"], "link": link,
                   "kind": message["kind"], "sent_at": now.isoformat()}
    body = json.dumps(payload, ensure_ascii=False).encode()
    if style is RobotStyle.GENERIC and secret:
        signed = _hmac(secret.encode(), f"{seconds}.".encode() + body).hex()
        headers |= {"X-Pacesetter-Timestamp": str(seconds), "X-Pacesetter-Signature": f"sha256={signed}"}
    return Request(url, headers, body)


def check_answer(style: RobotStyle, answer: bytes) -> None:
    """Chat robots answer 200 with an error code in the body; a non-zero code is a failed try."""
    if style is RobotStyle.GENERIC:
        return
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        return
    code = parsed.get("errcode", parsed.get("code", 0)) if isinstance(parsed, dict) else 0
    if code:
        raise WebhookRejected(f"the robot answered code {code}: {parsed.get('errmsg') or parsed.get('msg')}")


@dataclass
class Robot:
    """A unit's chat robot, set up by its secretary (支部群机器人)."""

    unit_id: uuid.UUID
    style: RobotStyle
    url: str
    secret: str | None
    active: bool
    updated_at: datetime
    quiet_hours: QuietHours | None = None  # the group's quiet hours, Beijing time
