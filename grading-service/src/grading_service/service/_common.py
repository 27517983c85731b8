"""What the use cases share: their errors (answered as 404, 403 and 401, see app.py) and the date people live in."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from ..domain.model import GradingError


SHANGHAI = ZoneInfo("Asia/Shanghai")


class NotFound(GradingError):
    pass


class Forbidden(GradingError):
    pass


class LoginRequired(GradingError):
    """Someone not logged in asked for what only the organisation's people, or its campus network, may read."""


def today_in_china(now: datetime | None = None) -> date:
    """People's dates are Shanghai dates; storage stays UTC."""
    return (now or datetime.now(timezone.utc)).astimezone(SHANGHAI).date()
