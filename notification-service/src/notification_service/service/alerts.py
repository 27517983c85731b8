"""The bad-rating alert (差评预警): feedback.negative's cases to the place's responsible person, each case counted
towards its window's alert, and the alert when the window's bad ratings cross the rule's threshold."""
from __future__ import annotations

import uuid
from datetime import datetime

from pacesetter_shared.events import Envelope
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import BadRatingRepository, DeliveryRepository, InboxRepository
from ..domain.alerts import AlertRule, alert_notices, top_reasons
from ..domain.feedback import cases_at_one_place
from ..domain.model import Notice
from ..domain.recipients import alert_recipients
from ..domain.routing import deliveries_for
from ._common import _now
from ._directory import _EventDirectory, _preferences
from .delivery import deliver


# three 不满意 or worse within an hour; ALERT_THRESHOLD / ALERT_SPAN_MINUTES once documented settings
ALERT_RULE = AlertRule()

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
