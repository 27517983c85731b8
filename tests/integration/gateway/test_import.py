"""Roster import: a dry run names every bad row; the import is all or nothing."""
from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import Workbook

from gateway.adapters.tables import persons, units

from .conftest import bearer

BAD_UNITS = """名称,类型,上级,部门类型
数学学院党总支,党总支,中共示范大学委员会,教学
数学学院教工党支部,党支部,数学学院党总支,教学
,党支部,数学学院党总支,教学
外语党支部,党支部部,中共示范大学委员会,教学
教工第一党支部第一党小组,党小组,数学学院教工党支部,教学
化学党支部,党支部,不存在的党总支,教学
图书馆党支部,党支部,机关党总支,图书
"""


def _count(gateway, table) -> int:
    with gateway.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _post(gateway, token, kind, content: bytes, dry_run: bool, filename="roster.csv"):
    return gateway.client.post(f"/api/directory/imports?kind={kind}&dry_run={str(dry_run).lower()}",
                               headers=token, data={"file": (io.BytesIO(content), filename)},
                               content_type="multipart/form-data")


def test_a_file_full_of_bad_rows_is_reported_row_by_row_and_nothing_is_written(gateway, login):
    org = bearer(login("zuzhibu"))
    units_before = _count(gateway, units)
    dry = _post(gateway, org, "units", BAD_UNITS.encode(), dry_run=True)
    assert dry.status_code == 200
    problems = {(e["line"], e["field"]) for e in dry.json["errors"]}
    assert problems == {(4, "name"), (5, "kind"), (6, "name"), (7, "parent"), (8, "department_kind")}
    assert dry.json["rows"] == 7 and dry.json["created"] == 0
    real = _post(gateway, org, "units", BAD_UNITS.encode(), dry_run=False)
    assert real.status_code == 422 and real.json["error"]["code"] == "import_rejected"
    assert len(real.json["error"]["details"]["errors"]) == 5
    assert _count(gateway, units) == units_before


def test_a_good_gbk_csv_of_units_then_an_xlsx_of_people_import_completely(gateway, login):
    org = bearer(login("zuzhibu"))
    good_units = "\n".join(BAD_UNITS.splitlines()[:3]) + "\n"
    assert _post(gateway, org, "units", good_units.encode("gb18030"), dry_run=True).json["errors"] == []
    done = _post(gateway, org, "units", good_units.encode("gb18030"), dry_run=False)
    assert done.status_code == 200 and done.json["created"] == 2

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "用户名", "初始密码", "邮箱", "所在支部", "政治面貌", "入党日期", "角色", "免于承诺年份", "免于承诺原因"])
    sheet.append(["吴老师", "wulaoshi", "pacesetter2026", "wu@example.edu", "数学学院教工党支部", "正式党员", "2001-07-01",
                  "党员; 支部书记", None, None])
    sheet.append(["郑老师", None, None, None, "数学学院教工党支部", "正式党员", "1975-07-01", "党员", 2026, "年老体弱"])
    buffer = io.BytesIO()
    book.save(buffer)
    people_before = _count(gateway, persons)
    imported = _post(gateway, org, "persons", buffer.getvalue(), dry_run=False, filename="roster.xlsx")
    assert imported.status_code == 200, imported.json
    assert imported.json["created"] == 2 and _count(gateway, persons) == people_before + 2
    wu = gateway.client.post("/api/auth/login", json={"username": "wulaoshi", "password": "pacesetter2026"}).json
    assert {r["role"] for r in wu["person"]["roles"]} == {"member", "branch_secretary"}


def test_bad_people_rows_are_named_and_nothing_is_written(gateway, login):
    org = bearer(login("zuzhibu"))
    content = ("姓名,用户名,邮箱,所在支部,政治面貌,入党日期,角色\n"
               "甲,dangyuan,,教育学院教工第一党支部,正式党员,2001-01-01,党员\n"
               "乙,,not-an-email,教育学院党总支,正式党员,2001-01-01,党员\n"
               "丙,,,教育学院教工第一党支部,团员,2001-13-01,党总支书记\n").encode()
    before = _count(gateway, persons)
    dry = _post(gateway, org, "persons", content, dry_run=True).json
    assert {(e["line"], e["field"]) for e in dry["errors"]} == {
        (2, "username"), (3, "email"), (3, "branch"), (3, "roles"),  # a role needs a branch to be held on
        (4, "member_status"), (4, "joined_on"), (4, "roles")}
    assert _post(gateway, org, "persons", content, dry_run=False).status_code == 422
    assert _count(gateway, persons) == before
    assert _post(gateway, bearer(login("dangyuan")), "persons", content, dry_run=True).status_code == 403


def test_a_nul_in_a_cell_is_named_with_its_row_and_nothing_is_written(gateway, login):
    # a CSV may hold NUL; PostgreSQL's text cannot (once a 422 naming nothing, from the database)
    org = bearer(login("zuzhibu"))
    content = "名称,类型,上级,部门类型\n物理学院党总支,党总支,中共示范大学委员会,教学\n物理\x00党支部,党支部,物理学院党总支,教学\n"
    before = _count(gateway, units)
    dry = _post(gateway, org, "units", content.encode(), dry_run=True).json
    assert dry["errors"] == [{"line": 3, "field": "name", "reason": "文本不能包含空字符（NUL）。"}]
    assert _post(gateway, org, "units", content.encode(), dry_run=False).status_code == 422
    assert _count(gateway, units) == before


def test_a_csv_with_lone_carriage_returns_extra_cells_or_a_huge_field_is_read_or_refused_never_a_500(gateway, login):
    # each was a 500 (the fuzzing found the first): csv's own errors, and a list under a header-less cell
    org = bearer(login("zuzhibu"))
    mac = "名称,类型,上级,部门类型\r物理学院党总支,党总支,中共示范大学委员会,教学,多出的一格\r".encode()
    dry = _post(gateway, org, "units", mac, dry_run=True)
    assert dry.status_code == 200 and dry.json["rows"] == 1 and dry.json["errors"] == [], dry.json
    huge = ("名称,类型,上级,部门类型\n" + "长" * 200_000 + ",党支部,物理学院党总支,教学\n").encode()
    refused = _post(gateway, org, "units", huge, dry_run=True)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "import_rejected", refused.json
    assert refused.json["error"]["message"] == "无法读取该 CSV 文件。"
