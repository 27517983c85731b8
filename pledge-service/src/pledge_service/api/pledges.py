"""The pledges resource (/api/pledges): its views validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid

from flask import Response, current_app

from pacesetter_shared.i18n import _
from pacesetter_shared.web import Blueprint, current_identity, public
from pacesetter_shared.web.errors import NotFound as HttpNotFound
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..adapters.ledger_export import csv_chunks, xlsx_chunks
from ..domain.model import GUIDANCE
from ..schemas.pledges import (
    ACTIONS, GuidanceOut, LedgerExportQuery, LedgerPage, LedgerQuery, Paging, PledgeAction, PledgeCreate, PledgeEdit,
    PledgeListQuery, PledgeOut, PledgePage, ProgressIn, ProgressOut, ProgressPage, RemindIn, RemindOut, StatisticsByBranchOut,
    StatisticsOut, UnitYearQuery, UnpledgedPage, UnpledgedQuery, WallPage, WallQuery,
)
# a view named like a use-case module (ledger, statistics, unpledged, wall) would hide it: those are aliased
from ..service import ledger as ledger_cases
from ..service import pledges
from ..service import statistics as statistics_cases
from ..service import unpledged as unpledged_cases
from ..service import wall as wall_cases

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blp = Blueprint("pledges", __name__, url_prefix="/api/pledges", description="Pledges (党员承诺践诺)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


@blp.route("", methods=["POST"])
@blp.arguments(PledgeCreate)
@blp.response(201, PledgeOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_pledge(command):
    """Create a pledge (a draft, or submitted for review with ``submit: true``)."""
    return write_once(PledgeOut, lambda uow, who: pledges.create_pledge(uow, who, command), 201)


@blp.route("", methods=["GET"])
@blp.arguments(PledgeListQuery, location="query")
@blp.response(200, PledgePage)
def list_pledges(query):
    """My pledges (``scope=mine``) or the pledges waiting for my review (``scope=review``), filtered by state,
    year, kind and pledger, newest first unless sorted otherwise; ``total`` counts every matching pledge."""
    with _uow()() as uow:
        items, total = pledges.list_pledges(uow, current_identity(), query["scope"], states=query["state"],
                                            year=query["year"], kind=query["kind"], pledger_id=query["pledger_id"],
                                            sort=query["sort"], limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/guidance/<string:department_kind>", methods=["GET"])
@blp.response(200, GuidanceOut)
def guidance(department_kind):
    """Suggested areas and themes for a department kind (分类指导)."""
    if department_kind not in GUIDANCE:
        raise HttpNotFound(_("No guidance for that department kind."), {"department_kind": list(GUIDANCE)})
    g = GUIDANCE[department_kind]
    return {"department_kind": department_kind, "areas": [a.value for a in g["areas"]],
            "themes_zh": g["themes_zh"], "themes_en": g["themes_en"]}


@blp.route("/<uuid:pledge_id>", methods=["GET"])
@blp.response(200, PledgeOut)
def get_pledge(pledge_id: uuid.UUID):
    with _uow()() as uow:
        return pledges.get_pledge(uow, current_identity(), pledge_id)


@blp.route("/<uuid:pledge_id>/<any(" + ", ".join(ACTIONS) + "):action>", methods=["POST"])
@blp.arguments(PledgeAction)
@blp.response(200, PledgeOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def act(body, pledge_id: uuid.UUID, action: str):
    """Move a pledge along its life cycle: submit, return, approve, publish, fulfil, withdraw, close."""
    return write_once(PledgeOut, lambda uow, who: pledges.act_on_pledge(uow, who, pledge_id, action, body.get("reason")))


@blp.route("/<uuid:pledge_id>", methods=["PATCH"])
@blp.arguments(PledgeEdit)
@blp.response(200, PledgeOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def edit_pledge(changes, pledge_id: uuid.UUID):
    """Edit a draft or a returned pledge (the pledger only)."""
    return write_once(PledgeOut, lambda uow, who: pledges.edit_pledge(uow, who, pledge_id, changes))


@blp.route("/<uuid:pledge_id>/progress", methods=["POST"])
@blp.arguments(ProgressIn)
@blp.response(201, ProgressOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def report_progress(command, pledge_id: uuid.UUID):
    """Report progress on a published or overdue pledge (践诺进展), with evidence and attachments."""
    return write_once(ProgressOut, lambda uow, who: pledges.report_progress(uow, who, pledge_id, command), 201)


@blp.route("/<uuid:pledge_id>/progress", methods=["GET"])
@blp.arguments(Paging, location="query")
@blp.response(200, ProgressPage)
def list_progress(query, pledge_id: uuid.UUID):
    """A pledge's progress reports, newest first; for whoever may see the pledge."""
    with _uow()() as uow:
        items, total = pledges.list_progress(uow, current_identity(), pledge_id, **query)
    return {"items": items, "total": total, **query}


@blp.route("/<uuid:pledge_id>/linked", methods=["GET"])
@blp.arguments(Paging, location="query")
@blp.response(200, PledgePage)
def linked_pledges(query, pledge_id: uuid.UUID):
    """Members' pledges linked to an organisation pledge (基层党组织承诺与党员个人承诺)."""
    with _uow()() as uow:
        items, total = pledges.linked_pledges(uow, current_identity(), pledge_id, **query)
    return {"items": items, "total": total, **query}


@blp.route("/statistics", methods=["GET"])
@blp.arguments(UnitYearQuery, location="query")
@blp.response(200, StatisticsOut)
def statistics(query):
    """A unit's figures for a year (承诺统计): annual pledges among non-exempt members, fulfilment, areas."""
    with _uow()() as uow:
        return statistics_cases.get_statistics(uow, current_identity(), query["unit_id"], query["year"])


@blp.route("/statistics/branches", methods=["GET"])
@blp.arguments(UnitYearQuery, location="query")
@blp.response(200, StatisticsByBranchOut)
def statistics_by_branch(query):
    """Every branch at or under a unit with its figures (groups included), for the dashboards' chart."""
    with _uow()() as uow:
        items = statistics_cases.statistics_by_branch(uow, current_identity(), query["unit_id"], query["year"])
    return {"unit_id": query["unit_id"], "year": query["year"], "items": items}


@blp.route("/unpledged", methods=["GET"])
@blp.arguments(UnpledgedQuery, location="query")
@blp.response(200, UnpledgedPage)
def unpledged(query):
    """Who has not pledged (未承诺名单): the members of each branch at or under a unit without an annual pledge for
    the year, or (``list=exempted``) those exempted that year, apart; by branch then name, with every branch's
    counts. For the branch's secretaries, the general branch's and the organisation department."""
    with _uow()() as uow:
        return unpledged_cases.unpledged(uow, current_identity(), query["unit_id"], query["year"], which=query["list"],
                                         branch_id=query["branch_id"], name=query["name"], limit=query["limit"],
                                         offset=query["offset"])


@blp.route("/unpledged/remind", methods=["POST"])
@blp.arguments(RemindIn)
@blp.response(200, RemindOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def remind_unpledged(body):
    """Remind the members without an annual pledge (督促承诺) of a branch, or of every branch under a general
    branch or the committee, in one action: each hears of it in their inbox once; a member already reminded
    today is not reminded again."""
    return write_once(RemindOut, lambda uow, who: unpledged_cases.remind_unpledged(uow, who, body["unit_id"], body["year"]))


def _ledger_filters(query: dict) -> dict:
    return {key: query[key] for key in (*ledger_cases.LEDGER_FILTERS, "sort")}


@blp.route("/ledger", methods=["GET"])
@blp.arguments(LedgerQuery, location="query")
@blp.response(200, LedgerPage)
def ledger(query):
    """The ledger (承诺台账) of a unit and year, filtered by state, kind and pledger, a page at a time."""
    with _uow()() as uow:
        items, total = ledger_cases.ledger_page(uow, current_identity(), query["unit_id"], query["year"],
                                                limit=query["limit"], offset=query["offset"], **_ledger_filters(query))
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/ledger/export", methods=["GET"])
@blp.arguments(LedgerExportQuery, location="query")
@blp.response(200, content_type=XLSX, description="The ledger as XLSX (format=xlsx) or CSV (format=csv)")
def export_ledger(query):
    """Download the ledger with the same filters as its pages, streamed row by row."""
    uow_factory = _uow()
    with uow_factory() as uow:
        unit = pledges.check_oversight(uow, current_identity(), query["unit_id"])
    unit_id, year, fmt = query["unit_id"], query["year"], query["format"]

    def chunks():
        with uow_factory() as uow:
            rows = ledger_cases.stream_ledger(uow, unit_id, year, **_ledger_filters(query))
            yield from (csv_chunks(rows) if fmt == "csv" else xlsx_chunks(rows, f"承诺台账{year}", unit.name, year))

    # content_type, not mimetype: werkzeug adds a charset to a text mimetype, which then said it twice
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return Response(chunks(), content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="pledge-ledger-{year}.{fmt}"'})


@blp.route("/wall", methods=["GET"])
@blp.arguments(WallQuery, location="query")
@blp.response(200, WallPage)
@public
def wall(query):
    """The public pledge wall (亮承诺) of a unit or a service window, for display screens and kiosks."""
    with _uow()() as uow:
        items, total = wall_cases.pledge_wall(uow, unit_id=query["unit_id"], window_id=query["window_id"],
                                              limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}
