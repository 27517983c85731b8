"""Publicity (公示): publish a cycle's levels, who may read the list, the list itself —
/api/grading/cycles/{cycle_id}/publish, …/publicity-access, …/publicity."""
from __future__ import annotations

import uuid

from flask import current_app

from pacesetter_shared.web import anonymous_allowed, current_identity
from pacesetter_shared.web.security import address_in, client_address
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..schemas.common import BranchQuery
from ..schemas.cycles import CycleOut
from ..schemas.publicity import PublicityAccessIn, PublicityPage
from ..service import publicity as service
from ._views import _branch_filters, _page, _uow, blp


@blp.route("/cycles/<uuid:cycle_id>/publish", methods=["POST"])
@blp.response(200, CycleOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY], responses={"409": {"description": (
    "Not published: a branch has no level yet (its message names them, ``details.branch_ids`` lists them), "
    "the 先进 exceed the cap (code ``advanced_cap_exceeded``), or the cycle is already published")}})
def publish(cycle_id: uuid.UUID):
    """Start the publicity period (公示); organisation department only.

    Every branch's level must first be confirmed (or overridden with a reason) by its general branch
    (``POST …/branches/{branch_id}/level``): while one has none, the answer is 409 naming those branches. Refused
    too while the 先进 exceed the cap. Every branch and general branch secretary is told, with the objection
    deadline (``grading.publicity_started``)."""
    return write_once(CycleOut, lambda uow, who: service.publish(uow, who, cycle_id))


@blp.route("/cycles/<uuid:cycle_id>/publicity-access", methods=["PUT"])
@blp.arguments(PublicityAccessIn)
@blp.response(200, CycleOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def set_publicity_access(body, cycle_id: uuid.UUID):
    """组织部 chooses whether the publicity list is also read without login from the campus network
    (the PUBLICITY_OPEN_NETWORKS setting; none by default)."""
    return write_once(CycleOut, lambda uow, who: service.set_publicity_access(uow, who, cycle_id, body["without_login"]))


@blp.route("/cycles/<uuid:cycle_id>/publicity", methods=["GET"])
@blp.arguments(BranchQuery, location="query")
@blp.response(200, PublicityPage)
@anonymous_allowed
def publicity(query, cycle_id: uuid.UUID):
    """The published levels (公示名单) for every person logged in, once the cycle is published; 409 before.
    Without login: 401, unless 组织部 opened the cycle's list (``publicity-access``) and the caller is on the
    campus network."""
    on_campus = address_in(client_address(), current_app.extensions["grading_publicity_networks"])
    with _uow()() as uow:
        items, total, cycle = service.publicity_list(uow, current_identity(), cycle_id, query["limit"],
                                                     query["offset"], _branch_filters(query), on_campus)
    return _page(items, total, query) | cycle
