"""Rectification (整改提高) and its acceptance (考核验收): a branch's plan, its tasks' progress, the next cycle's
verdict — /api/grading/cycles/{cycle_id}/branches/{branch_id}/rectification, …/acceptance,
/api/grading/rectification/tasks."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..schemas.rectifications import AcceptanceIn, PlanIn, PlanOut, ProgressIn
from ..service import acceptance, rectification
from ._views import _uow, blp


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/rectification", methods=["POST"])
@blp.arguments(PlanIn)
@blp.response(201, PlanOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_plan(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """The branch's rectification plan (整改提高) after the final results, with its tasks."""
    return write_once(PlanOut, lambda uow, who: rectification.create_plan(uow, who, cycle_id, branch_id, body), 201)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/rectification", methods=["GET"])
@blp.response(200, PlanOut)
def get_plan(cycle_id: uuid.UUID, branch_id: uuid.UUID):
    with _uow()() as uow:
        return rectification.get_plan(uow, current_identity(), cycle_id, branch_id)


@blp.route("/rectification/tasks/<uuid:task_id>/progress", methods=["POST"])
@blp.arguments(ProgressIn)
@blp.response(200, PlanOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def report_progress(body, task_id: uuid.UUID):
    return write_once(PlanOut, lambda uow, who: rectification.report_progress(uow, who, task_id, body["percent"],
                                                                     body["note"]))


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/acceptance", methods=["POST"])
@blp.arguments(AcceptanceIn)
@blp.response(200, PlanOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def accept_rectification(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """考核验收 of the branch's last plan, while this (next) cycle is classified."""
    return write_once(PlanOut, lambda uow, who: acceptance.accept_rectification(uow, who, cycle_id, branch_id, body))
