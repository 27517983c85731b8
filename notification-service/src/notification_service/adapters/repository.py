"""Notices in and out of the database: one person's inbox at a time."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.model import Notice, NoticeKind
from .tables import notices

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class InboxRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_all(self, new: list[Notice]) -> None:
        """Adds the notices; one a person already has for the same event is left as it is."""
        if not new:
            return
        insert = _INSERTS[self.session.get_bind().dialect.name](notices)
        self.session.execute(insert.on_conflict_do_nothing(index_elements=["event_id", "person_id"]),
                             [_to_row(n) for n in new])

    def get(self, person_id: uuid.UUID, notice_id: uuid.UUID) -> Notice | None:
        row = self.session.execute(
            sa.select(notices).where(notices.c.id == notice_id, notices.c.person_id == person_id)).first()
        return _to_notice(row) if row is not None else None

    def save_read(self, notice: Notice) -> None:
        # "IS NULL" keeps the first reading time when two tabs mark the same notice at once
        self.session.execute(sa.update(notices).where(notices.c.id == notice.id, notices.c.read_at.is_(None))
                             .values(read_at=notice.read_at))

    def page(self, person_id: uuid.UUID, *, unread_only: bool, limit: int, offset: int) -> tuple[list[Notice], int]:
        query = sa.select(notices).where(notices.c.person_id == person_id)
        if unread_only:
            query = query.where(notices.c.read_at.is_(None))
        total = self.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = self.session.execute(
            # unread first (false sorts before true), then newest first
            query.order_by(notices.c.read_at.is_not(None), notices.c.created_at.desc(), notices.c.id.desc())
            .limit(limit).offset(offset)).all()
        return [_to_notice(r) for r in rows], total

    def unread_count(self, person_id: uuid.UUID) -> int:
        return self.session.execute(
            sa.select(sa.func.count()).select_from(notices)
            .where(notices.c.person_id == person_id, notices.c.read_at.is_(None))).scalar_one()

    def mark_all_read(self, person_id: uuid.UUID, now: datetime) -> int:
        result = self.session.execute(
            sa.update(notices).where(notices.c.person_id == person_id, notices.c.read_at.is_(None))
            .values(read_at=now))
        return result.rowcount


def _to_row(n: Notice) -> dict:
    return {"id": n.id, "person_id": n.person_id, "event_id": n.event_id, "event_type": n.event_type,
            "kind": n.kind.value, "title": n.title, "body": n.body, "link": n.link, "created_at": n.created_at,
            "read_at": n.read_at}


def _to_notice(row) -> Notice:
    return Notice(id=row.id, person_id=row.person_id, event_id=row.event_id, event_type=row.event_type,
                  kind=NoticeKind(row.kind), title=row.title, body=row.body, link=row.link,
                  created_at=row.created_at, read_at=row.read_at)
