"""The year's archive of a unit (issue 21, 年度归档): a branch of 60 members, each with a pledge, and a window with
members on duty; the organisation department asks for its archive, the gateway's worker makes it in the background
(progress shown as it goes), and the ZIP holds exactly what its table of contents lists: the pledge letters, the
desk plates and name cards as PDF, the pledge ledger as XLSX."""
from __future__ import annotations

import csv
import io
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from openpyxl import load_workbook

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

MEMBERS = 60
PASSWORD = "Archive-forms-2026!"


def _branch_of_60(org: Api) -> tuple[dict, list[dict]]:
    tag = uuid.uuid4().hex[:6]
    branch = org.post("/api/directory/units", {"name": f"归档测试党支部 {tag}", "kind": "branch",
                                                "parent_id": str(_id("gb-teaching")), "department_kind": "teaching"})
    assert branch.status == 201, branch.json
    unit_id = branch.json["id"]

    def person(number: int) -> dict:
        made = org.post("/api/directory/persons", {
            "username": f"arc{tag}{number:02d}", "password": PASSWORD, "name": f"归档党员{number:02d}",
            "unit_id": unit_id, "member_status": "full", "roles": [{"role": "member", "unit_id": unit_id}]})
        assert made.status == 201, made.json
        return made.json
    with ThreadPoolExecutor(4) as pool:
        people = list(pool.map(person, range(1, MEMBERS + 1)))
    return branch.json, people


def test_a_branch_of_60_is_archived_in_the_background_and_its_zip_holds_what_its_contents_list(suite):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    branch, people = _branch_of_60(org)
    year = date.today().year
    titles = {}

    def pledge(person: dict) -> None:
        member = wait_for(lambda: (r := Api(suite.gateway).post(
            "/api/auth/login", {"username": person["username"], "password": PASSWORD})).status == 200 and r.json,
            timeout=30, message="the member's login")
        api = Api(suite.gateway, member["access_token"])
        title = f"{person['name']}带头服务群众"
        made = wait_for(lambda: (r := api.post("/api/pledges", {
            "kind": "annual", "title": title, "areas": ["serving_masses"], "due_date": f"{year}-12-31",
            "submit": True})).status == 201 and r.json, timeout=60, message="pledge-service to know the member")
        titles[made["id"]] = title
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(pledge, people))
    window = org.post("/api/directory/windows", {"name": "归档测试窗口", "kind": "window", "unit_id": branch["id"],
                                                 "on_duty_ids": [people[0]["id"], people[1]["id"]]})
    assert window.status == 201, window.json
    wait_for(lambda: org.get(f"/api/ratings/windows/{window.json['id']}/link").status == 200, timeout=30,
             message="evaluation-service to know the window")

    # only who answers for the unit asks for its archive
    member = Api(suite.gateway).login(people[2]["username"], PASSWORD)
    assert member.post("/api/forms/archives", {"unit_id": branch["id"], "year": year}).status == 403

    asked = org.post("/api/forms/archives", {"unit_id": branch["id"], "year": year})
    assert asked.status == 202, asked.json
    assert asked.json["state"] == "queued" and asked.json["unit_name"] == branch["name"]
    seen = []

    def ready():
        archive = org.get(f"/api/forms/archives/{asked.json['id']}").json
        seen.append((archive["state"], archive["done"], archive["total"]))
        assert archive["state"] != "failed", archive
        return archive["state"] == "ready" and archive
    archive = wait_for(ready, timeout=600, interval=1, message="the archive made")
    assert any(state == "running" and 0 < total for state, _done, total in seen), seen  # progress was shown
    assert archive["done"] == archive["total"] > MEMBERS
    listed = org.get("/api/forms/archives").json
    assert asked.json["id"] in [a["id"] for a in listed["items"]]

    download = org.get(f"/api/forms/archives/{archive['id']}/file")
    assert download.status == 200 and download.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.body)) as zipped:
        names = set(zipped.namelist())
        toc = list(csv.reader(io.StringIO(zipped.read("00-目录.csv").decode("utf-8-sig"))))
        rows = [row for row in toc[2:] if row and row[0].isdigit()]
        assert names == {"00-目录.csv"} | {row[2] for row in rows}
        assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
        letters = [row for row in rows if row[2].startswith("01-承诺书/")]
        assert len(letters) == MEMBERS
        plates = [row for row in rows if row[2].startswith("02-承诺桌牌与名片/")]
        assert len(plates) == 4  # a plate and a card for each of the two on duty
        for row in letters[:3] + plates[:1]:
            assert zipped.read(row[2])[:5] == b"%PDF-"
        ledger = next(row for row in rows if row[2].startswith("05-汇总/承诺台账"))
        sheet = load_workbook(io.BytesIO(zipped.read(ledger[2]))).active
        text = " ".join(str(c.value) for line in sheet.iter_rows() for c in line if c.value)
        assert all(title in text for title in titles.values())
