"""Identity at the service's door: every ``/api`` route needs the gateway's signed identity
unless the view is marked ``@public``."""
from __future__ import annotations

from flask import current_app, g, request

from ..identity import IDENTITY_HEADER, Identity, IdentityVerifier, InvalidIdentity
from .errors import Unauthorized


def public(view):
    """Mark a view as reachable without an identity (public pledge wall, health)."""
    view._pacesetter_public = True
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
                raise Unauthorized(f"identity rejected: {exc}") from None
        if g.identity is None and request.path.startswith("/api/") and not getattr(view, "_pacesetter_public", False):
            raise Unauthorized(current_app.config.get(
                "IDENTITY_MISSING_MESSAGE",
                "This service is reached through the gateway, which signs the caller's identity."))


def current_identity() -> Identity:
    identity = g.get("identity")
    if identity is None:
        raise Unauthorized("no identity")
    return identity
