"""Sending deliveries (投递) once queued: the scheduled job that sends a channel's due ones, and ops' view of the
failed ones (投递失败), a retry by hand, and the counts /metrics reports."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Callable, Protocol

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..adapters.repository import DeliveryRepository
from ..domain.delivery import Channel, Delivery, DeliveryStatus, RetryPolicy
from ._common import Forbidden, NotFound, _now

log = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, delivery: Delivery) -> None: ...


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
