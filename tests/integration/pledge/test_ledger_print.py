"""The ledger's XLSX prints (issue 21, gap 4): it gave 152 portrait A4 pages with 4 of its 14 columns on the first;
now landscape A4, one page wide, the heading row on every page, the unit and year in the header."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.support.printing import assert_set_up_for_print

from .lifecycle import NEXT_YEAR, publish


def test_the_ledger_xlsx_is_set_up_for_printing(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    publish(pledge_service, org, title="带头服务师生，每周到窗口值班一次，解答学生办事咨询")
    for unit, name, secretary in ((org.branch, "教工第一党支部", org.secretary),
                                  (org.general_branch, "教育学院党总支", org.reviewer)):
        exported = client.get(f"/api/pledges/ledger/export?unit_id={unit}&year={NEXT_YEAR}&format=xlsx",
                              headers=h(secretary))
        assert exported.status_code == 200
        sheet = load_workbook(io.BytesIO(exported.data)).active
        assert sheet.max_row == 2 and sheet["F2"].value.startswith("带头服务师生")
        assert_set_up_for_print(sheet, f"承诺台账{NEXT_YEAR}", name, NEXT_YEAR)
        assert sheet.oddFooter.center.text == "第 &P 页 / 共 &N 页"
