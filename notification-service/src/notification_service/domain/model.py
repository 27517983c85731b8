"""Notices and the inbox they land in (消息 / 收件箱). Plain Python: no framework here."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

LANGUAGES = ("zh", "en")  # Simplified Chinese first
DEFAULT_LANGUAGE = "zh"


class NotificationError(Exception):
    """A rule of the notification system was broken."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class MissingField(NotificationError):
    """A template names a field its event does not carry: a bug, never a notice with a hole in it."""


class DirectoryGap(NotificationError):
    """The projection does not know a unit a recipient rule needs yet (its event may still be on the way)."""


class NoticeKind(str, Enum):
    TASK = "task"  # 待办: the person has something to do
    REMINDER = "reminder"  # 提醒: a deadline is near or missed
    RESULT = "result"  # 结果: an evaluation or a grade
    UPDATE = "update"  # 动态: something moved along


class Audience(str, Enum):
    """How a recipient stands to the event; the wording follows from it."""

    OWN = "own"  # the pledger or the evaluated member: "your pledge"
    REVIEWER = "reviewer"  # the general branch that reviews the pledge (党总支审核)
    SECRETARY = "secretary"  # the branch secretary who oversees the branch (支部书记)
    RATER = "rater"  # asked to take part in an evaluation (参评人)
    RESPONSIBLE = "responsible"  # answers for a service window's bad rating (责任人)
    SUPERIOR = "superior"  # the general branch a case is escalated to (上级党总支)


@dataclass(frozen=True)
class Recipient:
    person_id: uuid.UUID
    audience: Audience


@dataclass
class Notice:
    """One message in one person's inbox, about one event."""

    id: uuid.UUID
    person_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    kind: NoticeKind
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None = None
    audience: Audience | None = None  # how it was addressed; not stored, it only routes the notice
    # what the inbox groups it under with the same event type: its subject, "window:<id>", "pledge:<id>", "all"
    # (see ``grouping``); a notice without one is a group of its own
    group_key: str | None = None
    subject_name: str | None = None  # the subject's name when the notice was made (a window's, a pledge's title)

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def mark_read(self, now: datetime) -> bool:
        """Keeps the first reading time; True when this call changed the notice."""
        if self.read_at is not None:
            return False
        self.read_at = now
        return True
