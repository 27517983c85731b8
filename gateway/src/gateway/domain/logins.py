"""How failed logins slow the next attempts: growing delays, then a lock. Plain Python."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# 2 ** this is plenty (years of delay): a count in the millions must not overflow a float.
_MOST_DOUBLINGS = 30


@dataclass(frozen=True)
class Refusal:
    seconds: int
    locked: bool


@dataclass(frozen=True)
class Backoff:
    """For one account, or one client address: from ``delay_after`` failures on, the next attempt waits
    ``first_delay`` seconds after the last failure, twice as long with each further failure up to
    ``longest_delay``; from ``lock_after`` failures on, ``lock_seconds``."""

    delay_after: int
    lock_after: int
    first_delay: float
    longest_delay: float
    lock_seconds: int

    def refusal(self, failures: int, last_failed_at: datetime, now: datetime) -> Refusal | None:
        if failures < self.delay_after:
            return None
        locked = failures >= self.lock_after
        pause = self.lock_seconds if locked else min(
            self.first_delay * 2 ** min(failures - self.delay_after, _MOST_DOUBLINGS), self.longest_delay)
        remaining = math.ceil((last_failed_at + timedelta(seconds=pause) - now).total_seconds())
        return Refusal(remaining, locked) if remaining > 0 else None


@dataclass(frozen=True)
class LoginRules:
    account: Backoff = Backoff(delay_after=5, lock_after=10, first_delay=2, longest_delay=60, lock_seconds=900)
    # One address may be a whole campus behind NAT: more failures before it slows down.
    address: Backoff = Backoff(delay_after=30, lock_after=100, first_delay=2, longest_delay=60, lock_seconds=900)
    # Failures are forgotten when none followed for this long (an account's also at its next successful login).
    forget_seconds: int = 3600

    def refusal(self, account: tuple[int, datetime] | None, address: tuple[int, datetime] | None,
                now: datetime) -> Refusal | None:
        """Whether an attempt must wait, from the (failures, last failure) of its account and its address."""
        refusals = [backoff.refusal(*counted, now) for backoff, counted in ((self.account, account),
                                                                            (self.address, address))
                    if counted is not None and not self.forgotten(counted[1], now)]
        refusals = [r for r in refusals if r is not None]
        if not refusals:
            return None
        return Refusal(max(r.seconds for r in refusals), any(r.locked for r in refusals))

    def forgotten(self, last_failed_at: datetime, now: datetime) -> bool:
        return (now - last_failed_at).total_seconds() > self.forget_seconds
