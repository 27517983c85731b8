"""Secretaries' and members' pieces of the portal: the ledger filtered by member in pledge-service (so its
XLSX holds exactly the rows shown), the general-branch secretary choosing any branch of theirs, and an
objection (异议) lodged during the 公示 period and read back with its answer."""
from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import openpyxl
import pytest

from gateway.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .test_portal_journeys import directory_projected  # noqa: F401  (autouse: wait for the directory here too)
from .test_portal_journeys import login, open_page, settle

pytestmark = pytest.mark.e2e

YEAR = 2036  # a grading year no other browser test opens


def _approved(member: Api, reviewer: Api, title: str, kind: str = "annual") -> dict:
    body = {"kind": kind, "title": title, "areas": ["serving_masses"], "submit": True,
            "due_date": (date.today() + timedelta(days=20)).isoformat()}
    if kind == "instant":
        body["trigger"] = "temporary_task"
    pledge = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(member.post("/api/pledges", body)),
                      timeout=30, message="the pledge accepted")
    assert reviewer.post(f"/api/pledges/{pledge['id']}/approve").status == 200
    return pledge


def test_the_ledger_filtered_by_member_exports_exactly_the_rows_shown(suite, browser, tmp_path):
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    mine = [_approved(Api(suite.gateway).login("dangyuan", DEMO_PASSWORD), reviewer, f"带头服务学生 {tag}"),
            _approved(Api(suite.gateway).login("dangyuan", DEMO_PASSWORD), reviewer, f"带头值守考场 {tag}", "instant")]
    other = _approved(Api(suite.gateway).login("liuwei", DEMO_PASSWORD), reviewer, f"带头参加义务献血 {tag}")

    page = login(browser, suite, "zhishu")
    open_page(page, "ledger")
    filters = page.locator("#ledger-filters")
    page.wait_for_selector(f"#ledger-table td:text-is('{other['title']}')")  # before filtering: every member
    # A name typed but not applied: the export applies it first, so the file and the table agree.
    filters.locator("input[name=member]").fill("陈党员")
    with page.expect_download() as download_info:
        page.click("#ledger-export")
    page.wait_for_selector(f"#ledger-table td:text-is('{other['title']}')", state="detached")
    shown = page.locator("#ledger-table tbody tr")
    assert {shown.nth(i).locator("td").first.inner_text() for i in range(shown.count())} == {"陈党员"}
    assert set(page.locator("#ledger-table [data-pledger]").evaluate_all("els => els.map(e => e.dataset.pledger)")) == {
        str(_id("dangyuan"))}
    screenshot(page, "portal-ledger-by-member")
    path = tmp_path / "ledger.xlsx"
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][0] == "承诺人" and rows[0][5] == "承诺事项"
    assert len(rows) - 1 == shown.count()
    assert {r[0] for r in rows[1:]} == {"陈党员"}
    titles = {r[5] for r in rows[1:]}
    assert {p["title"] for p in mine} <= titles and other["title"] not in titles

    # Every filter on the page narrows the file: the kind as well as the member.
    filters.locator("select[name=kind]").select_option("instant")
    with page.expect_download() as download_info:
        page.click("#ledger-export")
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))[1:]
    assert {(r[0], r[3]) for r in rows} == {("陈党员", "即时承诺")} and mine[1]["title"] in {r[5] for r in rows}
    assert page.locator("#ledger-table tbody tr").count() == len(rows)
    page.context.close()


def test_a_general_branch_secretary_chooses_any_branch_and_a_branch_secretary_keeps_theirs(suite, browser):
    general = login(browser, suite, "zongzhi")
    open_page(general, "branch-members")
    general.wait_for_selector("#members", state="attached")  # the picker is drawn before the members' panel loads
    picker = general.locator("#branch-picker select")
    offered = set(picker.locator("option").evaluate_all("os => os.map(o => o.value)"))
    assert {str(_id("br-teachers")), str(_id("br-students"))} <= offered
    assert str(_id("br-affairs")) not in offered  # another general branch's
    api = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    for branch_key in ("br-students", "br-teachers"):  # the demo's student branch has no one yet
        picker.select_option(str(_id(branch_key)))
        settle(general)
        people = api.get(f"/api/directory/units/{_id(branch_key)}/members?limit=500").json["items"]
        shown = general.locator("#members li").evaluate_all("ls => ls.map(l => l.dataset.id)")
        assert set(shown) == {p["id"] for p in people if p["category"] != "masses"}
    assert str(_id("dangyuan")) in shown
    screenshot(general, "portal-branch-members-general")
    general.context.close()

    branch = login(browser, suite, "zhishu")
    open_page(branch, "branch-members")
    branch.wait_for_selector("#members", state="attached")
    assert branch.locator("#branch-picker select option").evaluate_all("os => os.map(o => o.value)") == [
        str(_id("br-teachers"))]
    branch.context.close()


def _published_cycle(suite) -> dict:
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    superiors = {"br-teachers": "zongzhi", "br-students": "zongzhi", "br-affairs": "jiguan"}
    cycle = org.post("/api/grading/cycles", {
        "year": YEAR, "advanced_cap_percent": 34, "self_assessment_deadline": f"{YEAR}-12-31", "publicity_days": 5,
        "branch_ids": [str(_id(k)) for k in superiors]}).json
    for branch, who in superiors.items():
        assert Api(suite.gateway).login(who, DEMO_PASSWORD).post(
            f"/api/grading/cycles/{cycle['id']}/branches/{_id(branch)}/level",
            {"action": "override", "level": "ordinary", "reason": "定级"}).status == 200
    published = org.post(f"/api/grading/cycles/{cycle['id']}/publish")
    assert published.status == 200, published.json
    return published.json


def test_a_member_objects_during_publicity_and_reads_the_answer(suite, browser):
    cycle = _published_cycle(suite)
    member = login(browser, suite, "dangyuan")
    open_page(member, "grading-publicity")
    member.select_option(".cycle-picker select", cycle["id"])
    settle(member)
    assert f"公示期至 {cycle['publicity_ends_on']}" in member.inner_text("#publicity-panel")
    row = member.locator(f"#publicity-table tr[data-branch='{_id('br-affairs')}']")
    assert row.locator("td").first.inner_text() == "一般" and "机关党总支" in row.locator("th").inner_text()
    row.locator("button.object").click()
    assert member.evaluate("document.activeElement.name") == "text"  # the form takes the keyboard
    member.locator("#objection-form button[type=submit]").click()
    member.locator("#objection-form .field-error").wait_for()  # nothing written: said beside the box
    text = f"该支部群众评价材料不全，建议复核 {uuid.uuid4().hex[:4]}"
    member.keyboard.type(text)
    member.keyboard.press("Tab")
    member.keyboard.press("Enter")  # the submit button, by keyboard alone
    member.locator(f"#my-objections li:has-text('{text}') .pending").wait_for()
    screenshot(member, "portal-objection-lodged")

    general = Api(suite.gateway).login("jiguan", DEMO_PASSWORD)
    [lodged] = [o for o in general.get(f"/api/grading/cycles/{cycle['id']}/objections?limit=200").json["items"]
                if o["text"] == text]
    assert lodged["branch_id"] == str(_id("br-affairs")) and lodged["lodged_by"] == str(_id("dangyuan"))
    assert general.post(f"/api/grading/cycles/{cycle['id']}/objections/{lodged['id']}/answer",
                        {"answer": "经复核，材料已补齐，维持一般"}).status == 200
    member.reload()
    member.wait_for_selector("#page[data-page=grading-publicity]")
    settle(member)
    member.select_option(".cycle-picker select", cycle["id"])
    settle(member)
    answered = member.locator(f"#my-objections li[data-id='{lodged['id']}']")
    assert "经复核，材料已补齐，维持一般" in answered.locator(".answer").inner_text()
    member.context.close()

    # The branch secretary's grading page sends them to the same list, of that year.
    secretary = login(browser, suite, "zhishu")
    open_page(secretary, "branch-grading")
    secretary.select_option(".cycle-picker select", cycle["id"])
    settle(secretary)
    secretary.click("p.publicity a")
    secretary.wait_for_selector(f"#publicity-table tr[data-branch='{_id('br-teachers')}'] button.object")
    assert secretary.locator(".cycle-picker select").input_value() == cycle["id"]
    secretary.context.close()

    # On a phone, in English, the list and its buttons still fit and read.
    phone = login(browser, suite, "liuwei", viewport=(390, 844))
    phone.click("#lang")
    phone.goto(f"{suite.gateway}/#/grading-publicity")
    phone.wait_for_selector("#page[data-page=grading-publicity]")
    settle(phone)
    phone.select_option(".cycle-picker select", cycle["id"])
    settle(phone)
    assert "until" in phone.inner_text("#publicity-panel")
    assert phone.locator("#publicity-table button.object").first.inner_text() == "Object"
    assert phone.locator("#publicity-table button.object").first.bounding_box()["x"] + 60 < 390  # on screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "portal-publicity-phone-en")
    phone.context.close()
