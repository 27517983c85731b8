"""/api/auth: login, refresh, logout, one's own password and entry. Thin views over service/identity.py."""
from __future__ import annotations

import uuid

from flask import request

from pacesetter_shared.web import Blueprint, current_identity, public
from pacesetter_shared.web.errors import ErrorSchema

from ..schemas.auth import LoginIn, MeIn, PasswordChangeIn, RefreshIn, TokensOut
from ..schemas.common import PersonOut
from ..service import directory
from ._views import gateway as _gateway, uow as _uow

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, refresh, logout, one's password")


THROTTLED = {"schema": ErrorSchema, "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}},
             "description": "Too many failed attempts at the account or from the address: wait Retry-After seconds"}


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, TokensOut)
@blp.alt_response(429, **THROTTLED)
@public
def login(credentials):
    """Failed attempts slow the next ones at the account and from the address (growing waits, then a lock);
    any Authorization header sent along is ignored."""
    return _gateway().tokens.login(credentials, request.remote_addr or "")


@blp.route("/refresh", methods=["POST"])
@blp.arguments(RefreshIn)
@blp.response(200, TokensOut)
@public
def refresh(body):
    return _gateway().tokens.refresh(body["refresh_token"])


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    current_identity()
    _gateway().tokens.logout(request.environ["pacesetter.session_id"])


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeIn)
@blp.response(204)
@blp.alt_response(429, **THROTTLED)
def change_password(body):
    """My own password: the current one (wrong ones count as failed logins), then a new one kept to the policy.
    My other sessions end; this one goes on."""
    identity = current_identity()
    _gateway().tokens.change_password(uuid.UUID(identity.subject), request.environ["pacesetter.session_id"],
                                      body["current_password"], body["new_password"], request.remote_addr or "")


@blp.route("/me", methods=["GET"])
@blp.response(200, PersonOut)
def me():
    with _uow() as uow:
        return directory.get_person(uow, uuid.UUID(current_identity().subject))


@blp.route("/me", methods=["PATCH"])
@blp.arguments(MeIn)
@blp.response(200, PersonOut)
def update_me(changes):
    """My own e-mail address (for notices) and language."""
    with _uow() as uow:
        return directory.update_person(uow, None, uuid.UUID(current_identity().subject), changes)

