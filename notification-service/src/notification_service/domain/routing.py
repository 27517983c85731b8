"""Which channels an event's notices take (通知渠道): the inbox always, e-mail by choice, the unit's robot."""
from __future__ import annotations

import uuid
from datetime import datetime

from .delivery import Channel, Delivery, DeliveryStatus
from .inbox import language_of, names_for
from .model import Notice
from .preferences import Preferences
from .recipients import Directory
from .templates import render
from .webhook import WEBHOOK_EVENTS, WEBHOOK_LANGUAGE, Robot, units_of


def message_of(notice: Notice, language: str) -> dict:
    """What every outbound channel formats in its own way."""
    return {"title": notice.title, "body": notice.body, "link": notice.link, "kind": notice.kind.value,
            "language": language}


def deliveries_for(notices: list[Notice], directory: Directory, now: datetime,
                   preferences: dict[uuid.UUID, Preferences]) -> list[Delivery]:
    """The inbox copy of each notice, delivered as it is written, and an e-mail for whoever has an address
    and wants that kind by mail; quiet hours put the e-mail off until they end."""
    found = []
    for notice in notices:
        choice = preferences.get(notice.person_id) or Preferences(notice.person_id)
        common = {"event_id": notice.event_id, "event_type": notice.event_type, "recipient_id": notice.person_id,
                  "created_at": now}
        found.append(Delivery(id=uuid.uuid4(), channel=Channel.INBOX, address=None, status=DeliveryStatus.DELIVERED,
                              attempts=1, delivered_at=now, **common))
        person = directory.person(notice.person_id)
        if person is not None and person.email and choice.wants(notice.kind, Channel.EMAIL):
            found.append(Delivery(id=uuid.uuid4(), channel=Channel.EMAIL, address=person.email,
                                  message=message_of(notice, language_of(directory, notice.person_id)),
                                  next_attempt_at=choice.send_at(now), **common))
    return found


def robot_deliveries(event_id: uuid.UUID, event_type: str, data: dict, robots: dict[uuid.UUID, Robot],
                     directory: Directory, now: datetime) -> list[Delivery]:
    """One webhook delivery per unit the event is about whose robot is switched on, held past its quiet hours.
    The signing secret stays with the robot: the sender looks it up when it sends."""
    found = []
    for unit_id in units_of(event_type, data):
        robot = robots.get(unit_id)
        if robot is None or not robot.active:
            continue
        text = render(event_type, WEBHOOK_EVENTS[event_type][1], WEBHOOK_LANGUAGE, data, names_for(data, directory))
        message = {"title": text.title, "body": text.body, "link": text.link, "kind": text.kind.value,
                   "language": WEBHOOK_LANGUAGE, "style": robot.style.value}
        found.append(Delivery(id=uuid.uuid4(), event_id=event_id, event_type=event_type, recipient_id=unit_id,
                              channel=Channel.WEBHOOK, address=robot.url, message=message,
                              next_attempt_at=robot.quiet_hours.release(now) if robot.quiet_hours else now,
                              created_at=now))
    return found
