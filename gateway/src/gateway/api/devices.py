"""/api/devices: pairing a kiosk or display by a short code (RFC 8628), and what a paired device serves. Thin views
over service/pairing.py and service/kiosks.py."""
from __future__ import annotations

import uuid

from flask import request

from pacesetter_shared.i18n import _
from pacesetter_shared.web import Blueprint, anonymous_allowed, current_identity, device_allowed
from pacesetter_shared.web.errors import ApiError, BadRequest, ErrorSchema

from ..domain.pairing import EXPIRED, PENDING, POLL_INTERVAL, SLOW_DOWN, UNKNOWN
from ..schemas.devices import (
    DeviceOut, PairingApproveIn, PairingCodePath, PairingOut, PairingStartIn, PairingStartOut, PairingTokenIn,
    PairingTokenOut,
)
from ..schemas.common import KioskOut
from ..service import directory, kiosks, pairing
from ._views import gateway as _gateway, uow as _uow

blp = Blueprint("devices", __name__, url_prefix="/api/devices",
                description="Kiosks and display screens pair by a short code, as a television does (设备配对, "
                            "OAuth 2.0 Device Authorization Grant, RFC 8628)")

# What a polling device is told (RFC 8628 §3.5), in the one error shape with the RFC's code
PAIRING_REFUSALS = {
    PENDING: _("Waiting for the code to be confirmed in the portal."),
    SLOW_DOWN: _("Polling too often: wait {seconds} s between polls.", seconds=POLL_INTERVAL),
    EXPIRED: _("This pairing has expired or its credential was handed out already: ask for a new code."),
    UNKNOWN: _("No such pairing: ask for a new code."),
}


@blp.route("/pairings", methods=["POST"])
@blp.arguments(PairingStartIn)
@blp.response(201, PairingStartOut)
@anonymous_allowed
def start_pairing(data):
    """A new kiosk or display asks to be paired: it keeps the device code, shows the user code and a QR code of
    ``verification_uri_complete``, and polls ``/pairings/token`` every ``interval`` seconds. Codes live 10 minutes."""
    with _uow() as uow:
        return pairing.start(uow, data["kind"], request.host_url)


@blp.route("/pairings/token", methods=["POST"])
@blp.arguments(PairingTokenIn)
@blp.response(200, PairingTokenOut)
@blp.alt_response(400, schema=ErrorSchema, description="error.code: authorization_pending, slow_down, "
                                                               "expired_token or invalid_grant (RFC 8628 §3.5)")
@anonymous_allowed
def collect_pairing(data):
    """The device polls: once a person confirmed its code, its credential (``Authorization: Kiosk …``), handed out
    this once."""
    with _uow() as uow:
        answer = pairing.collect(uow, data["device_code"])
    if "refusal" in answer:
        raise BadRequest(PAIRING_REFUSALS[answer["refusal"]], code=answer["refusal"])
    return answer


def _trying_a_code(attempt):
    """Unknown codes a person tries are counted (RATE_LIMIT_PAIRING_CODES): guessing one is slow."""
    identity = current_identity()
    limits = _gateway().limits
    wait = limits.waiting("pairing", identity.subject) if limits else None
    if wait is not None:
        raise ApiError(_("Too many unknown codes tried; try again in {seconds} s.", seconds=wait), status=429,
                       code="too_many_requests")
    try:
        return attempt(identity)
    except pairing.UnknownCode:
        if limits:
            limits.retry_after("pairing", identity.subject)
        raise


@blp.route("/pairings/<code>", methods=["GET"])
@blp.arguments(PairingCodePath, location="path")
@blp.response(200, PairingOut)
def look_up_pairing(path, code):
    """For the portal's confirmation page: what kind of device waits with this code (404 for an unknown, expired or
    used code; 429 after too many unknown ones)."""
    with _uow() as uow:
        return _trying_a_code(lambda identity: pairing.look_up(uow, identity, path["code"]))


@blp.route("/pairings/<code>/approve", methods=["POST"])
@blp.arguments(PairingCodePath, location="path")
@blp.arguments(PairingApproveIn)
@blp.response(201, KioskOut)
def approve_pairing(path, data, code):
    """Confirm the code a device shows and say what it serves: a kiosk one window, a display one window or one
    unit. The organisation department, ops, or the secretary of the window's (the unit's) branch or general branch."""
    with _uow() as uow:
        return _trying_a_code(lambda identity: pairing.approve(
            uow, identity, path["code"], data["name"], window_id=data["window_id"], unit_id=data["unit_id"]))


@blp.route("/me", methods=["GET"])
@blp.response(200, DeviceOut)
@device_allowed
def this_device():
    """For a paired kiosk or display: what it is and what it serves (a display learns its window or unit here)."""
    identity = current_identity()
    if identity.kind not in ("kiosk", "display"):
        raise directory.Forbidden(_("Only a paired device asks what it serves."))
    with _uow() as uow:
        return kiosks.get_device(uow, uuid.UUID(identity.subject))


