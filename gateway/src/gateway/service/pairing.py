"""Pairing a kiosk or a display by a short code (设备配对, RFC 8628): the use cases behind /api/devices/pairings.

The device's secret is the device code it was given and keeps: once a person confirms, the device made for it is
stored with that code's hash, so no secret is ever stored in the clear, and the device collects its credential
(``<device id>.<device code>``) exactly once.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import device_pairings, kiosk_devices, units, windows
from ..domain.pairing import (
    LIFETIME, POLL_INTERVAL, UNKNOWN, Pairing, new_device_code, new_user_code, shown, typed,
)
from .directory import Conflict, NotFound, require_window_manager
from .kiosks import device_secret_hash, get_device

VERIFICATION_PATH = "/devices/pair"  # the portal's page where a person confirms a code


class UnknownCode(NotFound):
    """A code no device is waiting with (mistyped, expired or used): counted against the person who tried it."""


def start(uow: UnitOfWork, kind: str, base_url: str, now: datetime | None = None) -> dict:
    """A new device asks to be paired: its device code (kept secret on the device) and the code it shows."""
    now = now or datetime.now(timezone.utc)
    device_code = new_device_code()
    for _attempt in range(5):  # a clash of two live 8-letter codes is rare; a new draw settles it
        user_code = new_user_code()
        try:
            with uow.session.begin_nested():
                uow.session.execute(sa.insert(device_pairings).values(
                    id=uuid.uuid4(), kind=kind, device_code_hash=device_secret_hash(device_code), user_code=user_code,
                    created_at=now, expires_at=now + LIFETIME))
            break
        except IntegrityError:
            continue
    else:
        raise Conflict(_("No pairing code could be made; try again."))
    # the codes of pairings long dead are forgotten, so that they can be drawn again
    uow.session.execute(sa.delete(device_pairings).where(device_pairings.c.expires_at < now - LIFETIME,
                                                         device_pairings.c.collected_at.is_(None)))
    verification = base_url.rstrip("/") + VERIFICATION_PATH
    return {"device_code": device_code, "user_code": shown(user_code), "verification_uri": verification,
            "verification_uri_complete": f"{verification}?code={shown(user_code)}",
            "expires_in": int(LIFETIME.total_seconds()), "interval": POLL_INTERVAL}


def _pairing(row) -> Pairing:
    return Pairing(kind=row.kind, expires_at=row.expires_at, approved=row.approved_at is not None,
                   collected=row.collected_at is not None, last_polled_at=row.last_polled_at)


def _by_user_code(uow: UnitOfWork, text: str, now: datetime):
    code = typed(text)
    row = None if code is None else uow.session.execute(
        sa.select(device_pairings).where(device_pairings.c.user_code == code)).first()
    if row is None or not _pairing(row).can_approve(now):
        # one answer for a mistyped, an expired and a used code: a guesser learns nothing from which
        raise UnknownCode(_("No device is waiting with this code: check it on the device's screen, or let the device "
                         "show a new one."))
    return row


def look_up(uow: UnitOfWork, identity: Identity, text: str, now: datetime | None = None) -> dict:
    """For the portal's confirmation page: what kind of device waits with this code, and until when."""
    row = _by_user_code(uow, text, now or datetime.now(timezone.utc))
    return {"user_code": shown(row.user_code), "kind": row.kind, "expires_at": row.expires_at}


def approve(uow: UnitOfWork, identity: Identity, text: str, name: str, window_id=None, unit_id=None,
            now: datetime | None = None) -> dict:
    """A person confirms the code shown on a device and says what it serves: the device is made, its credential
    waits for the device to collect it."""
    now = now or datetime.now(timezone.utc)
    row = _by_user_code(uow, text, now)
    if row.kind == "kiosk" and (window_id is None or unit_id is not None):
        raise Conflict(_("A kiosk rates one window: choose the window."))
    if row.kind == "display" and (window_id is None) == (unit_id is None):
        raise Conflict(_("A display shows one window or one unit: choose one of them."))
    if window_id is not None:
        window = uow.session.execute(sa.select(windows.c.unit_id, windows.c.active)
                                     .where(windows.c.id == window_id)).first()
        if window is None or not window.active:
            raise NotFound(_("No such window."))
        require_window_manager(uow, identity, window.unit_id)
    else:
        active = uow.session.execute(sa.select(units.c.active).where(units.c.id == unit_id)).scalar()
        if not active:
            raise NotFound(_("No such unit."))
        require_window_manager(uow, identity, unit_id)
    device_id = uuid.uuid4()
    uow.session.execute(sa.insert(kiosk_devices).values(
        id=device_id, kind=row.kind, name=name, window_id=window_id, unit_id=unit_id,
        secret_hash=row.device_code_hash, registered_by=uuid.UUID(identity.subject), created_at=now))
    done = uow.session.execute(sa.update(device_pairings).where(device_pairings.c.id == row.id,
                                                                device_pairings.c.approved_at.is_(None))
                               .values(approved_by=uuid.UUID(identity.subject), approved_at=now, device_id=device_id))
    if done.rowcount != 1:  # another person confirmed the same code a moment earlier
        raise UnknownCode(_("No device is waiting with this code: check it on the device's screen, or let the device "
                         "show a new one."))
    return get_device(uow, device_id)


def collect(uow: UnitOfWork, device_code: str, now: datetime | None = None) -> dict:
    """The device polls: its credential once confirmed (once only), else ``{"refusal": code}`` saying why not
    (RFC 8628 §3.5: authorization_pending, slow_down, expired_token; invalid_grant for a code never given)."""
    now = now or datetime.now(timezone.utc)
    row = uow.session.execute(sa.select(device_pairings).where(
        device_pairings.c.device_code_hash == device_secret_hash(device_code)).with_for_update()).first()
    if row is None:
        return {"refusal": UNKNOWN}
    pairing = _pairing(row)
    polled = sa.update(device_pairings).where(device_pairings.c.id == row.id)
    refusal = pairing.refusal(now)
    if refusal is not None:
        # returned, not raised, so that the time of this poll is kept (the next one too soon is told to slow down)
        uow.session.execute(polled.values(last_polled_at=now))
        return {"refusal": refusal}
    uow.session.execute(polled.values(last_polled_at=now, collected_at=now))
    device = get_device(uow, row.device_id)
    return {"credential": f"{row.device_id}.{device_code}", "id": row.device_id, "kind": device["kind"],
            "name": device["name"],
            "window_id": device["window_id"], "unit_id": device["unit_id"]}
