"""What several of the gateway's views share: its context and a unit of work (a write made once per Idempotency-Key
is ``pacesetter_shared.web.idempotency.write_once``)."""
from __future__ import annotations

from flask import current_app


def gateway():
    return current_app.extensions["gateway"]


def uow():
    return current_app.extensions["pacesetter"].uow_factory()
