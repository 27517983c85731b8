"""Use cases of notification-service: each runs in one unit of work."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Callable, Protocol

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, windows
from pacesetter_shared.events import Envelope
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from .adapters.repository import (BadRatingRepository, DeliveryRepository, DigestRepository, InboxRepository,
                                  PreferenceRepository, RobotRepository)
from .domain import digest
from .domain.alerts import AlertRule, alert_notices, top_reasons
from .domain.feedback import cases_at_one_place
from .domain.delivery import Channel, Delivery, DeliveryStatus, RetryPolicy
from .domain.grouping import ITEMS_PER_GROUP, NoticeGroup
from .domain.inbox import language_of, notices_for
from .domain.model import Notice, NoticeKind, NotificationError
from .domain.preferences import Preferences, QuietHours
from .domain.recipients import RULES, alert_recipients, people_named
from .domain.routing import deliveries_for, robot_deliveries
from .domain.webhook import Robot, RobotStyle, units_of

log = logging.getLogger(__name__)

# three 不满意 or worse within an hour; ALERT_THRESHOLD / ALERT_SPAN_MINUTES once documented settings
ALERT_RULE = AlertRule()


class NotFound(NotificationError):
    pass


class Forbidden(NotificationError):
    pass


class Sender(Protocol):
    def send(self, delivery: Delivery) -> None: ...


def _now() -> datetime:
    return datetime.now(timezone.utc)


class _EventDirectory(DirectoryView):
    """The projection as a unit of work reads it: recipients, names, language and e-mail each ask for the
    same person or unit again (six reads of one person per notice), and the events of a consumer's batch
    for the same branch and secretaries again, so each is read once per unit of work. The directory's own
    handlers drop what was read (``forget``): an event after a directory change in the batch sees it."""

    MEMO = "notification.directory"

    def __init__(self, uow: UnitOfWork):
        super().__init__(uow.session)
        memo = uow.memo.setdefault(self.MEMO, {"people": {}, "units": {}, "holders": {}, "windows": {}})
        self._people, self._units, self._holders = memo["people"], memo["units"], memo["holders"]
        self._windows = memo["windows"]

    @classmethod
    def forget(cls, uow: UnitOfWork) -> None:
        uow.memo.pop(cls.MEMO, None)

    def read_people(self, person_ids) -> None:
        """Rows of all these people in one query (absent ones remembered as absent)."""
        missing = [p for p in dict.fromkeys(person_ids) if p not in self._people]
        if missing:
            found = {r.id: r for r in self.session.execute(sa.select(persons).where(persons.c.id.in_(missing)))}
            self._people.update({p: found.get(p) for p in missing})

    def person(self, person_id):
        if person_id not in self._people:
            self._people[person_id] = super().person(person_id)
        return self._people[person_id]

    def unit(self, unit_id):
        if unit_id not in self._units:
            self._units[unit_id] = super().unit(unit_id)
        return self._units[unit_id]

    def window(self, window_id):
        """A service window of the projection (its name titles a group of notices about it)."""
        if window_id not in self._windows:
            self._windows[window_id] = self.session.execute(
                sa.select(windows).where(windows.c.id == window_id)).first()
        return self._windows[window_id]

    def holders(self, role: str, unit_ids) -> list:
        key = (role, tuple(unit_ids))
        if key not in self._holders:
            self._holders[key] = super().holders(role, unit_ids)
            # the rows are whole persons: the secretaries' language and e-mail need no read of their own
            for row in self._holders[key]:
                self._people.setdefault(row.id, row)
        return self._holders[key]


def _read_once(uow: UnitOfWork, key: str, ids: list[uuid.UUID], fetch: Callable[[list[uuid.UUID]], dict]) -> dict:
    """What ``fetch`` finds for ``ids``, each read once per unit of work (a consumer's batch): for what only
    the web API changes, never an event."""
    known = uow.memo.setdefault(key, {})
    missing = [i for i in dict.fromkeys(ids) if i not in known]
    if missing:
        found = fetch(missing)
        known.update({i: found.get(i) for i in missing})
    return {i: known[i] for i in ids if known[i] is not None}


def _preferences(uow: UnitOfWork, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, Preferences]:
    """People's choices."""
    return _read_once(uow, "notification.preferences", person_ids, PreferenceRepository(uow.session).of)


def _robots(uow: UnitOfWork, unit_ids: list[uuid.UUID]) -> dict[uuid.UUID, Robot]:
    """Units' chat robots."""
    return _read_once(uow, "notification.robots", unit_ids, RobotRepository(uow.session).of_units)


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


LAST_ALERTS = "notification.last_alerts"


def _last_alert(uow: UnitOfWork, ratings: BadRatingRepository, window_id: uuid.UUID) -> datetime | None:
    """When the window last alerted: its row locked and read once per unit of work (the lock is held to the
    commit), so a consumer's batch of bad ratings at one window does not lock it again for each."""
    known = uow.memo.setdefault(LAST_ALERTS, {})
    if window_id not in known:
        known[window_id] = ratings.lock_window(window_id)
    return known[window_id]


def _alerted(uow: UnitOfWork, ratings: BadRatingRepository, window_id: uuid.UUID, at: datetime) -> None:
    ratings.alerted(window_id, at)
    uow.memo[LAST_ALERTS][window_id] = at  # what _last_alert holds follows the change


def on_negative_feedback(uow: UnitOfWork, envelope: Envelope, data: dict, now: datetime | None = None,
                         rule: AlertRule = ALERT_RULE) -> list[Notice]:
    """Event handler for feedback.negative: the place's cases to its responsible person in one notice, and an
    alert when the window's bad ratings, each case counted, cross the rule's threshold within its span."""
    now = now or _now()
    data = cases_at_one_place(envelope.version, data)
    notices = deliver(uow, envelope, data, now)
    # a complaint to a unit names no window (v2): no window's alert to count it towards
    counted = [case for case in data["cases"] if rule.counts(case["level"])] if data["window_id"] else []
    if not counted:
        return notices
    # the batch's bad ratings go in one INSERT at its commit, or just before the hour is read below
    ratings = BadRatingRepository(uow.session, uow.insert_later)
    ratings.add([(case["case_id"], data["window_id"], case["level"], case["reasons"], envelope.occurred_at)
                 for case in counted])
    last_alert_at = _last_alert(uow, ratings, data["window_id"])
    at = envelope.occurred_at
    if not rule.quiet_since_last(at, last_alert_at):
        # alerted within the span already: the window's hour of bad ratings, read again for every one of
        # them, made a busy window's events cost more the more of them came
        return notices
    uow.send_waiting(BadRatingRepository.KEY)
    recent = ratings.since(data["window_id"], at - rule.span, at)
    if not rule.crossed([t for t, _ in recent], at, last_alert_at):
        return notices
    _alerted(uow, ratings, data["window_id"], at)
    directory = _EventDirectory(uow)
    alerts = alert_notices(data["window_id"], data, alert_recipients(data, directory), len(recent),
                           top_reasons([r for _, r in recent]), rule, directory, at)
    InboxRepository(uow.session, uow.insert_later).add_all(alerts)
    choices = _preferences(uow, [n.person_id for n in alerts])
    DeliveryRepository(uow.session, uow.insert_later).add_all(deliveries_for(alerts, directory, now, choices))
    return notices + alerts


def send_digests(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Scheduled job: after 08:00 Beijing time, each person's waiting items as one notice, once a day."""
    if not digest.due(now):
        return 0
    with uow_factory() as uow:
        people = DigestRepository(uow.session).people_waiting()
    sent = 0
    for person_id in people:
        with uow_factory() as uow:
            inbox, items = InboxRepository(uow.session), DigestRepository(uow.session)
            if inbox.has_event(person_id, digest.digest_id(person_id, now)):
                continue  # today's digest is out: what came since waits for tomorrow's
            waiting = items.claim_waiting(person_id)
            if not waiting:
                continue
            directory = DirectoryView(uow.session)
            notice = digest.digest_notice(person_id, waiting, language_of(directory, person_id), now)
            inbox.add_all([notice])
            choices = PreferenceRepository(uow.session).of([person_id])
            DeliveryRepository(uow.session).add_all(deliveries_for([notice], directory, now, choices))
            items.mark_sent(waiting, notice.event_id)
            sent += 1
    return sent


def dispatch_due(uow_factory: UnitOfWorkFactory, channel: Channel, sender: Sender, policy: RetryPolicy,
                 now: Callable[[], datetime] = _now, batch: int = 50) -> int:
    """Scheduled job: send a channel's due deliveries, one transaction each; returns how many were tried.

    The row stays locked while it is sent, so two replicas never send the same delivery; the send and
    the record of it commit together (a crash between them is the one case that could send twice).
    """
    tried = 0
    while tried < batch:
        with uow_factory() as uow:
            deliveries = DeliveryRepository(uow.session)
            delivery = deliveries.claim_due(channel, now())
            if delivery is None:
                break
            try:
                sender.send(delivery)
                delivery.succeeded(now())
            except Exception as exc:  # any failure costs a try: a poisoned row ends failed, never stuck
                delivery.attempt_failed(now(), str(exc), policy)
                log.warning("delivery %s (%s) try %s failed: %s", delivery.id, channel.value, delivery.attempts, exc)
            deliveries.save(delivery)
        tried += 1
    return tried


def _owner(identity: Identity) -> uuid.UUID:
    if identity.kind != "person":
        raise Forbidden(_("Only a person has an inbox."))
    return uuid.UUID(identity.subject)


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


def _ops(identity: Identity) -> None:
    if not identity.has_role("ops_admin"):
        raise Forbidden(_("Only ops may see and retry deliveries."))


def failed_deliveries(uow: UnitOfWork, identity: Identity, *, limit: int = 20,
                      offset: int = 0) -> tuple[list[Delivery], int]:
    _ops(identity)
    return DeliveryRepository(uow.session).page(DeliveryStatus.FAILED, limit=limit, offset=offset)


def retry_delivery(uow: UnitOfWork, identity: Identity, delivery_id: uuid.UUID,
                   now: datetime | None = None) -> Delivery:
    """Ops sends a failed delivery on a new round of tries (the next job run picks it up)."""
    _ops(identity)
    deliveries = DeliveryRepository(uow.session)
    delivery = deliveries.get(delivery_id)
    if delivery is None:
        raise NotFound(_("No such delivery."))
    delivery.retry_by_hand(now or _now())
    deliveries.save(delivery)
    return delivery


def delivery_counts(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    return DeliveryRepository(uow.session).counts()


def _may_set_robot(identity: Identity, unit_id: uuid.UUID) -> bool:
    unit = str(unit_id)
    return (identity.has_role("org_department") or identity.has_role("branch_secretary", unit)
            or identity.has_role("general_branch_secretary", unit))


def put_robot(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, *, style: str, url: str, secret: str | None,
              active: bool, quiet_hours: dict | None, now: datetime | None = None) -> Robot:
    """A unit's secretary (or the organisation department) sets up the unit's chat robot."""
    if not _may_set_robot(identity, unit_id):
        raise Forbidden(_("Only the unit's secretary or the organisation department may set its robot."))
    robot = Robot(unit_id=unit_id, style=RobotStyle(style), url=url, secret=secret or None, active=active,
                  updated_at=now or _now(),
                  quiet_hours=QuietHours(quiet_hours["start"], quiet_hours["end"]) if quiet_hours else None)
    RobotRepository(uow.session).put(robot)
    return robot


def robot_secret(uow: UnitOfWork, unit_id: uuid.UUID) -> str | None:
    """The secret as it is now: a rotated secret signs what is still waiting to be sent."""
    robot = RobotRepository(uow.session).of_units([unit_id]).get(unit_id)
    return robot.secret if robot else None


def list_robots(uow: UnitOfWork, identity: Identity, *, limit: int, offset: int) -> tuple[list[Robot], int]:
    if not (identity.has_role("org_department") or identity.has_role("ops_admin")):
        raise Forbidden(_("Only the organisation department and ops see every robot."))
    return RobotRepository(uow.session).page(limit=limit, offset=offset)


def my_preferences(uow: UnitOfWork, identity: Identity) -> Preferences:
    """Mine as stored, or the defaults (every channel for every kind, no quiet hours)."""
    person_id = _owner(identity)
    return PreferenceRepository(uow.session).of([person_id]).get(person_id) or Preferences(person_id)


def set_preferences(uow: UnitOfWork, identity: Identity, *, channels: dict[str, list[str]],
                    quiet_hours: dict | None, daily_digest: bool, now: datetime | None = None) -> Preferences:
    chosen = Preferences(
        _owner(identity),
        channels={NoticeKind(kind): frozenset(Channel(c) for c in names) for kind, names in channels.items()},
        quiet_hours=QuietHours(quiet_hours["start"], quiet_hours["end"]) if quiet_hours else None,
        daily_digest=daily_digest, updated_at=now or _now())
    PreferenceRepository(uow.session).put(chosen)
    return chosen


def forget_directory_reads(uow: UnitOfWork) -> None:
    """After a directory event in a batch: what the batch read of the projection may be out of date."""
    _EventDirectory.forget(uow)
