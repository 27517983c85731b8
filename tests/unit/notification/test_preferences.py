"""Preferences: the inbox always stays on, e-mail by kind, quiet hours in Beijing time."""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

import pytest

from notification_service.domain.delivery import Channel
from notification_service.domain.inbox import notices_for
from notification_service.domain.model import NoticeKind
from notification_service.domain.preferences import InvalidPreferences, Preferences, QuietHours
from notification_service.domain.routing import deliveries_for

UTC = timezone.utc


@pytest.mark.parametrize("now, released", [
    # 22:00–07:30 Beijing = 14:00–23:30 UTC
    (datetime(2025, 3, 1, 13, 59, tzinfo=UTC), datetime(2025, 3, 1, 13, 59, tzinfo=UTC)),  # 21:59: outside
    (datetime(2025, 3, 1, 14, 0, tzinfo=UTC), datetime(2025, 3, 1, 23, 30, tzinfo=UTC)),  # 22:00: to 07:30 next day
    (datetime(2025, 3, 1, 20, 0, tzinfo=UTC), datetime(2025, 3, 1, 23, 30, tzinfo=UTC)),  # 04:00 next day
    (datetime(2025, 3, 1, 23, 30, tzinfo=UTC), datetime(2025, 3, 1, 23, 30, tzinfo=UTC)),  # 07:30: over
])
def test_quiet_hours_past_midnight_hold_mail_until_morning(now, released):
    assert QuietHours(time(22, 0), time(7, 30)).release(now) == released


def test_quiet_hours_within_a_day():
    lunch = QuietHours(time(12, 0), time(14, 0))  # Beijing
    assert lunch.release(datetime(2025, 3, 1, 4, 30, tzinfo=UTC)) == datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    assert lunch.release(datetime(2025, 3, 1, 6, 0, tzinfo=UTC)) == datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    with pytest.raises(InvalidPreferences):
        QuietHours(time(8, 0), time(8, 0))


def test_the_inbox_cannot_be_turned_off_and_kinds_left_out_keep_every_channel():
    with pytest.raises(InvalidPreferences) as raised:
        Preferences(uuid.uuid4(), channels={NoticeKind.UPDATE: frozenset({Channel.EMAIL})})
    assert raised.value.details == {"channels": {"update": ["must include inbox"]}}
    chosen = Preferences(uuid.uuid4(), channels={NoticeKind.UPDATE: frozenset({Channel.INBOX})})
    assert not chosen.wants(NoticeKind.UPDATE, Channel.EMAIL)
    assert chosen.wants(NoticeKind.TASK, Channel.EMAIL)


def test_mail_follows_the_persons_choice_and_waits_out_their_quiet_hours(org, sample_data):
    night = datetime(2025, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 Beijing
    reader = org.directory.add_person("周党员", email="zhou@example.edu.cn")
    data = sample_data("pledge.approved", pledger_kind="member", pledger_id=reader, unit_id=org.branch)
    notices = notices_for(uuid.uuid4(), "pledge.approved", data, org.directory, night)
    quiet = Preferences(reader, quiet_hours=QuietHours(time(22, 0), time(7, 0)))
    [_, mail] = deliveries_for(notices, org.directory, night, {reader: quiet})
    assert (mail.channel, mail.next_attempt_at) == (Channel.EMAIL, datetime(2025, 3, 1, 23, 0, tzinfo=UTC))
    no_updates = Preferences(reader, channels={NoticeKind.UPDATE: frozenset({Channel.INBOX})})
    assert [d.channel for d in deliveries_for(notices, org.directory, night, {reader: no_updates})] == [Channel.INBOX]
