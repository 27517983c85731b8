"""Ops: deliveries that ran out of tries (投递失败), and sending one again — /api/notifications/deliveries."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity
from pacesetter_shared.web.idempotency import run_idempotently

from ..schemas.common import PageQuery
from ..schemas.deliveries import DeliveryOut, DeliveryPage
from ..service import dispatch
from ._views import _uow, blp


@blp.route("/deliveries/failed", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, DeliveryPage)
def failed_deliveries(query):
    """Ops: deliveries that ran out of tries, newest first (投递失败)."""
    with _uow()() as uow:
        items, total = dispatch.failed_deliveries(uow, current_identity(), limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/deliveries/<uuid:delivery_id>/retry", methods=["POST"])
@blp.response(200, DeliveryOut)
@blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}, "required": False}])
def retry_delivery(delivery_id: uuid.UUID):
    """Ops: send a failed delivery on a new round of tries."""
    identity = current_identity()
    return run_idempotently(_uow(), identity.subject, lambda uow: (
        DeliveryOut().dump(dispatch.retry_delivery(uow, identity, delivery_id)), 200))
