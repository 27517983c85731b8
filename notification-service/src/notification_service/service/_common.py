"""What the use cases share: their errors (answered as 404 and 403, see app.py), the clock, and whose inbox it is."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity

from ..domain.model import NotificationError


class NotFound(NotificationError):
    pass


class Forbidden(NotificationError):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _owner(identity: Identity) -> uuid.UUID:
    if identity.kind != "person":
        raise Forbidden(_("Only a person has an inbox."))
    return uuid.UUID(identity.subject)
