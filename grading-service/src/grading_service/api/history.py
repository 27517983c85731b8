"""A branch's levels over the years (晋位升级): /api/grading/branches/{branch_id}/history."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity

from ..schemas.history import HistoryOut
from ..service import history
from ._views import _uow, blp


@blp.route("/branches/<uuid:branch_id>/history", methods=["GET"])
@blp.response(200, HistoryOut)
def branch_history(branch_id: uuid.UUID):
    """A branch's final level by year and its change (晋位/持平/降位)."""
    with _uow()() as uow:
        return {"branch_id": branch_id, "years": history.branch_history(uow, current_identity(), branch_id)}
