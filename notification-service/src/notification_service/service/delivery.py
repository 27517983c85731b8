"""From an event to its notices and deliveries (投递): the event handler ``deliver`` puts the notices into the
inboxes at once, queues the other channels' deliveries and keeps what a secretary wants in the daily digest;
a consumer's batch is read ahead, and what it read of the directory forgotten after a directory event."""
from __future__ import annotations

import uuid
from datetime import datetime

from pacesetter_shared.events import Envelope
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import DeliveryRepository, DigestRepository, InboxRepository
from ..domain import digest
from ..domain.inbox import notices_for
from ..domain.model import Notice
from ..domain.preferences import Preferences
from ..domain.recipients import RULES, people_named
from ..domain.routing import deliveries_for, robot_deliveries
from ..domain.webhook import units_of
from ._common import _now
from ._directory import _EventDirectory, _preferences, _robots


def read_ahead(uow: UnitOfWork, events: list[tuple[Envelope, dict]]) -> None:
    """A consumer's batch: the people its events name, their choices and the units' robots, in one query
    each, not one per event."""
    named = [p for envelope, data in events if envelope.type in RULES for p in people_named(data)]
    _EventDirectory(uow).read_people(named)
    _preferences(uow, named)
    _robots(uow, [u for envelope, data in events for u in units_of(envelope.type, data)])


def _wants_digest(choices: dict[uuid.UUID, Preferences], person_id: uuid.UUID) -> bool:
    chosen = choices.get(person_id)
    return chosen is not None and chosen.daily_digest


def deliver(uow: UnitOfWork, envelope: Envelope, data: dict, now: datetime | None = None) -> list[Notice]:
    """Event handler: the notices go into the inboxes at once, other channels are queued as deliveries,
    and what a secretary wants in the daily digest waits for it."""
    now = now or _now()
    directory = _EventDirectory(uow)
    notices = notices_for(envelope.id, envelope.type, data, directory, now)
    choices = _preferences(uow, [n.person_id for n in notices])
    waiting = [n for n in notices if digest.is_digested(n, _wants_digest(choices, n.person_id))]
    now_sent = [n for n in notices if n not in waiting]
    # nothing in an event's handling reads these back: they go with the batch's other rows at its commit
    InboxRepository(uow.session, uow.insert_later).add_all(now_sent)
    DigestRepository(uow.session, uow.insert_later).add_all([digest.item_of(n) for n in waiting])
    robots = _robots(uow, units_of(envelope.type, data))
    DeliveryRepository(uow.session, uow.insert_later).add_all(
        deliveries_for(now_sent, directory, now, choices)
        + robot_deliveries(envelope.id, envelope.type, data, robots, directory, now))
    return now_sent


def forget_directory_reads(uow: UnitOfWork) -> None:
    """After a directory event in a batch: what the batch read of the projection may be out of date."""
    _EventDirectory.forget(uow)
