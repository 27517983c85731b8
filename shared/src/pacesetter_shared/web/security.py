"""Identity at the service's door: every ``/api`` route needs the gateway's signed identity
unless the view is marked ``@public``; ``/metrics`` is the operators' only."""
from __future__ import annotations

import hmac
import ipaddress

from flask import current_app, g, request

from ..config import ConfigurationError
from ..i18n import _
from ..identity import IDENTITY_HEADER, Identity, IdentityVerifier, InvalidIdentity
from .errors import Forbidden, NotFound, Unauthorized


def public(view):
    """Mark a view as reachable without any identity, even called directly (public pledge wall)."""
    view._pacesetter_access = "public"
    return view


def anonymous_allowed(view):
    """Mark a view as open to someone not logged in, through the gateway (suggestion box, online
    ratings): the gateway's signed anonymous identity, and so its rate limits, are still required."""
    view._pacesetter_access = "anonymous"
    return view


def kiosk_allowed(view):
    """Mark a view that a kiosk device may call although it is no person (the window it is paired to)."""
    view._pacesetter_access = "kiosk"
    return view


def device_allowed(view):
    """Mark a view that any paired counter device, kiosk or display screen, may call (what it was paired to)."""
    view._pacesetter_access = "device"
    return view


def install_identity_check(app, verifier: IdentityVerifier) -> None:
    @app.before_request
    def _check_identity():
        g.identity = None
        token = request.headers.get(IDENTITY_HEADER)
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        if token:
            try:
                g.identity = verifier.verify(token)
            except InvalidIdentity as exc:
                # what was wrong with the signed identity (expired, a bad signature) is for developers: in details
                raise Unauthorized(_("The identity is rejected."), {"identity": [str(exc)]}) from None
        if not request.path.startswith("/api/"):
            return
        access = getattr(view, "_pacesetter_access", "person")
        if g.identity is None and access != "public":
            raise Unauthorized(current_app.config.get(
                "IDENTITY_MISSING_MESSAGE",
                _("This service is reached through the gateway, which signs the caller's identity.")))
        if g.identity is not None and g.identity.kind == "anonymous" and access in ("person", "kiosk", "device"):
            raise Unauthorized(_("Log in first."))
        if g.identity is not None and g.identity.kind == "kiosk" and access == "person":
            # A counter device rates its window; what people read and do is not for it.
            raise Forbidden(_("A kiosk device only rates its own window."))
        if g.identity is not None and g.identity.kind == "display" and access in ("person", "kiosk"):
            raise Forbidden(_("A display screen only reads what it shows."))


def current_identity() -> Identity:
    """The verified caller; "anonymous" only in views marked ``anonymous_allowed``."""
    identity = g.get("identity")
    if identity is None:
        raise Unauthorized(_("Log in first."))
    return identity


def metrics_networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """METRICS_NETWORKS as networks; a value that is no CIDR list stops the service at start."""
    return cidr_networks("METRICS_NETWORKS", text)


def cidr_networks(setting: str, text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """A setting's comma-separated CIDR networks; a value that is no CIDR list stops the service at start."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigurationError(f"{setting}={text!r}: {exc}") from None


def client_address() -> str | None:
    """The caller's address as the gateway saw it (after its TRUSTED_PROXIES): the gateway sets X-Forwarded-For
    itself on every request it passes on, and only a request with its signed identity came through it."""
    if g.get("identity") is None:
        return None
    return request.headers.get("X-Forwarded-For", "").split(",")[0].strip() or None


def address_in(address: str | None, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack socket's view of an IPv4 client
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def install_metrics_guard(app, networks, token: str | None) -> None:
    """/metrics tells how busy each part is, which routes fail and how the queues stand: it answers the
    operators' network (METRICS_NETWORKS) and a scraper holding METRICS_TOKEN; anyone else learns nothing,
    not even that it exists (404, as for any unknown address)."""
    @app.before_request
    def _metrics_for_operators():
        if request.path != "/metrics":
            return
        scheme, _sep, credential = request.headers.get("Authorization", "").partition(" ")
        if token and scheme.lower() == "bearer" and hmac.compare_digest(credential.strip().encode(), token.encode()):
            return
        if address_in(request.remote_addr, networks):
            return
        raise NotFound(_("No such address: /{route}.", route="metrics"))
