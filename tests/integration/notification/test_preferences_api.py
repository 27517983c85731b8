"""GET/PUT my preferences against PostgreSQL, and their effect on the e-mail of the next event."""
from __future__ import annotations

import uuid
from datetime import date

from notification_service.adapters.repository import DeliveryRepository
from notification_service.domain.delivery import Channel

BRANCH = uuid.uuid4()


def _person(notification) -> uuid.UUID:
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    person = uuid.uuid4()
    notification.deliver("directory.person_upserted", {
        "person_id": person, "name": "陈党员", "language": "zh", "unit_id": BRANCH, "email": "chen@example.edu.cn",
        "member_status": "full", "revision": 1, "roles": [{"role": "member", "unit_id": BRANCH}]})
    return person


def _channels(notification, person, event_type, **extra) -> set[Channel]:
    envelope = notification.deliver(event_type, {
        "pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": person, "unit_id": BRANCH,
        "kind": "annual", "title": "带头搞好教书育人", "year": 2025, "due_date": date(2025, 12, 31), **extra})
    with notification.uow_factory() as uow:
        return {d.channel for d in DeliveryRepository(uow.session).of_event(envelope.id)}


def test_defaults_then_my_choice_read_back_and_applied(notification):
    person = _person(notification)
    headers = notification.headers(person)
    default = notification.client.get("/api/notifications/preferences", headers=headers)
    assert default.status_code == 200
    assert default.json["channels"]["update"] == ["email", "inbox"]
    assert (default.json["quiet_hours"], default.json["daily_digest"]) == (None, False)
    assert _channels(notification, person, "pledge.approved") == {Channel.INBOX, Channel.EMAIL}

    chosen = {"channels": {"update": ["inbox"]}, "quiet_hours": {"start": "22:00", "end": "07:30"}}
    put = notification.client.put("/api/notifications/preferences", json=chosen, headers=headers)
    assert put.status_code == 200
    mine = notification.client.get("/api/notifications/preferences", headers=headers).json
    assert mine["channels"]["update"] == ["inbox"] and mine["channels"]["reminder"] == ["email", "inbox"]
    assert mine["quiet_hours"] == {"start": "22:00", "end": "07:30"}

    assert _channels(notification, person, "pledge.approved") == {Channel.INBOX}  # an update: inbox only now
    assert _channels(notification, person, "pledge.due_soon", days_left=3) == {Channel.INBOX, Channel.EMAIL}


def test_bad_preferences_are_422_in_the_one_error_shape(notification):
    headers = notification.headers(_person(notification))
    no_inbox = notification.client.put("/api/notifications/preferences", headers=headers | {"Accept-Language": "en"},
                                       json={"channels": {"task": ["email"]}})
    assert no_inbox.status_code == 422
    assert no_inbox.json["error"]["code"] == "invalid_preferences"
    assert no_inbox.json["error"]["details"] == {"channels": {"task": ["must include inbox"]}}
    unknown = notification.client.put("/api/notifications/preferences", headers=headers,
                                      json={"channels": {"gossip": ["sms"]}, "quiet_hours": {"start": "25:00"}})
    assert unknown.status_code == 422
    assert {"channels", "quiet_hours"} <= set(unknown.json["error"]["details"])
