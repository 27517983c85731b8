"""Objections (异议) to a published level and their answers: /api/grading/cycles/{cycle_id}/objections and
…/branches/{branch_id}/objections."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..schemas.objections import AnswerIn, ObjectionIn, ObjectionOut, ObjectionPage, ObjectionQuery
from ..service import publicity
from ._views import _page, _uow, blp


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/objections", methods=["POST"])
@blp.arguments(ObjectionIn)
@blp.response(201, ObjectionOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def lodge_objection(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """Lodge an objection (异议) to a branch's result during the publicity period (any member or secretary)."""
    return write_once(ObjectionOut, lambda uow, who: publicity.lodge_objection(uow, who, cycle_id, branch_id,
                                                                          body["text"]), 201)


@blp.route("/cycles/<uuid:cycle_id>/objections", methods=["GET"])
@blp.arguments(ObjectionQuery, location="query")
@blp.response(200, ObjectionPage)
def list_objections(query, cycle_id: uuid.UUID):
    """Objections to the branches a secretary oversees, and those the caller lodged, with their answers;
    only mine, answered or not, of one branch."""
    filters = {"mine": query["mine"], "answered": query["answered"], "branch_id": query["branch_id"]}
    with _uow()() as uow:
        return _page(*publicity.list_objections(uow, current_identity(), cycle_id, query["limit"],
                                              query["offset"], filters), query)


@blp.route("/cycles/<uuid:cycle_id>/objections/<uuid:objection_id>/answer", methods=["POST"])
@blp.arguments(AnswerIn)
@blp.response(200, ObjectionOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def answer_objection(body, cycle_id: uuid.UUID, objection_id: uuid.UUID):
    return write_once(ObjectionOut, lambda uow, who: publicity.answer_objection(uow, who, cycle_id, objection_id,
                                                                          body["answer"]))
