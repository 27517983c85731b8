"""A person's choices (通知设置): channels per kind of notice, quiet hours, a daily digest.

The inbox is the record of what a person was told, so it stays on for every kind; quiet hours
(Beijing time) hold e-mail back until they end, never drop it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from pacesetter_shared.i18n import _

from .delivery import Channel
from .model import NoticeKind, NotificationError
from .wording import PEOPLES_TIME

PERSONAL_CHANNELS = (Channel.INBOX, Channel.EMAIL)  # a webhook belongs to a unit, not a person


class InvalidPreferences(NotificationError):
    """The choices break a rule (the inbox turned off, an empty quiet window)."""


# every kind by every personal channel: made once, as it was made twice for each notice to someone with no choices
_EVERYTHING: dict[NoticeKind, frozenset[Channel]] = {kind: frozenset(PERSONAL_CHANNELS) for kind in NoticeKind}


@dataclass(frozen=True)
class QuietHours:
    start: time  # Beijing time; a window may run past midnight (22:00–07:00)
    end: time

    def __post_init__(self):
        if self.start == self.end:
            raise InvalidPreferences(_("Quiet hours must not start and end at the same time."),
                                     {"quiet_hours": [_("start equals end")]})

    def release(self, now: datetime) -> datetime:
        """``now`` when outside the window, else the moment it ends (UTC like ``now``)."""
        local = now.astimezone(PEOPLES_TIME)
        clock = local.time().replace(tzinfo=None)
        wraps = self.start > self.end
        inside = (clock >= self.start or clock < self.end) if wraps else self.start <= clock < self.end
        if not inside:
            return now
        end_day = local.date() + timedelta(days=1) if wraps and clock >= self.start else local.date()
        return datetime.combine(end_day, self.end, tzinfo=PEOPLES_TIME).astimezone(now.tzinfo)


@dataclass
class Preferences:
    person_id: uuid.UUID
    channels: dict[NoticeKind, frozenset[Channel]] = field(default_factory=dict)  # a kind not given: every channel
    quiet_hours: QuietHours | None = None
    daily_digest: bool = False  # secretaries: overdue pledges once a day instead of one by one
    updated_at: datetime | None = None

    def __post_init__(self):
        off = sorted(kind.value for kind, channels in self.channels.items() if Channel.INBOX not in channels)
        if off:
            raise InvalidPreferences(_("The inbox cannot be turned off: it is the record of every notice."),
                                     {"channels": {kind: [_("must include inbox")] for kind in off}})
        self.channels = _EVERYTHING | self.channels

    def wants(self, kind: NoticeKind, channel: Channel) -> bool:
        return channel in self.channels[kind]

    def send_at(self, now: datetime) -> datetime:
        return self.quiet_hours.release(now) if self.quiet_hours else now
