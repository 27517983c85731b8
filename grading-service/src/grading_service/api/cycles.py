"""Grading cycles (评定周期): open, list, read, finalise — /api/grading/cycles."""
from __future__ import annotations

import uuid

from flask import current_app

from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..schemas.common import PageQuery
from ..schemas.cycles import CycleOpen, CycleOut, CyclePage
from ..service import cycles, finalising
from ._views import _page, _uow, blp


@blp.route("/cycles", methods=["POST"])
@blp.arguments(CycleOpen)
@blp.response(201, CycleOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_cycle(command):
    """Open a year's grading cycle (安排部署); organisation department only."""
    span = current_app.extensions["grading_cycle_year_span"]
    return write_once(CycleOut, lambda uow, who: cycles.open_cycle(uow, who, command, year_span=span), 201)


@blp.route("/cycles", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, CyclePage)
def list_cycles(query):
    with _uow()() as uow:
        return _page(*cycles.list_cycles(uow, query["limit"], query["offset"]), query)


@blp.route("/cycles/<uuid:cycle_id>", methods=["GET"])
@blp.response(200, CycleOut)
def get_cycle(cycle_id: uuid.UUID):
    with _uow()() as uow:
        return cycles.get_cycle(uow, cycle_id)


@blp.route("/cycles/<uuid:cycle_id>/finalise", methods=["POST"])
@blp.response(200, CycleOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def finalise(cycle_id: uuid.UUID):
    """After the publicity period, every objection answered: the results are final."""
    return write_once(CycleOut, lambda uow, who: finalising.finalise(uow, who, cycle_id))
