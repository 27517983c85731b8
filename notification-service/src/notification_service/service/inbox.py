"""My inbox (收件箱): a page of my notices or of their groups (消息分组), the unread count, marking them read."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import InboxRepository
from ..domain.grouping import ITEMS_PER_GROUP, NoticeGroup
from ..domain.inbox import language_of
from ..domain.model import Notice
from ._common import NotFound, _owner


def list_notices(uow: UnitOfWork, identity: Identity, *, unread_only: bool = False, read: bool | None = None,
                 kinds: list[str] | None = None, group: tuple[str, str] | None = None, sort: str = "unread_first",
                 limit: int = 20, offset: int = 0) -> tuple[list[Notice], int, int]:
    """A page of my notices (read or not, of some kinds, of one group), the total of all that match, and how
    many of all my notices are unread."""
    person_id = _owner(identity)
    inbox = InboxRepository(uow.session)
    items, total = inbox.page(person_id, unread_only=unread_only, read=read, kinds=kinds, group=group, sort=sort,
                              limit=limit, offset=offset)
    return items, total, inbox.unread_count(person_id)


def list_groups(uow: UnitOfWork, identity: Identity, *, read: bool | None = None, kinds: list[str] | None = None,
                sort: str = "unread_first", limit: int = 20, offset: int = 0,
                language: str | None = None) -> tuple[list[NoticeGroup], int, int]:
    """My inbox in groups (one row per event type and subject, e.g. a window's new bad ratings), titled in
    ``language`` (else the language my notices are written in): a page of them, the number of all groups,
    and how many of all my notices are unread."""
    person_id = _owner(identity)
    inbox = InboxRepository(uow.session)
    groups, total = inbox.groups(person_id, read=read, kinds=kinds, sort=sort, limit=limit, offset=offset,
                                 items=ITEMS_PER_GROUP)
    language = language or language_of(DirectoryView(uow.session), person_id)
    for group in groups:
        group.language = language
    return groups, total, inbox.unread_count(person_id)


def unread_count(uow: UnitOfWork, identity: Identity) -> int:
    return InboxRepository(uow.session).unread_count(_owner(identity))


def read_notice(uow: UnitOfWork, identity: Identity, notice_id: uuid.UUID, now: datetime | None = None) -> Notice:
    inbox = InboxRepository(uow.session)
    # someone else's notice is "not found", never "forbidden": its existence is not mine to know
    notice = inbox.get(_owner(identity), notice_id)
    if notice is None:
        raise NotFound(_("No such notice."))
    if notice.mark_read(now or datetime.now(timezone.utc)):
        inbox.save_read(notice)
    return notice


def read_all(uow: UnitOfWork, identity: Identity, now: datetime | None = None) -> int:
    return InboxRepository(uow.session).mark_all_read(_owner(identity), now or datetime.now(timezone.utc))
