"""Bad-rating alerts (差评预警): a window rated 不满意 or worse too often within a span.

Its responsible person and branch secretaries are alerted once per span, with the most frequent
reasons, so that a run of bad service is looked into the same day rather than at month's end.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from .grouping import group_key, subject_of
from .inbox import language_of, names_for, subject_name
from .model import Notice, NoticeKind, Recipient
from .wording import PHRASES

ALERT_NAMESPACE = uuid.UUID("0b5e3f0a-8a4d-4c1e-a7f2-5d9c3e6b1f20")
ALERT_EVENT = "notification.bad_rating_alert"


@dataclass(frozen=True)
class AlertRule:
    threshold: int = 3  # bad ratings ...
    span: timedelta = timedelta(hours=1)  # ... within this span
    worst_counted: int = 2  # levels counted: 2 不满意 and 1 非常不满意

    def counts(self, level: int) -> bool:
        return level <= self.worst_counted

    def quiet_since_last(self, at: datetime, last_alert_at: datetime | None) -> bool:
        """No alert of the window within the span before ``at``: only then may a rating at ``at`` alert."""
        return last_alert_at is None or at - last_alert_at >= self.span

    def crossed(self, recent: list[datetime], at: datetime, last_alert_at: datetime | None) -> bool:
        """``recent``: when the window's counted ratings came; True when this one should alert."""
        in_span = [t for t in recent if at - self.span < t <= at]
        return len(in_span) >= self.threshold and self.quiet_since_last(at, last_alert_at)


def top_reasons(reason_lists: list[list[str]], limit: int = 3) -> list[tuple[str, int]]:
    """The most frequent reasons, ties in the order first given."""
    return Counter(r for reasons in reason_lists for r in reasons).most_common(limit)


TEXTS = {
    "zh": ("差评预警：{unit_name}服务窗口",
           "{unit_name}的服务窗口在 {minutes} 分钟内收到 {count} 条“不满意”及以下评价，最常见的原因：{reasons}。"
           "请立即核查并整改。", "{reason}（{count}）"),
    "en": ("Bad-rating alert: a service window of {unit_name}",
           "A service window of {unit_name} received {count} ratings of “dissatisfied” or worse within {minutes} "
           "minutes. Most frequent reasons: {reasons}. Please look into it now.", "{reason} ({count})"),
}


def alert_notices(window_id: uuid.UUID, data: dict, recipients: list[Recipient], count: int,
                  reasons: list[tuple[str, int]], rule: AlertRule, directory, now: datetime) -> list[Notice]:
    """One alert notice per recipient, all with the id of this window's alert at ``now``."""
    event_id = uuid.uuid5(ALERT_NAMESPACE, f"{window_id}:{now.isoformat()}")
    names = names_for(data, directory)
    subject = subject_of(ALERT_EVENT, None, data)
    about = subject_name(subject, data, names, directory)
    notices = []
    for recipient in recipients:
        language = language_of(directory, recipient.person_id)
        title, body, reason = TEXTS[language]
        phrases = PHRASES[language]
        listed = phrases["separator"].join(reason.format(reason=r, count=c) for r, c in reasons)
        fields = {"unit_name": names["unit_name"] or phrases["unknown_name"], "count": count,
                  "minutes": int(rule.span.total_seconds() // 60), "reasons": listed or phrases["no_reasons"]}
        notice_id = uuid.uuid4()
        notices.append(Notice(id=notice_id, person_id=recipient.person_id, event_id=event_id,
                              event_type=ALERT_EVENT, kind=NoticeKind.REMINDER,
                              title=title.format(**fields), body=body.format(**fields),
                              link=f"/windows/{window_id}", created_at=now, audience=recipient.audience,
                              group_key=group_key(subject, notice_id), subject_name=about))
    return notices
