"""``Idempotency-Key`` for writes a kiosk or a flaky network may repeat.

The stored response is written in the same transaction as the write itself, so a repeat
either finds the first outcome or runs as if it were first; two racing twins collide on the
key's primary key and the loser returns the winner's response.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from flask import Response, current_app, jsonify, request
from marshmallow import Schema
from sqlalchemy.exc import IntegrityError

from ..db import idempotency_keys_table as keys
from ..i18n import _
from ..identity import Identity
from ..uow import UnitOfWork, UnitOfWorkFactory
from .errors import ApiError
from .security import current_identity

Action = Callable[[UnitOfWork], tuple[dict, int]]

# The header a writing view documents: ``@blp.doc(parameters=[IDEMPOTENCY_KEY])``.
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                   "description": "A write sent again with the same key (after a lost answer) is made once"}


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.get_data() or b"")
    return digest.hexdigest()


def _stored(uow: UnitOfWork, caller: str, key: str):
    return uow.session.execute(
        sa.select(keys.c.request_fingerprint, keys.c.status_code, keys.c.response)
        .where(keys.c.caller == caller, keys.c.key == key)
    ).first()


def _replay(row, fingerprint: str) -> tuple[dict, int]:
    if row.request_fingerprint != fingerprint:
        raise ApiError(_("This Idempotency-Key was already used for a different request."),
                       {"Idempotency-Key": [_("reused with a different request")]},
                       code="idempotency_key_reused", status=422)
    return row.response, row.status_code


def run_idempotently(uow_factory: UnitOfWorkFactory, caller: str, action: Action) -> Response:
    """Run ``action`` (which returns an already dumped body and a status) at most once per key.

    Returns a finished response, so the view's documented schema is not applied a second time.
    """
    key = request.headers.get("Idempotency-Key")
    if not key:
        with uow_factory() as uow:
            body, status = action(uow)
        return _respond(body, status)
    if len(key) > 200:
        raise ApiError(_("Idempotency-Key is too long (200 characters at most)."),
                       {"Idempotency-Key": [_("at most 200 characters")]}, code="validation_error", status=422)
    fingerprint = _fingerprint()
    try:
        with uow_factory() as uow:
            row = _stored(uow, caller, key)
            if row is not None:
                return _respond(*_replay(row, fingerprint), replayed=True)
            body, status = action(uow)
            body = json.loads(json.dumps(body, default=str))
            if status < 500:
                uow.session.execute(sa.insert(keys).values(
                    caller=caller, key=key, request_fingerprint=fingerprint, status_code=status,
                    response=body, created_at=datetime.now(timezone.utc)))
    except IntegrityError:
        with uow_factory() as uow:
            row = _stored(uow, caller, key)
        if row is None:
            raise
        return _respond(*_replay(row, fingerprint), replayed=True)
    return _respond(body, status)


def _respond(body: dict, status: int, replayed: bool = False) -> Response:
    response = jsonify(body)
    response.status_code = status
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def write_once(schema: type[Schema], use_case: Callable[[UnitOfWork, Identity], object], status: int = 200) -> Response:
    """The body most writing views share: ``use_case(uow, caller)`` in one unit of work, made once per
    Idempotency-Key, its result dumped with ``schema`` (the view's documented response)."""
    identity = current_identity()
    return run_idempotently(current_app.extensions["pacesetter"].uow_factory, identity.subject,
                            lambda uow: (schema().dump(use_case(uow, identity)), status))
