"""The grading report prints (issue 21, gap 4): each sheet on landscape A4, one page wide, its heading row on every
page, the unit whose results these are and the year in the header, page numbers in the footer."""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from tests.support.printing import assert_set_up_for_print

from .conftest import CYCLES, open_cycle
from .test_cycle_api import classify


def test_every_sheet_of_the_report_is_set_up_for_printing(grading_service, org):
    service = grading_service
    cycle = open_cycle(service, org, year=2026, branch_ids=[str(org.branch)], advanced_cap_percent=100)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 85)
    # the organisation department's report is the committee's; a general branch secretary's, their general branch's
    for reader, unit in ((org.org, "党委"), (org.reviewer, "教育学院党总支")):
        report = service.client.get(f"{CYCLES}/{cycle['id']}/report.xlsx", headers=service.headers(reader))
        assert report.status_code == 200
        book = load_workbook(BytesIO(report.data))
        for sheet in book.worksheets:
            assert_set_up_for_print(sheet, sheet.title, unit, 2026)
        assert book["分类定级结果"]["A2"].value == "教工第一党支部"
        assert book["分类定级结果"].column_dimensions["A"].width >= 20  # a branch's name on one line, not six
