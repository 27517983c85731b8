"""Use cases of notification-service: each runs in one unit of work."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.events import Envelope
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from .adapters.repository import InboxRepository
from .domain.inbox import notices_for
from .domain.model import Notice, NotificationError


class NotFound(NotificationError):
    pass


class Forbidden(NotificationError):
    pass


def deliver(uow: UnitOfWork, envelope: Envelope, data: dict, now: datetime | None = None) -> list[Notice]:
    """Event handler: put the event's notices into the inboxes of the people it concerns."""
    notices = notices_for(envelope.id, envelope.type, data, DirectoryView(uow.session),
                          now or datetime.now(timezone.utc))
    InboxRepository(uow.session).add_all(notices)
    return notices


def _owner(identity: Identity) -> uuid.UUID:
    if identity.kind != "person":
        raise Forbidden("Only a person has an inbox.")
    return uuid.UUID(identity.subject)


def list_notices(uow: UnitOfWork, identity: Identity, *, unread_only: bool = False, limit: int = 20,
                 offset: int = 0) -> tuple[list[Notice], int, int]:
    """A page of my notices, its total, and how many of all my notices are unread."""
    person_id = _owner(identity)
    inbox = InboxRepository(uow.session)
    items, total = inbox.page(person_id, unread_only=unread_only, limit=limit, offset=offset)
    return items, total, inbox.unread_count(person_id)


def unread_count(uow: UnitOfWork, identity: Identity) -> int:
    return InboxRepository(uow.session).unread_count(_owner(identity))


def read_notice(uow: UnitOfWork, identity: Identity, notice_id: uuid.UUID, now: datetime | None = None) -> Notice:
    inbox = InboxRepository(uow.session)
    # someone else's notice is "not found", never "forbidden": its existence is not mine to know
    notice = inbox.get(_owner(identity), notice_id)
    if notice is None:
        raise NotFound("No such notice.")
    if notice.mark_read(now or datetime.now(timezone.utc)):
        inbox.save_read(notice)
    return notice


def read_all(uow: UnitOfWork, identity: Identity, now: datetime | None = None) -> int:
    return InboxRepository(uow.session).mark_all_read(_owner(identity), now or datetime.now(timezone.utc))
