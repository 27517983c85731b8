"""A secretary's reminder to pledge (pledge.reminder_requested, issue 21 gap 2) reaches each listed member's inbox
once, in their language, however often the event is delivered."""
from __future__ import annotations

import pytest

from pacesetter_shared.events import InvalidEvent, prepare_data

from .test_inbox import BRANCH, inbox, people  # noqa: F401  (people is a fixture)


def test_each_listed_member_is_reminded_once_in_their_language(notification, people):  # noqa: F811
    envelope = notification.deliver("pledge.reminder_requested", {
        "unit_id": BRANCH, "year": 2026, "requested_by": people["secretary"],
        # the member twice (a list built twice), the secretary who asked and has no pledge either
        "member_ids": [people["member"], people["member"], people["secretary"]]})
    notification.redeliver(envelope)  # at least once on the wire: a second copy tells nobody again

    [zh] = inbox(notification, people["member"])["items"]
    assert (zh["event_type"], zh["kind"]) == ("pledge.reminder_requested", "reminder")
    assert zh["title"] == "请作出2026年度承诺"
    assert zh["body"].startswith("教工第一党支部提醒您：您还没有作出 2026 年度承诺。")
    assert zh["link"] == "/pledges/mine?year=2026"
    [en] = inbox(notification, people["secretary"])["items"]
    assert en["title"] == "Please make your 2026 annual pledge"
    assert "reminds you that you have not made your annual pledge for 2026 yet" in en["body"]
    assert inbox(notification, people["reviewer"])["total"] == 0  # not listed, not told


def test_a_reminder_naming_nobody_is_refused_by_its_schema():
    with pytest.raises(InvalidEvent) as raised:
        prepare_data("pledge.reminder_requested", 1, {"unit_id": BRANCH, "year": 2026, "member_ids": []})
    assert "member_ids" in raised.value.errors
