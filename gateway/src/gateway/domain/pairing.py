"""Pairing a counter device as a television pairs (设备配对; OAuth 2.0 Device Authorization Grant, RFC 8628).

A new kiosk or display asks for a pairing and shows a short user code and a QR code of the address to confirm it;
an organisation-department user (or the window's branch secretary) opens that address in the portal, chooses what
the device serves and confirms; the device, polling meanwhile, then receives its credential once. Plain Python.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

# RFC 8628 §6.1: twenty consonants, no vowels (no words), no look-alikes (0/O, 1/I); 20^8 ≈ 2.6 × 10^10 codes
USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
LIFETIME = timedelta(minutes=10)  # a code not confirmed by then is dead; the device asks for a new one
POLL_INTERVAL = 5  # seconds between a device's polls (RFC 8628 §3.2 interval)
DEVICE_KINDS = ("kiosk", "display")
# what a polling device is told (RFC 8628 §3.5)
PENDING, SLOW_DOWN, EXPIRED, UNKNOWN = "authorization_pending", "slow_down", "expired_token", "invalid_grant"


def new_user_code() -> str:
    return "".join(secrets.choice(USER_CODE_LETTERS) for _ in range(USER_CODE_LENGTH))


def new_device_code() -> str:
    return secrets.token_urlsafe(32)


def shown(user_code: str) -> str:
    """As the device shows it and a person types it: two groups of four (BDFG-HJKL)."""
    return f"{user_code[:4]}-{user_code[4:]}"


def typed(text: str) -> str | None:
    """A code as a person typed it (any case, with or without the dash or spaces), or None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in "- ")
    if len(code) != USER_CODE_LENGTH or any(ch not in USER_CODE_LETTERS for ch in code):
        return None
    return code


@dataclass(frozen=True)
class Pairing:
    """One pairing as the device polls it."""

    kind: str
    expires_at: datetime
    approved: bool
    collected: bool
    last_polled_at: datetime | None

    def refusal(self, now: datetime) -> str | None:
        """Why the device does not get its credential now (an RFC 8628 §3.5 error code), or None: it does."""
        if self.collected or now >= self.expires_at:
            return EXPIRED  # single use: a credential is handed out once
        if self.last_polled_at is not None and now - self.last_polled_at < timedelta(seconds=POLL_INTERVAL - 1):
            return SLOW_DOWN
        if not self.approved:
            return PENDING
        return None

    def can_approve(self, now: datetime) -> bool:
        return not self.approved and not self.collected and now < self.expires_at
