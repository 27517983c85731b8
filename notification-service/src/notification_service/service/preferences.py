"""My notification settings (通知设置): read them (or the defaults), replace them."""
from __future__ import annotations

from datetime import datetime

from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PreferenceRepository
from ..domain.delivery import Channel
from ..domain.model import NoticeKind
from ..domain.preferences import Preferences, QuietHours
from ._common import _now, _owner


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
