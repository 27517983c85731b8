"""The ledger's exports hold what people typed as text: a pledge titled like a formula is not run by Excel or WPS
when the secretary opens the file (issue 20, finding 6)."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from .lifecycle import NEXT_YEAR, publish

HYPERLINK = '=HYPERLINK("http://evil.example/phish","点此查看")'
TITLES = [HYPERLINK, "+86 热线服务", "-1 天办结", "@全体党员 带头学习"]


def test_a_title_that_looks_like_a_formula_is_exported_as_text(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    formula_pledger = org.add_person("=cmd|' /C calc'!A0", org.branch, [("member", org.branch)])
    for title in TITLES:
        publish(pledge_service, org, title=title)
    publish(pledge_service, org, pledger=formula_pledger, title="带头服务师生")
    url = f"/api/pledges/ledger/export?unit_id={org.branch}&year={NEXT_YEAR}"

    exported = client.get(url + "&format=csv", headers=h(org.secretary))
    assert exported.status_code == 200
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset said once
    lines = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))[1:]
    assert sorted(line[5] for line in lines) == sorted(["'" + t for t in TITLES] + ["带头服务师生"])
    assert "'=cmd|' /C calc'!A0" in [line[0] for line in lines]
    for line in lines:
        # what is no text typed by a person is written as it is: dates, and counts as numbers
        assert line[10] == f"{NEXT_YEAR}-12-31" and line[12] == "0"
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line), line

    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx", headers=h(org.secretary)).data)).active
    rows = list(sheet.iter_rows(min_row=2))
    titles = {row[5].value: row[5] for row in rows}
    assert sorted(titles) == sorted(TITLES + ["带头服务师生"])  # the text itself, no apostrophe in the cell
    for title, cell in titles.items():
        assert cell.data_type == "s"
        # marked as Excel marks a text typed with a leading apostrophe: editing the cell keeps it text
        assert cell.quotePrefix == (title != "带头服务师生"), title
    assert all(row[12].value == 0 and row[12].data_type == "n" for row in rows)
