"""Rate limits per person, per kiosk device, per display screen and per client address for anonymous callers,
and how many unknown pairing codes a person may try.

The ``limits`` library keeps the counters: in memory for one process (the embedded mode), in
Redis when several gateway processes must share them (``RATE_LIMIT_STORAGE=redis://…``).
"""
from __future__ import annotations

import math
import time

from limits import parse, storage, strategies

from pacesetter_shared.config import ConfigurationError


class RateLimits:
    def __init__(self, storage_uri: str, person: str, kiosk: str, anonymous: str, display: str = "60/minute",
                 pairing: str = "10/10minutes"):
        try:
            backend = storage.storage_from_string(storage_uri)
        except Exception as exc:
            raise ConfigurationError(f"RATE_LIMIT_STORAGE={storage_uri!r}: {exc}") from None
        self._limiter = strategies.FixedWindowRateLimiter(backend)
        self._limits = {}
        for kind, text in (("person", person), ("kiosk", kiosk), ("anonymous", anonymous), ("display", display),
                           ("pairing", pairing)):
            try:
                self._limits[kind] = parse(text)
            except ValueError:
                raise ConfigurationError(
                    f"RATE_LIMIT_{kind.upper()}={text!r}: expected a rate such as 600/minute") from None

    def retry_after(self, kind: str, key: str) -> int | None:
        """None when the call may go on; else the seconds to wait."""
        return self._wait(kind, key, self._limiter.hit)

    def waiting(self, kind: str, key: str) -> int | None:
        """Like retry_after, without counting this call: for limits on failures, counted only when one happens."""
        return self._wait(kind, key, self._limiter.test)

    def _wait(self, kind: str, key: str, allows) -> int | None:
        limit = self._limits[kind]
        if allows(limit, kind, key):
            return None
        reset = self._limiter.get_window_stats(limit, kind, key).reset_time
        return max(1, math.ceil(reset - time.time()))
