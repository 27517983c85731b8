"""Counter kiosks (评价器): devices paired to one window, each with its own secret credential.

The credential (``<device id>.<secret>``) is shown once at registration and stored only as a
hash. A kiosk's identity names its window, so a service can refuse a rating for another window.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity, sign_identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import kiosk_devices, windows
from .directory import Forbidden, NotFound
from .identity import AuthenticationFailed

CACHE_SECONDS = 5.0  # a revoked device is refused by every gateway process within this
SHANGHAI = ZoneInfo("Asia/Shanghai")


class KioskRevoked(AuthenticationFailed):
    """A device the organisation department or ops revoked (or whose window closed): it must be paired again,
    which the device tells its staff by this code rather than "wrong credential"."""

    code = "kiosk_revoked"


def device_secret_hash(secret: str) -> str:
    """How a device's secret is stored: a hash (the secret is long and random, so no slow hash is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_admin(identity: Identity) -> None:
    if not (identity.has_role("org_department") or identity.has_role("ops_admin")):
        raise Forbidden(_("Only the organisation department or ops register kiosk devices."))


def register_device(uow: UnitOfWork, identity: Identity, window_id, name: str) -> dict:
    _require_admin(identity)
    if uow.session.execute(sa.select(windows.c.id).where(windows.c.id == window_id)).first() is None:
        raise NotFound(_("No such window."))
    device_id, secret = uuid.uuid4(), secrets.token_urlsafe(24)
    uow.session.execute(sa.insert(kiosk_devices).values(
        id=device_id, name=name, window_id=window_id, secret_hash=device_secret_hash(secret),
        registered_by=uuid.UUID(identity.subject), created_at=datetime.now(timezone.utc)))
    return get_device(uow, device_id) | {"credential": f"{device_id}.{secret}"}


def revoke_device(uow: UnitOfWork, identity: Identity, device_id) -> dict:
    _require_admin(identity)
    get_device(uow, device_id)
    uow.session.execute(sa.update(kiosk_devices).where(kiosk_devices.c.id == device_id,
                                                       kiosk_devices.c.revoked_at.is_(None))
                        .values(revoked_at=datetime.now(timezone.utc)))
    return get_device(uow, device_id)


def get_device(uow: UnitOfWork, device_id) -> dict:
    row = uow.session.execute(sa.select(kiosk_devices).where(kiosk_devices.c.id == device_id)).first()
    if row is None:
        raise NotFound(_("No such kiosk device."))
    return {k: v for k, v in row._mapping.items() if k != "secret_hash"}


def list_devices(uow: UnitOfWork, identity: Identity, limit: int, offset: int, window_id=None):
    _require_admin(identity)
    query = sa.select(kiosk_devices)
    if window_id is not None:
        query = query.where(kiosk_devices.c.window_id == window_id)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(kiosk_devices.c.created_at).limit(limit).offset(offset)).all()
    return [{k: v for k, v in r._mapping.items() if k != "secret_hash"} for r in rows], total


class KioskAuthenticator:
    """``Authorization: Kiosk <credential>`` → the device's signed identity."""

    def __init__(self, engine: sa.Engine, identity_private_key: str):
        self.engine = engine
        self.identity_private_key = identity_private_key
        self._cache: dict[str, tuple[float, Identity, str]] = {}
        self._lock = threading.Lock()

    def forget(self, device_id) -> None:
        """Drop a revoked device from this process's cache at once."""
        with self._lock:
            for credential in [c for c, v in self._cache.items() if v[1].subject == str(device_id)]:
                self._cache.pop(credential, None)

    def identity_for(self, credential: str) -> tuple[Identity, str]:
        cached = self._cache.get(credential)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1], cached[2]
        device_part, _sep, secret = credential.partition(".")
        try:
            device_id = uuid.UUID(device_part)
        except ValueError:
            raise AuthenticationFailed(_("The kiosk credential is not valid.")) from None
        with self.engine.connect() as conn:
            # a display of a whole unit has no window
            row = conn.execute(
                sa.select(kiosk_devices.c.secret_hash, kiosk_devices.c.revoked_at, kiosk_devices.c.window_id,
                          kiosk_devices.c.name, kiosk_devices.c.kind, kiosk_devices.c.unit_id.label("own_unit_id"),
                          windows.c.unit_id, windows.c.active)
                .outerjoin(windows, windows.c.id == kiosk_devices.c.window_id)
                .where(kiosk_devices.c.id == device_id)).first()
        if row is None or not hmac.compare_digest(row.secret_hash, device_secret_hash(secret)):
            raise AuthenticationFailed(_("The kiosk credential is not valid."))
        if row.revoked_at is not None:
            when = row.revoked_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
            raise KioskRevoked(_("This device ({name}) was revoked on {when} (Beijing time): pair it again.",
                                 name=row.name, when=when))
        if row.window_id is not None and not row.active:
            raise KioskRevoked(_("The window of this device ({name}) is closed: pair it to an open window.",
                                 name=row.name))
        identity = Identity(subject=str(device_id), kind=row.kind, name=row.name,
                            unit_id=str(row.unit_id or row.own_unit_id),
                            window_id=str(row.window_id) if row.window_id else None)
        signed = sign_identity(identity, self.identity_private_key, ttl_seconds=300)
        with self._lock:
            if len(self._cache) > 5000:
                self._cache.clear()
            self._cache[credential] = (time.monotonic(), identity, signed)
        return identity, signed
