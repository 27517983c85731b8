"""Units' chat robots (群机器人): set one up, list them all — /api/notifications/robots."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity

from ..schemas.common import PageQuery
from ..schemas.robots import RobotIn, RobotOut, RobotPage
from ..service import robots
from ._views import _uow, blp


# PUT sets the whole robot: repeating it changes nothing, so no Idempotency-Key.
@blp.route("/robots/<uuid:unit_id>", methods=["PUT"])
@blp.arguments(RobotIn)
@blp.response(200, RobotOut)
def put_robot(body, unit_id: uuid.UUID):
    """Set up the unit's chat robot (群机器人): the unit's secretary or the organisation department."""
    with _uow()() as uow:
        return robots.put_robot(uow, current_identity(), unit_id, **body)


@blp.route("/robots", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, RobotPage)
def list_robots(query):
    """Every unit's chat robot (organisation department, ops)."""
    with _uow()() as uow:
        items, total = robots.list_robots(uow, current_identity(), limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}
