"""Deliveries (投递): one row per (event, recipient, channel), tried until it succeeds or is declared failed.

The inbox is written with the event and is delivered at once; e-mail and webhook deliveries wait
for a scheduled job, so a slow or dead server never holds up the inbox or another channel.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from pacesetter_shared.i18n import _

from .model import NotificationError


class Channel(str, Enum):
    INBOX = "inbox"  # 站内消息
    EMAIL = "email"  # 电子邮件
    WEBHOOK = "webhook"  # 群机器人


class DeliveryStatus(str, Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # out of tries: waits for ops to retry it by hand


class NotRetryable(NotificationError):
    """Only a delivery declared failed can be retried by hand."""


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff between tries: base, then ``factor`` times longer each time, never above ``cap``."""

    max_attempts: int = 6
    base: timedelta = timedelta(seconds=30)
    factor: int = 4
    cap: timedelta = timedelta(hours=6)

    def delay_after(self, attempts: int) -> timedelta:
        return min(self.base * self.factor ** (attempts - 1), self.cap)


@dataclass
class Delivery:
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    recipient_id: uuid.UUID  # a person, or for a webhook the unit whose robot it is
    channel: Channel
    address: str | None  # e-mail address or webhook URL; None for the inbox
    message: dict = field(default_factory=dict)  # what to send, rendered when the event arrived
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    delivered_at: datetime | None = None

    def succeeded(self, now: datetime) -> None:
        self.attempts += 1
        self.status, self.delivered_at, self.next_attempt_at = DeliveryStatus.DELIVERED, now, None

    def attempt_failed(self, now: datetime, error: str, policy: RetryPolicy) -> None:
        self.attempts += 1
        self.last_error = error[:1000]
        if self.attempts >= policy.max_attempts:
            self.status, self.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            self.next_attempt_at = now + policy.delay_after(self.attempts)

    def retry_by_hand(self, now: datetime) -> None:
        """Ops asks for a new round of tries: the count starts again, the last error stays for the record."""
        if self.status is not DeliveryStatus.FAILED:
            raise NotRetryable(_("Only a failed delivery can be retried."), {"status": self.status.value})
        self.status, self.attempts, self.next_attempt_at = DeliveryStatus.PENDING, 0, now

