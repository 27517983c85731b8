"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid

from flask import current_app
from flask_smorest import Blueprint

from pacesetter_shared.web import current_identity
from pacesetter_shared.web.errors import NotFound as HttpNotFound
from pacesetter_shared.web.idempotency import run_idempotently

from . import service
from .domain.model import GUIDANCE
from .schemas import ACTIONS, GuidanceOut, PledgeAction, PledgeCreate, PledgeListQuery, PledgeOut, PledgePage

blp = Blueprint("pledges", __name__, url_prefix="/api/pledges", description="Pledges (党员承诺践诺)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


@blp.route("", methods=["POST"])
@blp.arguments(PledgeCreate)
@blp.response(201, PledgeOut)
@blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}])
def create_pledge(command):
    """Create a pledge (a draft, or submitted for review with ``submit: true``)."""
    identity = current_identity()

    def action(uow):
        return PledgeOut().dump(service.create_pledge(uow, identity, command)), 201

    return run_idempotently(_uow(), identity.subject, action)


@blp.route("", methods=["GET"])
@blp.arguments(PledgeListQuery, location="query")
@blp.response(200, PledgePage)
def list_pledges(query):
    """My pledges (``scope=mine``) or the pledges waiting for my review (``scope=review``)."""
    with _uow()() as uow:
        items, total = service.list_pledges(uow, current_identity(), query["scope"], states=query["state"],
                                            year=query["year"], limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/guidance/<string:department_kind>", methods=["GET"])
@blp.response(200, GuidanceOut)
def guidance(department_kind):
    """Suggested areas and themes for a department kind (分类指导)."""
    if department_kind not in GUIDANCE:
        raise HttpNotFound("No guidance for that department kind.", {"department_kind": list(GUIDANCE)})
    g = GUIDANCE[department_kind]
    return {"department_kind": department_kind, "areas": [a.value for a in g["areas"]],
            "themes_zh": g["themes_zh"], "themes_en": g["themes_en"]}


@blp.route("/<uuid:pledge_id>", methods=["GET"])
@blp.response(200, PledgeOut)
def get_pledge(pledge_id: uuid.UUID):
    with _uow()() as uow:
        return service.get_pledge(uow, current_identity(), pledge_id)


@blp.route("/<uuid:pledge_id>/<any(" + ", ".join(ACTIONS) + "):action>", methods=["POST"])
@blp.arguments(PledgeAction)
@blp.response(200, PledgeOut)
@blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}])
def act(body, pledge_id: uuid.UUID, action: str):
    """Move a pledge along its life cycle: submit, return, approve, publish, fulfil, withdraw."""
    identity = current_identity()

    def run(uow):
        pledge = service.act_on_pledge(uow, identity, pledge_id, action, body.get("reason"))
        return PledgeOut().dump(pledge), 200

    return run_idempotently(_uow(), identity.subject, run)
