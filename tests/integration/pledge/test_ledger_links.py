"""The ledger shows which organisation pledge each member's pledge supports (issue 21, gap 3): a column, a filter
and both exports, whose print set-up and formula neutralising hold for it too."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.support.printing import assert_set_up_for_print

from .lifecycle import NEXT_YEAR, create, publish
from .test_linked_pledges import unit_pledge

FORMULA = '=HYPERLINK("http://evil.example","点此")'


def ledger(service, who, **query):
    response = service.client.get("/api/pledges/ledger", query_string={"unit_id": query.pop("unit_id"),
                                                                       "year": NEXT_YEAR, **query},
                                  headers=service.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_the_ledger_shows_filters_and_exports_the_organisation_pledge_supported(pledge_service, org):
    service, h = pledge_service, pledge_service.headers
    branch_pledge = unit_pledge(service, org)
    second = publish(service, org, pledger=org.secretary, pledger_kind="unit", unit_id=str(org.branch), title=FORMULA)
    supporting = publish(service, org, title="带头服务师生", linked_to=branch_pledge["id"])
    draft = create(service, org.peer, title="带头学习", linked_to=branch_pledge["id"])
    formula_linked = create(service, org.secretary, title="带头值班", linked_to=second["id"])
    alone = create(service, org.reviewer, title="带头遵纪守法")

    rows = {r["id"]: r for r in ledger(service, org.secretary, unit_id=str(org.branch))["items"]}
    assert (rows[supporting["id"]]["linked_to"], rows[supporting["id"]]["linked_title"]) == (
        branch_pledge["id"], "支部承诺：建设服务型党组织")
    assert rows[draft["id"]]["linked_title"] == "支部承诺：建设服务型党组织"
    assert (rows[alone["id"]]["linked_to"], rows[alone["id"]]["linked_title"]) == (None, None)
    assert rows[branch_pledge["id"]]["linked_to"] is None

    # filtered by the organisation pledge supported, by the general branch too; the organisation pledges alone
    linked = ledger(service, org.reviewer, unit_id=str(org.general_branch), linked_to=branch_pledge["id"])
    assert {r["id"] for r in linked["items"]} == {supporting["id"], draft["id"]} and linked["total"] == 2
    own = ledger(service, org.secretary, unit_id=str(org.branch), pledger_kind="unit")
    assert {r["id"] for r in own["items"]} == {branch_pledge["id"], second["id"]}
    by_link = ledger(service, org.secretary, unit_id=str(org.branch), sort="linked_title", pledger_kind="member")
    assert [r["linked_title"] is None for r in by_link["items"]] == [False, False, False, True]  # unlinked last
    bad = service.client.get("/api/pledges/ledger", query_string={"unit_id": str(org.branch), "year": NEXT_YEAR,
                                                                  "linked_to": "nope"}, headers=h(org.secretary))
    assert bad.status_code == 422 and "linked_to" in bad.json["error"]["details"]

    url = f"/api/pledges/ledger/export?unit_id={org.branch}&year={NEXT_YEAR}&linked_to={branch_pledge['id']}"
    lines = list(csv.reader(io.StringIO(client_get(service, url + "&format=csv", org.secretary).decode("utf-8-sig"))))
    assert lines[0][5:8] == ["承诺事项", "支持的组织承诺", "五带头"]
    assert sorted((line[5], line[6]) for line in lines[1:]) == [("带头学习", "支部承诺：建设服务型党组织"),
                                                               ("带头服务师生", "支部承诺：建设服务型党组织")]
    sheet = load_workbook(io.BytesIO(client_get(service, url + "&format=xlsx", org.secretary))).active
    assert sheet["G1"].value == "支持的组织承诺" and sheet.max_row == 3
    assert {sheet[f"G{n}"].value for n in (2, 3)} == {"支部承诺：建设服务型党组织"}
    assert_set_up_for_print(sheet, f"承诺台账{NEXT_YEAR}", "教工第一党支部", NEXT_YEAR)

    # a supported pledge titled like a formula stays text in both files
    url = f"/api/pledges/ledger/export?unit_id={org.branch}&year={NEXT_YEAR}&linked_to={second['id']}"
    [line] = list(csv.reader(io.StringIO(client_get(service, url + "&format=csv", org.secretary).decode("utf-8-sig"))))[1:]
    assert line[5:7] == ["带头值班", "'" + FORMULA]
    cell = load_workbook(io.BytesIO(client_get(service, url + "&format=xlsx", org.secretary))).active["G2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULA, "s", True)
    assert formula_linked["linked_to"] == second["id"]


def client_get(service, url, who) -> bytes:
    response = service.client.get(url, headers=service.headers(who))
    assert response.status_code == 200, response.data[:200]
    return response.data
