"""Notices and deliveries in and out of the database."""
from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pacesetter_shared.db import dialect_insert as _insert
from pacesetter_shared.db import insert_ignoring

from ..domain.delivery import Channel, Delivery, DeliveryStatus
from ..domain.digest import DigestItem
from ..domain.grouping import NoticeGroup, group_key
from ..domain.model import Notice, NoticeKind
from ..domain.preferences import Preferences, QuietHours
from ..domain.webhook import Robot, RobotStyle
from .tables import bad_ratings, deliveries, digest_items, notices, preferences, robots, window_alerts

class _Inserts:
    """Inserts sent at once, or with a unit of work's ``insert_later`` where the rows of a whole batch of
    events go as one statement before its commit."""

    def __init__(self, session: Session, later: Callable[[str, object, list[dict]], None] | None = None):
        self.session = session
        self._later = later

    def _insert_rows(self, key: str, statement, rows: list[dict]) -> None:
        if not rows:
            return
        if self._later is not None:
            self._later(key, statement, rows)
        else:
            self.session.execute(statement, rows)


class InboxRepository(_Inserts):
    def add_all(self, new: list[Notice]) -> None:
        """Adds the notices; one a person already has for the same event is left as it is."""
        self._insert_rows(
            "notices", insert_ignoring(self.session, notices, "event_id", "person_id"),
            [_to_row(n) for n in new])

    def has_event(self, person_id: uuid.UUID, event_id: uuid.UUID) -> bool:
        return self.session.execute(sa.select(notices.c.id).where(
            notices.c.person_id == person_id, notices.c.event_id == event_id)).first() is not None

    def get(self, person_id: uuid.UUID, notice_id: uuid.UUID) -> Notice | None:
        row = self.session.execute(
            sa.select(notices).where(notices.c.id == notice_id, notices.c.person_id == person_id)).first()
        return _to_notice(row) if row is not None else None

    def save_read(self, notice: Notice) -> None:
        # "IS NULL" keeps the first reading time when two tabs mark the same notice at once
        self.session.execute(sa.update(notices).where(notices.c.id == notice.id, notices.c.read_at.is_(None))
                             .values(read_at=notice.read_at))

    @staticmethod
    def _mine(person_id: uuid.UUID, *, read: bool | None = None, kinds: list[str] | None = None,
              group: tuple[str, str] | None = None) -> list:
        """The conditions of a person's notices: read or not, of these kinds, of one group (event type, key)."""
        where = [notices.c.person_id == person_id]
        if read is not None:
            where.append(notices.c.read_at.is_not(None) if read else notices.c.read_at.is_(None))
        if kinds:
            where.append(notices.c.kind.in_(kinds))
        if group is not None:
            where += [notices.c.event_type == group[0], notices.c.group_key == group[1]]
        return where

    def page(self, person_id: uuid.UUID, *, unread_only: bool = False, read: bool | None = None,
             kinds: list[str] | None = None, group: tuple[str, str] | None = None, sort: str = "unread_first",
             limit: int, offset: int) -> tuple[list[Notice], int]:
        query = sa.select(notices).where(*self._mine(person_id, read=False if unread_only else read, kinds=kinds,
                                                     group=group))
        total = self.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = self.session.execute(
            query.order_by(*NOTICE_ORDERS[sort], notices.c.id.desc()).limit(limit).offset(offset)).all()
        return [_to_notice(r) for r in rows], total

    def groups(self, person_id: uuid.UUID, *, read: bool | None = None, kinds: list[str] | None = None,
               sort: str = "unread_first", limit: int, offset: int, items: int) -> tuple[list[NoticeGroup], int]:
        """A page of the person's notices grouped by event type and subject, the number of all groups, and
        in each group its ``items`` newest notices."""
        where = self._mine(person_id, read=read, kinds=kinds)
        grouped = (sa.select(notices.c.event_type, notices.c.group_key, sa.func.count().label("count"),
                             sa.func.sum(sa.case((notices.c.read_at.is_(None), 1), else_=0)).label("unread"),
                             sa.func.max(notices.c.created_at).label("latest_at"))
                   .where(*where).group_by(notices.c.event_type, notices.c.group_key).subquery())
        total = self.session.execute(sa.select(sa.func.count()).select_from(grouped)).scalar_one()
        order = [grouped.c.latest_at.desc()]
        if sort == "unread_first":
            order.insert(0, sa.case((grouped.c.unread > 0, 0), else_=1))
        found = [NoticeGroup(r.event_type, r.group_key, r.count, int(r.unread or 0), r.latest_at)
                 for r in self.session.execute(sa.select(grouped).order_by(*order, grouped.c.event_type,
                                                                           grouped.c.group_key)
                                               .limit(limit).offset(offset))]
        if found:
            newest = sa.func.row_number().over(partition_by=(notices.c.event_type, notices.c.group_key),
                                               order_by=(notices.c.created_at.desc(), notices.c.id.desc()))
            ranked = sa.select(notices, newest.label("n")).where(*where, sa.or_(*[
                sa.and_(notices.c.event_type == g.event_type, notices.c.group_key == g.group_key)
                for g in found])).subquery()
            by_key = {(g.event_type, g.group_key): g for g in found}
            for row in self.session.execute(sa.select(ranked).where(ranked.c.n <= items)
                                            .order_by(ranked.c.created_at.desc(), ranked.c.id.desc())):
                by_key[(row.event_type, row.group_key)].items.append(_to_notice(row))
        return found, total

    def unread_count(self, person_id: uuid.UUID) -> int:
        return self.session.execute(
            sa.select(sa.func.count()).select_from(notices)
            .where(notices.c.person_id == person_id, notices.c.read_at.is_(None))).scalar_one()

    def mark_all_read(self, person_id: uuid.UUID, now: datetime) -> int:
        result = self.session.execute(
            sa.update(notices).where(notices.c.person_id == person_id, notices.c.read_at.is_(None))
            .values(read_at=now))
        return result.rowcount


# unread first (false sorts before true), then newest first; or newest (oldest) first, read or not
NOTICE_ORDERS = {
    "unread_first": (notices.c.read_at.is_not(None), notices.c.created_at.desc()),
    "-created_at": (notices.c.created_at.desc(),),
    "created_at": (notices.c.created_at,),
}


def _to_row(n: Notice) -> dict:
    return {"id": n.id, "person_id": n.person_id, "event_id": n.event_id, "event_type": n.event_type,
            "kind": n.kind.value, "title": n.title, "body": n.body, "link": n.link, "created_at": n.created_at,
            "read_at": n.read_at, "group_key": n.group_key or group_key(None, n.id),
            "subject_name": (n.subject_name or "")[:200] or None}


def _to_notice(row) -> Notice:
    return Notice(id=row.id, person_id=row.person_id, event_id=row.event_id, event_type=row.event_type,
                  kind=NoticeKind(row.kind), title=row.title, body=row.body, link=row.link,
                  created_at=row.created_at, read_at=row.read_at, group_key=row.group_key,
                  subject_name=row.subject_name)


class DeliveryRepository(_Inserts):
    def add_all(self, new: list[Delivery]) -> None:
        """Adds the deliveries; one that exists for the same event, recipient and channel stays as it is."""
        self._insert_rows(
            "deliveries", insert_ignoring(self.session, deliveries, "event_id", "recipient_id", "channel"),
            [_delivery_row(d) for d in new])

    def claim_due(self, channel: Channel, now: datetime) -> Delivery | None:
        """The oldest due delivery of a channel, locked; rows another replica holds are skipped."""
        row = self.session.execute(
            sa.select(deliveries)
            .where(deliveries.c.channel == channel.value, deliveries.c.status == DeliveryStatus.PENDING.value,
                   deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at).limit(1)
            .with_for_update(skip_locked=True)).first()
        return _to_delivery(row) if row is not None else None

    def get(self, delivery_id: uuid.UUID) -> Delivery | None:
        row = self.session.execute(sa.select(deliveries).where(deliveries.c.id == delivery_id)).first()
        return _to_delivery(row) if row is not None else None

    def save(self, d: Delivery) -> None:
        self.session.execute(sa.update(deliveries).where(deliveries.c.id == d.id).values(
            status=d.status.value, attempts=d.attempts, next_attempt_at=d.next_attempt_at, last_error=d.last_error,
            delivered_at=d.delivered_at))

    def page(self, status: DeliveryStatus, *, limit: int, offset: int) -> tuple[list[Delivery], int]:
        query = sa.select(deliveries).where(deliveries.c.status == status.value)
        total = self.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = self.session.execute(query.order_by(deliveries.c.created_at.desc(), deliveries.c.id)
                                    .limit(limit).offset(offset)).all()
        return [_to_delivery(r) for r in rows], total

    def of_event(self, event_id: uuid.UUID) -> list[Delivery]:
        rows = self.session.execute(sa.select(deliveries).where(deliveries.c.event_id == event_id)
                                    .order_by(deliveries.c.channel, deliveries.c.recipient_id)).all()
        return [_to_delivery(r) for r in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        """How many deliveries per (channel, status): what the metric shows."""
        rows = self.session.execute(sa.select(deliveries.c.channel, deliveries.c.status, sa.func.count())
                                    .group_by(deliveries.c.channel, deliveries.c.status)).all()
        return {(channel, status): count for channel, status, count in rows}


def _delivery_row(d: Delivery) -> dict:
    return {"id": d.id, "event_id": d.event_id, "event_type": d.event_type, "recipient_id": d.recipient_id,
            "channel": d.channel.value, "address": d.address, "message": d.message, "status": d.status.value,
            "attempts": d.attempts, "next_attempt_at": d.next_attempt_at, "last_error": d.last_error,
            "created_at": d.created_at, "delivered_at": d.delivered_at}


def _to_delivery(row) -> Delivery:
    return Delivery(id=row.id, event_id=row.event_id, event_type=row.event_type, recipient_id=row.recipient_id,
                    channel=Channel(row.channel), address=row.address, message=row.message,
                    status=DeliveryStatus(row.status), attempts=row.attempts, next_attempt_at=row.next_attempt_at,
                    last_error=row.last_error, created_at=row.created_at, delivered_at=row.delivered_at)


class RobotRepository:
    def __init__(self, session: Session):
        self.session = session

    def of_units(self, unit_ids: list[uuid.UUID]) -> dict[uuid.UUID, Robot]:
        if not unit_ids:
            return {}
        rows = self.session.execute(sa.select(robots).where(robots.c.unit_id.in_(unit_ids))).all()
        return {r.unit_id: _to_robot(r) for r in rows}

    def put(self, robot: Robot) -> None:
        values = {"style": robot.style.value, "url": robot.url, "secret": robot.secret, "active": robot.active,
                  "updated_at": robot.updated_at, **_quiet_columns(robot.quiet_hours)}
        self.session.execute(_insert(self.session, robots).values(unit_id=robot.unit_id, **values)
                             .on_conflict_do_update(index_elements=["unit_id"], set_=values))

    def page(self, *, limit: int, offset: int) -> tuple[list[Robot], int]:
        total = self.session.execute(sa.select(sa.func.count()).select_from(robots)).scalar_one()
        rows = self.session.execute(sa.select(robots).order_by(robots.c.unit_id).limit(limit).offset(offset)).all()
        return [_to_robot(r) for r in rows], total


def _quiet_columns(quiet: QuietHours | None) -> dict:
    return {"quiet_start": quiet.start.strftime("%H:%M") if quiet else None,
            "quiet_end": quiet.end.strftime("%H:%M") if quiet else None}


def _quiet_hours(row) -> QuietHours | None:
    if row.quiet_start is None:
        return None
    return QuietHours(time.fromisoformat(row.quiet_start), time.fromisoformat(row.quiet_end))


def _to_robot(row) -> Robot:
    return Robot(unit_id=row.unit_id, style=RobotStyle(row.style), url=row.url, secret=row.secret, active=row.active,
                 updated_at=row.updated_at, quiet_hours=_quiet_hours(row))


class PreferenceRepository:
    def __init__(self, session: Session):
        self.session = session

    def of(self, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, Preferences]:
        if not person_ids:
            return {}
        rows = self.session.execute(sa.select(preferences).where(preferences.c.person_id.in_(person_ids))).all()
        return {r.person_id: _to_preferences(r) for r in rows}

    def put(self, p: Preferences) -> None:
        values = {"channels": {k.value: sorted(c.value for c in v) for k, v in p.channels.items()},
                  "daily_digest": p.daily_digest, "updated_at": p.updated_at, **_quiet_columns(p.quiet_hours)}
        self.session.execute(_insert(self.session, preferences).values(person_id=p.person_id, **values)
                             .on_conflict_do_update(index_elements=["person_id"], set_=values))


def _to_preferences(row) -> Preferences:
    return Preferences(person_id=row.person_id, quiet_hours=_quiet_hours(row), daily_digest=row.daily_digest,
                       updated_at=row.updated_at,
                       channels={NoticeKind(k): frozenset(Channel(c) for c in v) for k, v in row.channels.items()})


class DigestRepository(_Inserts):
    def add_all(self, items: list[DigestItem]) -> None:
        self._insert_rows(
            "digest_items", insert_ignoring(self.session, digest_items, "event_id", "person_id"),
            [{"id": i.id, "person_id": i.person_id, "event_id": i.event_id, "line": i.line,
              "created_at": i.created_at, "digest_id": None} for i in items])

    def people_waiting(self) -> list[uuid.UUID]:
        return list(self.session.execute(sa.select(digest_items.c.person_id).distinct()
                                         .where(digest_items.c.digest_id.is_(None))).scalars())

    def claim_waiting(self, person_id: uuid.UUID) -> list[DigestItem]:
        """A person's waiting items, locked; another replica digesting them already is skipped."""
        rows = self.session.execute(
            sa.select(digest_items).where(digest_items.c.person_id == person_id, digest_items.c.digest_id.is_(None))
            .with_for_update(skip_locked=True)).all()
        return [DigestItem(id=r.id, person_id=r.person_id, event_id=r.event_id, line=r.line, created_at=r.created_at)
                for r in rows]

    def mark_sent(self, items: list[DigestItem], digest_id: uuid.UUID) -> None:
        self.session.execute(sa.update(digest_items).where(digest_items.c.id.in_([i.id for i in items]))
                             .values(digest_id=digest_id))


class BadRatingRepository(_Inserts):
    KEY = "bad_ratings"  # the rows a batch's events add wait under it until ``since`` reads them

    def add(self, cases: list[tuple[uuid.UUID, uuid.UUID, int, list[str], datetime]]) -> None:
        """(case, window, level, reasons, when) of each bad rating; a case counted once however often it comes."""
        self._insert_rows(self.KEY, insert_ignoring(self.session, bad_ratings, "case_id"), [{
            "case_id": case_id, "window_id": window_id, "level": level, "reasons": reasons,
            "occurred_at": occurred_at} for case_id, window_id, level, reasons, occurred_at in cases])

    def lock_window(self, window_id: uuid.UUID) -> datetime | None:
        """Locks the window's alert row (made on first use) and returns when it last alerted."""
        locked = self._locked(window_id)
        if locked is None:  # the window's first bad rating: its row made (or a concurrent consumer's waited for)
            self.session.execute(insert_ignoring(self.session, window_alerts, "window_id"),
                                 [{"window_id": window_id, "last_alert_at": None}])
            locked = self._locked(window_id)
        return locked.last_alert_at

    def _locked(self, window_id: uuid.UUID):
        return self.session.execute(sa.select(window_alerts.c.last_alert_at)
                                    .where(window_alerts.c.window_id == window_id).with_for_update()).first()

    def since(self, window_id: uuid.UUID, start: datetime, end: datetime) -> list[tuple[datetime, list[str]]]:
        rows = self.session.execute(sa.select(bad_ratings.c.occurred_at, bad_ratings.c.reasons).where(
            bad_ratings.c.window_id == window_id, bad_ratings.c.occurred_at > start,
            bad_ratings.c.occurred_at <= end).order_by(bad_ratings.c.occurred_at)).all()
        return [(r.occurred_at, r.reasons) for r in rows]

    def alerted(self, window_id: uuid.UUID, at: datetime) -> None:
        self.session.execute(sa.update(window_alerts).where(window_alerts.c.window_id == window_id)
                             .values(last_alert_at=at))
