"""The grading report holds a branch's name as text, whatever it starts with (issue 20, finding 6): openpyxl by
itself stored "=…" as a formula, which Excel and WPS run when the organisation department opens the file."""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from .conftest import CYCLES, open_cycle
from .test_cycle_api import classify

HYPERLINK = '=HYPERLINK("http://evil.example/phish","点此查看")'


def test_a_branch_named_like_a_formula_is_written_as_text(grading_service, org):
    service = grading_service
    service.deliver("directory.unit_upserted", {"unit_id": org.branch, "name": HYPERLINK, "kind": "branch",
                                                "parent_id": org.general_branch, "revision": 2})
    cycle = open_cycle(service, org, branch_ids=[str(org.branch)], advanced_cap_percent=100)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 85)
    report = service.client.get(f"{CYCLES}/{cycle['id']}/report.xlsx", headers=service.headers(org.org))
    assert report.status_code == 200
    sheet = load_workbook(BytesIO(report.data))["分类定级结果"]
    name, total = sheet["A2"], sheet["E2"]
    assert (name.value, name.data_type, name.quotePrefix) == (HYPERLINK, "s", True)
    assert (total.value, total.data_type) == (85.0, "n")  # numbers stay numbers
    assert sheet["A1"].quotePrefix is False  # a heading is no formula
