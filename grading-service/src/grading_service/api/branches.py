"""A cycle's branches (分类定级): their list and detail, 自评, 上级评定 and the level —
/api/grading/cycles/{cycle_id}/branches."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import current_identity
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..domain.model import AssessmentPart
from ..schemas.branches import BranchDetail, BranchPage, LevelIn, ScoresIn
from ..schemas.common import BranchQuery
from ..service import scoring
from ._views import _branch_filters, _page, _uow, blp


@blp.route("/cycles/<uuid:cycle_id>/branches", methods=["GET"])
@blp.arguments(BranchQuery, location="query")
@blp.response(200, BranchPage)
def list_branches(query, cycle_id: uuid.UUID):
    """The cycle's branches I may see, with totals and suggested levels; by name, level, general branch."""
    with _uow()() as uow:
        return _page(*scoring.list_branches(uow, current_identity(), cycle_id, query["limit"], query["offset"],
                                            _branch_filters(query)), query)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>", methods=["GET"])
@blp.response(200, BranchDetail)
def get_branch(cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """One branch: every score with its evidence, the inputs, total, levels and every change."""
    with _uow()() as uow:
        return scoring.get_branch(uow, current_identity(), cycle_id, branch_id)


def _score(body, cycle_id: uuid.UUID, branch_id: uuid.UUID, part: AssessmentPart):
    return write_once(BranchDetail, lambda uow, who: scoring.score_branch(
        uow, who, cycle_id, branch_id, part, body["scores"], body["reason"]))


# Each part its own path, named as in /api/grading/indicators' parts (self, superior) and in a branch's scores.
@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/self-assessment", methods=["PUT"])
@blp.arguments(ScoresIn)
@blp.response(200, BranchDetail)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def self_assessment(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """自评: the branch's self-assessment, the part ``self`` of /api/grading/indicators.

    The branch's secretary scores the seven indicators, before the self-assessment deadline."""
    return _score(body, cycle_id, branch_id, AssessmentPart.SELF)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/superior-scores", methods=["PUT"])
@blp.arguments(ScoresIn)
@blp.response(200, BranchDetail)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def superior_scores(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """上级评定: the superior's scores, the part ``superior`` of /api/grading/indicators.

    The secretary of the branch's general branch scores the seven indicators, before the superior's deadline."""
    return _score(body, cycle_id, branch_id, AssessmentPart.SUPERIOR)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/level", methods=["POST"])
@blp.arguments(LevelIn)
@blp.response(200, BranchDetail)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def set_level(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """The general branch confirms the suggested level or overrides it with a written reason."""
    return write_once(BranchDetail, lambda uow, who: scoring.set_level(uow, who, cycle_id, branch_id, body))
