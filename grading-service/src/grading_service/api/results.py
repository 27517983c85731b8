"""A cycle's results (分类定级结果) for the portal's charts and the XLSX report: /api/grading/cycles/{cycle_id}/results,
…/movement, …/branches/{branch_id}/profile, …/report.xlsx."""
from __future__ import annotations

import uuid

from flask import Response

from pacesetter_shared.web import current_identity

from ..adapters.report import cycle_workbook
from ..schemas.results import MovementOut, MovementQuery, ProfileOut, ResultsOut
from ..service import results as service
from ._views import _uow, blp


@blp.route("/cycles/<uuid:cycle_id>/results", methods=["GET"])
@blp.response(200, ResultsOut)
def cycle_results(cycle_id: uuid.UUID):
    """Distribution of levels, indicator averages and the branches that moved, for the portal's charts."""
    with _uow()() as uow:
        return service.cycle_results(uow, current_identity(), cycle_id)


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
    identity, uow_factory = current_identity(), _uow()

    def workbook():
        with uow_factory() as uow:
            unit = service.report_unit_name(uow, identity)
            year, branches, figures = service.cycle_report(uow, identity, cycle_id)
            yield year
            yield from cycle_workbook(year, branches, figures, unit)

    # Streamed as it is written (issue 24: a system's fifty thousand branches outlasted the gateway's timeout
    # while the whole file was built first); the cycle and the caller's scope are checked here, before the
    # answer starts, so that a refusal is still an honest 403 or 404.
    chunks = workbook()
    year = next(chunks)
    return Response(chunks, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=grading-{year}.xlsx"})
