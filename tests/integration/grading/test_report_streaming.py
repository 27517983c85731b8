"""The cycle's report and results read the branches as they stream (issue 24): the same branches, figures and
cells as the branches read whole and the report written by openpyxl, whatever the size of the cursor's chunks."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from grading_service.adapters.tables import cycle_branches
from grading_service.domain.classification import averages, distribution
from grading_service.domain.model import AssessmentPart
from grading_service.service import results as results_service
from grading_service.service import scoring
from grading_service.service.cycles import _cycle_row, _visible_filter

from tests.unit.grading.test_report_workbook import as_before, cells_of

from .conftest import CYCLES, branch_round, open_cycle
from .test_cycle_api import branch_url, classify, score, set_level


BARE = "=阿&<党支部> "  # a formula to a spreadsheet, markup to XML, a space to keep


def _unit(service, unit_id, name: str, kind: str, parent) -> None:
    service.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                "parent_id": parent, "revision": 1})


def _override(service, reviewer, cycle, branch_id, level: str) -> None:
    response = set_level(service, reviewer, cycle, branch_id, action="override", level=level, reason="总支研究决定")
    assert response.status_code == 200, response.json


def _a_year_of_everything(service, org) -> tuple[dict, dict]:
    """Last year final; this year published with one objection: branches fully scored, one with only its
    self-assessment, one with no score at all, two of the same name, inputs of a group, pledges, an acceptance."""
    group, twin, bare = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _unit(service, group, "第一党小组", "group", org.branch)
    _unit(service, twin, "教工第一党支部", "branch", org.general_branch)  # the same name: ordered by id
    _unit(service, bare, BARE, "branch", org.other_general_branch)
    twin_secretary = org.add_person("孙支书", twin, [("branch_secretary", twin)])
    other_secretary = org.add_person("赵支书", org.other_branch, [("branch_secretary", org.other_branch)])

    last_year = open_cycle(service, org, year=2025, advanced_cap_percent=100)
    classify(service, org, last_year, org.branch, org.secretary, org.reviewer, 80)
    classify(service, org, last_year, org.other_branch, other_secretary, org.outsider_reviewer, 95)
    _override(service, org.reviewer, last_year, twin, "lagging")
    _override(service, org.outsider_reviewer, last_year, bare, "ordinary")
    for step in ("publish", "finalise"):
        assert service.client.post(f"{CYCLES}/{last_year['id']}/{step}", headers=service.headers(org.org)).status_code == 200
    service.deliver("rectification.accepted", {"cycle_id": last_year["id"], "branch_id": twin, "passed": True,
                                               "notes": "整改到位"})

    cycle = open_cycle(service, org, year=2026, advanced_cap_percent=100)
    service.deliver("evaluation.completed", branch_round(org.branch, 71.25))
    for month, satisfied in (("2026-03", 33), ("2026-04", 38)):
        service.deliver("evaluation.window_satisfaction", {
            "window_id": uuid.uuid4(), "unit_id": group, "month": month, "ratings": 40, "satisfied": satisfied,
            "as_of": datetime(2026, 5, 1, tzinfo=timezone.utc)})
    service.deliver("pledge.statistics_updated", {
        "unit_id": org.branch, "year": 2026, "members_expected": 20, "members_with_annual_pledge": 17,
        "pledges_total": 30, "fulfilled": 25, "fulfilled_on_time": 21, "overdue": 1, "by_area": {},
        "as_of": datetime(2026, 6, 1, tzinfo=timezone.utc)})
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 93.5)
    classify(service, org, cycle, twin, twin_secretary, org.reviewer, 76)
    assert score(service, other_secretary, cycle, org.other_branch, "self-assessment", 60).status_code == 200
    _override(service, org.outsider_reviewer, cycle, org.other_branch, "lagging")
    _override(service, org.outsider_reviewer, cycle, bare, "ordinary")
    assert service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).status_code == 200
    lodged = service.client.post(branch_url(cycle, org.other_branch, "/objections"), json={"text": "评定偏低"},
                                 headers=service.headers(org.member))
    assert lodged.status_code == 201, lodged.json
    return cycle, {"twin": twin, "bare": bare}


def _in_memory(service, reader, cycle_id) -> tuple[list[dict], dict, str]:
    """The branches read whole (the cursor's default chunks), and the figures counted over them here."""
    with service.uow_factory() as uow:
        cycle_row = _cycle_row(uow, cycle_id)
        query = sa.select(cycle_branches).where(cycle_branches.c.cycle_id == cycle_id)
        if (visible := _visible_filter(reader)) is not None:
            query = query.where(visible)
        branches = list(scoring._classified(uow, cycle_row, query))
        figures = results_service.cycle_results(uow, reader, cycle_id)
        unit = results_service.report_unit_name(uow, reader)
    moved = {"up": 0, "same": 0, "down": 0}
    advanced: dict[str, int] = {}
    for b in branches:
        if b["change"]:
            moved[b["change"]] += 1
        key = str(b["general_branch_id"])
        advanced[key] = advanced.get(key, 0) + (b["level"] == "advanced")
    expected = dict(figures, distribution=distribution(b["level"] for b in branches), moved=moved,
                    branches=len(branches), indicator_averages={
                        part.value: {i.value: v for i, v in averages(b["_parts"][part] for b in branches).items()}
                        for part in AssessmentPart},
                    advanced=dict(figures["advanced"], by_general_branch=advanced))
    return branches, expected, unit


def test_the_streamed_report_has_the_cells_of_the_report_held_in_memory(grading_service, org, monkeypatch):
    service = grading_service
    cycle, ids = _a_year_of_everything(service, org)
    cycle_id = uuid.UUID(cycle["id"])
    for reader in (org.org, org.reviewer):
        branches, figures, unit = _in_memory(service, reader, cycle_id)
        held = load_workbook(as_before(2026, branches, figures, unit))
        for rows_at_a_time in (1, 2, 1000):  # a group of scores or inputs across chunks, and all in one
            monkeypatch.setattr(scoring, "STREAMED_ROWS", rows_at_a_time)
            with service.uow_factory() as uow:
                year, streamed, streamed_figures = results_service.cycle_report(uow, reader, cycle_id)
                assert year == 2026
                assert list(streamed) == branches
                assert streamed_figures() == figures
            download = service.client.get(f"{CYCLES}/{cycle_id}/report.xlsx", headers=service.headers(reader))
            assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
            assert download.headers["Content-Disposition"] == "attachment; filename=grading-2026.xlsx"
            assert cells_of(load_workbook(BytesIO(download.data))) == cells_of(held)
            results = service.client.get(f"{CYCLES}/{cycle_id}/results", headers=service.headers(reader)).json
            assert {k: results[k] for k in ("branches", "distribution", "moved", "indicator_averages")} == {
                k: figures[k] for k in ("branches", "distribution", "moved", "indicator_averages")}

    # What the cells say, for the organisation department: the twins by id, the missing parts empty.
    branches = _in_memory(service, org.org, cycle_id)[0]
    download = service.client.get(f"{CYCLES}/{cycle_id}/report.xlsx", headers=service.headers(org.org))
    sheet = load_workbook(BytesIO(download.data))["分类定级结果"]
    assert sheet[f"A{2 + [b['branch_id'] for b in branches].index(ids['bare'])}"].quotePrefix is True
    rows = list(sheet.values)
    assert len(rows) == 5 and [r[0] for r in rows[1:]] == [b["name"] for b in branches]
    twins = [b["branch_id"] for b in branches if b["name"] == "教工第一党支部"]
    assert twins == sorted([org.branch, ids["twin"]])
    by_id = {b["branch_id"]: b for b in branches}
    mine = rows[1 + [b["branch_id"] for b in branches].index(org.branch)]
    assert mine[4] == by_id[org.branch]["total"] == 90.18  # 2 rounds, the group's windows and the pledges weigh in
    assert mine[5:] == ("先进", "先进", "一般", "晋位")
    assert (by_id[org.branch]["evaluation_rounds"], by_id[org.branch]["satisfaction"]) == (2, 88.75)
    assert by_id[ids["twin"]]["last_rectification"] == {"passed": True, "notes": "整改到位"}
    other = next(r for r in rows[1:] if r[0] == "教务处党支部")
    assert other[1:5] == (60.0, None, None, None) and other[5:] == ("未定", "后进", "先进", "降位")
    bare = next(r for r in rows[1:] if r[0] == BARE)
    assert bare[1:] == (None, None, None, None, "未定", "一般", "一般", "持平")
