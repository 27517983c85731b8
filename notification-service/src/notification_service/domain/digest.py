"""The daily digest (每日汇总): a secretary who chose it hears of overdue pledges once a day, not one by one."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time

from .grouping import ALL
from .model import Audience, Notice, NoticeKind
from .wording import PEOPLES_TIME

# (event type, audience) a digest collects instead of sending
DIGESTED = {("pledge.overdue", Audience.SECRETARY)}
SEND_AFTER = time(8, 0)  # Beijing time: the digest is in the inbox when the working day starts
DIGEST_NAMESPACE = uuid.UUID("6d1f7b52-3c0e-4f51-9d8a-2b0c6f1e9a47")

TEXTS = {
    "zh": ("每日汇总：{count} 项承诺逾期", "截至今日，以下承诺已超过完成时限，请及时提醒和帮助：\n{lines}"),
    "en": ("Daily digest: {count} overdue pledge(s)", "These pledges are past their due date. Please remind and "
                                                      "help in time:\n{lines}"),
}


@dataclass
class DigestItem:
    id: uuid.UUID
    person_id: uuid.UUID
    event_id: uuid.UUID
    line: str  # the notice's body, one line of the digest
    created_at: datetime


def is_digested(notice: Notice, wants_digest: bool) -> bool:
    return wants_digest and (notice.event_type, notice.audience) in DIGESTED


def item_of(notice: Notice) -> DigestItem:
    return DigestItem(id=uuid.uuid4(), person_id=notice.person_id, event_id=notice.event_id, line=notice.body,
                      created_at=notice.created_at)


def due(now: datetime) -> bool:
    return now.astimezone(PEOPLES_TIME).time() >= SEND_AFTER


def digest_id(person_id: uuid.UUID, now: datetime) -> uuid.UUID:
    """One digest per person and Beijing day: the id a second run that day would collide on."""
    return uuid.uuid5(DIGEST_NAMESPACE, f"{person_id}:{now.astimezone(PEOPLES_TIME).date().isoformat()}")


def digest_notice(person_id: uuid.UUID, items: list[DigestItem], language: str, now: datetime) -> Notice:
    title, body = TEXTS[language]
    lines = "\n".join(f"· {item.line}" for item in sorted(items, key=lambda i: i.created_at))
    return Notice(id=uuid.uuid4(), person_id=person_id, event_id=digest_id(person_id, now),
                  event_type="notification.daily_digest", kind=NoticeKind.REMINDER,
                  title=title.format(count=len(items)), body=body.format(lines=lines), link="/pledges?status=overdue",
                  created_at=now, group_key=ALL)
