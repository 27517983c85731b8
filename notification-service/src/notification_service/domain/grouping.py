"""The inbox in groups (消息分组): notices of one event type about one subject read as one row that expands —
"教务处综合服务窗口 3 条差评通知", not three rows.

A notice's subject is decided when it is made, from its event and how its reader stands to it (a branch
secretary hears of every overdue pledge of the branch: one group per branch; the member of their own pledge:
one per pledge), and kept as its ``group_key``. The group's title is worded when it is read, in the reader's
language, from the count and the subject's name. Plain Python: no framework here.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from .model import Audience, Notice

ITEMS_PER_GROUP = 10  # a group shows its newest notices; all of them are a page of the list with its key
ALL = "all"  # one group for every notice of the event type (a to-do list: every request to rate)
OWN_GROUP = "notice"  # a notice made before groups existed, or of an event without a subject: alone

Subject = tuple[str, object]  # (kind, id) — kind: window, unit, pledge, round, cycle, person, or ALL with no id


def _pledge(_audience: Audience | None, data: dict) -> Subject:
    return "pledge", data["pledge_id"]


def _unit(_audience: Audience | None, data: dict) -> Subject:
    return "unit", data["unit_id"]


def _branch(_audience: Audience | None, data: dict) -> Subject:
    return "unit", data["branch_id"]


def _cycle(_audience: Audience | None, data: dict) -> Subject:
    return "cycle", data["cycle_id"]


def _place(_audience: Audience | None, data: dict) -> Subject:
    """A bad rating's window; a complaint to a unit names none (feedback v2): the unit."""
    return ("window", data["window_id"]) if data.get("window_id") else ("unit", data["unit_id"])


def _everything(_audience: Audience | None, _data: dict) -> Subject:
    return ALL, None


def _round_or_branch(audience: Audience | None, data: dict) -> Subject:
    """The evaluated member: their round; the branch secretary: every round of the branch together."""
    return ("unit", data["unit_id"]) if audience is Audience.SECRETARY else ("round", data["round_id"])


def _pledge_or_branch(audience: Audience | None, data: dict) -> Subject:
    return ("unit", data["unit_id"]) if audience is Audience.SECRETARY else ("pledge", data["pledge_id"])


def _starred(_audience: Audience | None, data: dict) -> Subject:
    return ("window", data["key"]) if data["scope"] == "window" else ("person", data["key"])


SUBJECTS: dict[str, Callable[[Audience | None, dict], Subject]] = {
    "pledge.submitted": _unit,  # the reviewer: a branch's pledges awaiting review
    "pledge.returned": _pledge,
    "pledge.approved": _pledge,
    "pledge.published": _pledge,
    "pledge.due_soon": _pledge,
    "pledge.overdue": _pledge_or_branch,
    "pledge.fulfilled": _pledge,
    "pledge.overdue_list": _unit,
    "pledge.reminder_requested": _unit,  # the member: the reminders of their branch
    "evaluation.requested": _everything,  # every request to rate is one to-do list
    "evaluation.completed": _round_or_branch,
    "evaluation.incomplete": _round_or_branch,
    "evaluation.star_graded": _starred,
    "feedback.negative": _place,
    "feedback.followup_overdue": _place,
    "grading.cycle_opened": _cycle,
    "grading.publicity_started": _cycle,
    "grading.level_finalised": _cycle,
    "grading.published": _cycle,
    "rectification.task_overdue": _branch,
    "rectification.accepted": _cycle,
    "notification.bad_rating_alert": _place,
    "notification.daily_digest": _everything,
}


def subject_of(event_type: str, audience: Audience | None, data: dict) -> Subject | None:
    """What a notice of this event is about, for this reader; None: it stands alone."""
    rule = SUBJECTS.get(event_type)
    return rule(audience, data) if rule is not None else None


def group_key(subject: Subject | None, notice_id: uuid.UUID) -> str:
    if subject is None:
        return f"{OWN_GROUP}:{notice_id}"
    kind, key = subject
    return kind if key is None else f"{kind}:{key}"


def parse_group_key(key: str) -> tuple[str, uuid.UUID | None]:
    """(subject kind, subject id) of a stored group key."""
    kind, _, rest = key.partition(":")
    try:
        return kind, uuid.UUID(rest) if rest else None
    except ValueError:
        return kind, None


# A group of more than one notice, titled by its count and its subject's name (zh, en); a group of one
# reads as its notice. Groups without a title of their own read as their newest notice "and n more".
TITLES: dict[tuple[str, str], tuple[str, str]] = {
    # a notice of feedback.negative may hold a kiosk batch's several cases: the group counts notices
    ("feedback.negative", "window"): ("{subject_name} {count} 条差评通知", "{count} bad-rating notices at {subject_name}"),
    ("feedback.negative", "unit"): ("{subject_name} {count} 条投诉通知", "{count} complaint notices about {subject_name}"),
    ("feedback.followup_overdue", "window"): ("{subject_name} {count} 件差评整改逾期",
                                              "{count} overdue bad-rating follow-ups at {subject_name}"),
    ("feedback.followup_overdue", "unit"): ("{subject_name} {count} 件投诉整改逾期",
                                            "{count} overdue complaint follow-ups at {subject_name}"),
    ("notification.bad_rating_alert", "window"): ("{subject_name} 差评预警 {count} 次",
                                                  "{count} bad-rating alerts at {subject_name}"),
    ("pledge.submitted", "unit"): ("{subject_name} {count} 项承诺待审核",
                                   "{count} pledges of {subject_name} awaiting your review"),
    ("pledge.overdue", "unit"): ("{subject_name} {count} 项承诺逾期", "{count} overdue pledges in {subject_name}"),
    ("pledge.overdue_list", "unit"): ("{subject_name} 逾期承诺清单 {count} 期",
                                      "{count} weekly overdue lists of {subject_name}"),
    ("pledge.reminder_requested", "unit"): ("{subject_name} {count} 次提醒您作出年度承诺",
                                            "{count} reminders from {subject_name} to make your annual pledge"),
    ("evaluation.requested", ALL): ("{count} 项评议请您参加", "{count} evaluations await your rating"),
    ("evaluation.completed", "unit"): ("{subject_name} {count} 项评议结果", "{count} evaluation results in {subject_name}"),
    ("evaluation.incomplete", "unit"): ("{subject_name} {count} 项评议未形成结果",
                                        "{count} evaluations without a result in {subject_name}"),
    ("evaluation.star_graded", "window"): ("{subject_name} {count} 次星级评定", "{count} star gradings of {subject_name}"),
    ("rectification.task_overdue", "unit"): ("{subject_name} {count} 项整改任务逾期",
                                             "{count} overdue rectification tasks in {subject_name}"),
    ("notification.daily_digest", ALL): ("每日汇总 {count} 份", "{count} daily digests"),
}
MORE = ("{title}（共 {count} 条）", "{title} ({count} notices)")
UNKNOWN_NAME = ("（目录中暂无）", "(not yet in the directory)")


@dataclass
class NoticeGroup:
    """The notices of one reader with the same event type and subject (those a query asked for)."""

    event_type: str
    group_key: str
    count: int
    unread: int
    latest_at: datetime
    items: list[Notice] = field(default_factory=list)  # the newest ones, newest first
    language: str = "zh"  # the reader's, for ``heading``

    @property
    def key(self) -> str:
        """How the API names the group: its event type and subject."""
        return f"{self.event_type}|{self.group_key}"

    @property
    def subject(self) -> tuple[str, uuid.UUID | None]:
        return parse_group_key(self.group_key)

    @property
    def subject_name(self) -> str | None:
        return next((n.subject_name for n in self.items if n.subject_name), None)

    @property
    def heading(self) -> str:
        return self.title(self.language)

    @property
    def newest(self) -> Notice | None:
        return self.items[0] if self.items else None

    def title(self, language: str) -> str:
        """One notice: its own title; more: the count and the subject, in ``language`` (zh or en)."""
        newest = self.items[0] if self.items else None
        if self.count == 1 and newest is not None:
            return newest.title
        index = 1 if language == "en" else 0
        wording = TITLES.get((self.event_type, self.subject[0]))
        if wording is None:
            return MORE[index].format(title=newest.title if newest else "", count=self.count)
        return wording[index].format(count=self.count, subject_name=self.subject_name or UNKNOWN_NAME[index])


def split_key(key: str) -> tuple[str, str]:
    """(event type, group key) of an API group key; ValueError when it is not one."""
    event_type, sep, group = key.partition("|")
    if not sep or not event_type or not group:
        raise ValueError(key)
    return event_type, group
