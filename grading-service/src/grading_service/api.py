"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid

from flask import Response, current_app

from pacesetter_shared.web import Blueprint, anonymous_allowed, current_identity
from pacesetter_shared.web.idempotency import run_idempotently
from pacesetter_shared.web.security import address_in, client_address

from . import service
from .report import cycle_workbook
from .domain.model import AssessmentPart
from .schemas import (
    AcceptanceIn, AnswerIn, BranchDetail, BranchPage, BranchQuery, CycleOpen, CycleOut, CyclePage, HistoryOut, IndicatorsOut,
    LevelIn, MovementOut, MovementQuery, ObjectionIn, ObjectionOut, ObjectionPage, ObjectionQuery, PageQuery, PlanIn, PlanOut,
    ProfileOut, ProgressIn, PublicityAccessIn, PublicityPage, ResultsOut, ScoresIn,
)

blp = Blueprint("grading", __name__, url_prefix="/api/grading",
                description="Grading and upgrading of branches (基层党组织晋位升级)")

IDEMPOTENCY_KEY = {"parameters": [{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}]}


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


def _page(items, total, query) -> dict:
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


def _write(schema, use_case, status=200):
    """Run a write once per Idempotency-Key and dump its result."""
    identity = current_identity()

    def action(uow):
        return schema().dump(use_case(uow, identity)), status

    return run_idempotently(_uow(), identity.subject, action)


@blp.route("/indicators", methods=["GET"])
@blp.response(200, IndicatorsOut)
def indicators():
    """The seven indicators (七项指标) and the assessment parts, with their default weights."""
    return service.describe_indicators()


@blp.route("/cycles", methods=["POST"])
@blp.arguments(CycleOpen)
@blp.response(201, CycleOut)
@blp.doc(**IDEMPOTENCY_KEY)
def open_cycle(command):
    """Open a year's grading cycle (安排部署); organisation department only."""
    span = current_app.extensions["grading_cycle_year_span"]
    return _write(CycleOut, lambda uow, who: service.open_cycle(uow, who, command, year_span=span), 201)


@blp.route("/cycles", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, CyclePage)
def list_cycles(query):
    with _uow()() as uow:
        return _page(*service.list_cycles(uow, query["limit"], query["offset"]), query)


@blp.route("/cycles/<uuid:cycle_id>", methods=["GET"])
@blp.response(200, CycleOut)
def get_cycle(cycle_id: uuid.UUID):
    with _uow()() as uow:
        return service.get_cycle(uow, cycle_id)


def _branch_filters(query) -> dict:
    return {"q": query["q"], "levels": query["level"], "general_branch_id": query["general_branch_id"]}


@blp.route("/cycles/<uuid:cycle_id>/branches", methods=["GET"])
@blp.arguments(BranchQuery, location="query")
@blp.response(200, BranchPage)
def list_branches(query, cycle_id: uuid.UUID):
    """The cycle's branches I may see, with totals and suggested levels; by name, level, general branch."""
    with _uow()() as uow:
        return _page(*service.list_branches(uow, current_identity(), cycle_id, query["limit"], query["offset"],
                                            _branch_filters(query)), query)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>", methods=["GET"])
@blp.response(200, BranchDetail)
def get_branch(cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """One branch: every score with its evidence, the inputs, total, levels and every change."""
    with _uow()() as uow:
        return service.get_branch(uow, current_identity(), cycle_id, branch_id)


def _score(body, cycle_id: uuid.UUID, branch_id: uuid.UUID, part: AssessmentPart):
    return _write(BranchDetail, lambda uow, who: service.score_branch(
        uow, who, cycle_id, branch_id, part, body["scores"], body["reason"]))


# Each part its own path, named as in /api/grading/indicators' parts (self, superior) and in a branch's scores.
@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/self-assessment", methods=["PUT"])
@blp.arguments(ScoresIn)
@blp.response(200, BranchDetail)
@blp.doc(**IDEMPOTENCY_KEY)
def self_assessment(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """自评: the branch's self-assessment, the part ``self`` of /api/grading/indicators.

    The branch's secretary scores the seven indicators, before the self-assessment deadline."""
    return _score(body, cycle_id, branch_id, AssessmentPart.SELF)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/superior-scores", methods=["PUT"])
@blp.arguments(ScoresIn)
@blp.response(200, BranchDetail)
@blp.doc(**IDEMPOTENCY_KEY)
def superior_scores(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """上级评定: the superior's scores, the part ``superior`` of /api/grading/indicators.

    The secretary of the branch's general branch scores the seven indicators, before the superior's deadline."""
    return _score(body, cycle_id, branch_id, AssessmentPart.SUPERIOR)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/level", methods=["POST"])
@blp.arguments(LevelIn)
@blp.response(200, BranchDetail)
@blp.doc(**IDEMPOTENCY_KEY)
def set_level(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """The general branch confirms the suggested level or overrides it with a written reason."""
    return _write(BranchDetail, lambda uow, who: service.set_level(uow, who, cycle_id, branch_id, body))


@blp.route("/cycles/<uuid:cycle_id>/publish", methods=["POST"])
@blp.response(200, CycleOut)
@blp.doc(**IDEMPOTENCY_KEY, responses={"409": {"description": (
    "Not published: a branch has no level yet (its message names them, ``details.branch_ids`` lists them), "
    "the 先进 exceed the cap (code ``advanced_cap_exceeded``), or the cycle is already published")}})
def publish(cycle_id: uuid.UUID):
    """Start the publicity period (公示); organisation department only.

    Every branch's level must first be confirmed (or overridden with a reason) by its general branch
    (``POST …/branches/{branch_id}/level``): while one has none, the answer is 409 naming those branches. Refused
    too while the 先进 exceed the cap. Every branch and general branch secretary is told, with the objection
    deadline (``grading.publicity_started``)."""
    return _write(CycleOut, lambda uow, who: service.publish(uow, who, cycle_id))


@blp.route("/cycles/<uuid:cycle_id>/publicity-access", methods=["PUT"])
@blp.arguments(PublicityAccessIn)
@blp.response(200, CycleOut)
@blp.doc(**IDEMPOTENCY_KEY)
def set_publicity_access(body, cycle_id: uuid.UUID):
    """组织部 chooses whether the publicity list is also read without login from the campus network
    (the PUBLICITY_OPEN_NETWORKS setting; none by default)."""
    return _write(CycleOut, lambda uow, who: service.set_publicity_access(uow, who, cycle_id, body["without_login"]))


@blp.route("/cycles/<uuid:cycle_id>/finalise", methods=["POST"])
@blp.response(200, CycleOut)
@blp.doc(**IDEMPOTENCY_KEY)
def finalise(cycle_id: uuid.UUID):
    """After the publicity period, every objection answered: the results are final."""
    return _write(CycleOut, lambda uow, who: service.finalise(uow, who, cycle_id))


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


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/objections", methods=["POST"])
@blp.arguments(ObjectionIn)
@blp.response(201, ObjectionOut)
@blp.doc(**IDEMPOTENCY_KEY)
def lodge_objection(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """Lodge an objection (异议) to a branch's result during the publicity period (any member or secretary)."""
    return _write(ObjectionOut, lambda uow, who: service.lodge_objection(uow, who, cycle_id, branch_id,
                                                                          body["text"]), 201)


@blp.route("/cycles/<uuid:cycle_id>/objections", methods=["GET"])
@blp.arguments(ObjectionQuery, location="query")
@blp.response(200, ObjectionPage)
def list_objections(query, cycle_id: uuid.UUID):
    """Objections to the branches a secretary oversees, and those the caller lodged, with their answers;
    only mine, answered or not, of one branch."""
    filters = {"mine": query["mine"], "answered": query["answered"], "branch_id": query["branch_id"]}
    with _uow()() as uow:
        return _page(*service.list_objections(uow, current_identity(), cycle_id, query["limit"],
                                              query["offset"], filters), query)


@blp.route("/cycles/<uuid:cycle_id>/objections/<uuid:objection_id>/answer", methods=["POST"])
@blp.arguments(AnswerIn)
@blp.response(200, ObjectionOut)
@blp.doc(**IDEMPOTENCY_KEY)
def answer_objection(body, cycle_id: uuid.UUID, objection_id: uuid.UUID):
    return _write(ObjectionOut, lambda uow, who: service.answer_objection(uow, who, cycle_id, objection_id,
                                                                          body["answer"]))


@blp.route("/branches/<uuid:branch_id>/history", methods=["GET"])
@blp.response(200, HistoryOut)
def branch_history(branch_id: uuid.UUID):
    """A branch's final level by year and its change (晋位/持平/降位)."""
    with _uow()() as uow:
        return {"branch_id": branch_id, "years": service.branch_history(uow, current_identity(), branch_id)}


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/rectification", methods=["POST"])
@blp.arguments(PlanIn)
@blp.response(201, PlanOut)
@blp.doc(**IDEMPOTENCY_KEY)
def create_plan(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """The branch's rectification plan (整改提高) after the final results, with its tasks."""
    return _write(PlanOut, lambda uow, who: service.create_plan(uow, who, cycle_id, branch_id, body), 201)


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/rectification", methods=["GET"])
@blp.response(200, PlanOut)
def get_plan(cycle_id: uuid.UUID, branch_id: uuid.UUID):
    with _uow()() as uow:
        return service.get_plan(uow, current_identity(), cycle_id, branch_id)


@blp.route("/rectification/tasks/<uuid:task_id>/progress", methods=["POST"])
@blp.arguments(ProgressIn)
@blp.response(200, PlanOut)
@blp.doc(**IDEMPOTENCY_KEY)
def report_progress(body, task_id: uuid.UUID):
    return _write(PlanOut, lambda uow, who: service.report_progress(uow, who, task_id, body["percent"],
                                                                     body["note"]))


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/acceptance", methods=["POST"])
@blp.arguments(AcceptanceIn)
@blp.response(200, PlanOut)
@blp.doc(**IDEMPOTENCY_KEY)
def accept_rectification(body, cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """考核验收 of the branch's last plan, while this (next) cycle is classified."""
    return _write(PlanOut, lambda uow, who: service.accept_rectification(uow, who, cycle_id, branch_id, body))


@blp.route("/cycles/<uuid:cycle_id>/results", methods=["GET"])
@blp.response(200, ResultsOut)
def cycle_results(cycle_id: uuid.UUID):
    """Distribution of levels, indicator averages and the branches that moved, for the portal's charts."""
    with _uow()() as uow:
        return service.cycle_results(uow, current_identity(), cycle_id)[0]


@blp.route("/cycles/<uuid:cycle_id>/movement", methods=["GET"])
@blp.arguments(MovementQuery, location="query")
@blp.response(200, MovementOut)
def level_movement(query, cycle_id: uuid.UUID):
    """晋位升级: branches counted by their level in an earlier cycle and their level in this one."""
    with _uow()() as uow:
        return service.level_movement(uow, current_identity(), cycle_id, query["from_cycle_id"])


@blp.route("/cycles/<uuid:cycle_id>/branches/<uuid:branch_id>/profile", methods=["GET"])
@blp.response(200, ProfileOut)
def branch_profile(cycle_id: uuid.UUID, branch_id: uuid.UUID):
    """A branch's seven indicators (per part and combined) beside the cycle's averages, for a radar chart."""
    with _uow()() as uow:
        return service.branch_profile(uow, current_identity(), cycle_id, branch_id)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/cycles/<uuid:cycle_id>/report.xlsx", methods=["GET"])
@blp.doc(responses={"200": {"description": "分类定级结果 workbook", "content": {XLSX: {}}}})
def cycle_report(cycle_id: uuid.UUID):
    """The cycle's results as an XLSX report: every branch, the distribution, the indicator averages."""
    with _uow()() as uow:
        results, branches = service.cycle_results(uow, current_identity(), cycle_id)
        unit = service.report_unit_name(uow, current_identity())
    return Response(cycle_workbook(results, branches, unit), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="grading-{results["year"]}.xlsx"'})
