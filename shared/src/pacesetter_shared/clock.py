"""The training clock (培训模式): the embedded suite run days ahead, so reminders, overdue pledges,
escalated cases and the end of 公示 show without waiting.

The shift is made inside the process with time-machine, which replaces the C functions behind
``time.time`` and ``datetime.now`` for every thread: the code, PyJWT's expiry checks, the identity
tokens, the scheduler and the timestamps written to SQLite all read one shifted time, while
``time.monotonic`` (timeouts, the broker's polling) stays real. libfaketime, preloaded under a
re-executed process, was tried first and refused: with Python 3.11 its 0.9.10 (Debian's) makes
``time.sleep`` fail with EINVAL once the monotonic clock is left real, and hangs threads' timed
waits when it is not (wolfcw/libfaketime#426, #390). No SQL here asks the database for its time.

Only the embedded mode may shift its clock; ``config.load_settings`` refuses CLOCK_OFFSET elsewhere.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_PART = re.compile(r"(\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_offset(text: str) -> timedelta:
    """``7d``, ``+7d``, ``-3d``, ``12h``, ``90m``, ``1d12h`` as a timedelta (negative: back in time);
    ValueError for anything else (a start-up setting: the operator reads it, in English)."""
    raw = (text or "").strip().lower()
    sign, body = (-1, raw[1:]) if raw.startswith("-") else (1, raw.removeprefix("+"))
    parts = _PART.findall(body)
    if not body or "".join(n + u for n, u in parts) != body:
        raise ValueError(f"{text!r}: expected a span such as 7d, -3d, 12h, 1d12h or 90m")
    offset = timedelta()
    for number, unit in parts:
        offset += timedelta(**{_UNITS[unit]: int(number)})
    return sign * offset


def describe(offset: timedelta) -> str:
    """The offset as people write it: +7d, -1d12h, +90m → +1h30m."""
    seconds = int(abs(offset).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = "".join(f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n) or "0m"
    return ("-" if offset < timedelta(0) else "+") + text


_travel = None


def shift(offset: timedelta) -> datetime:
    """Move this whole process's clock by ``offset`` from now on, ticking; return the shifted now (UTC).

    Called once, first thing, by the embedded launcher and by ``pacesetter-jobs`` on the embedded data.
    """
    global _travel
    try:
        import time_machine  # only the embedded mode needs it: a dependency of the suite package, not of a service
    except ImportError:
        raise RuntimeError("a clock offset needs time-machine, which pacesetter-suite installs") from None

    if _travel is not None:
        _travel.stop()
    _travel = time_machine.travel(datetime.now(timezone.utc) + offset, tick=True)
    _travel.start()
    return datetime.now(timezone.utc)
