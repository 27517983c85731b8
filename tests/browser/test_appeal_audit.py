"""申诉复核台账 in the browser: a general branch secretary finds a pending appeal against a rating of a window under
their general branch, decides it with a reason (none is refused in the browser first), and the row then shows the
decision, who made it and the rating out of the figures. A branch secretary has no such page."""
from __future__ import annotations

import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e


def test_a_general_branch_secretary_decides_an_appeal_and_the_audit_shows_it(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    window = org.post("/api/directory/windows", {
        "name": f"申诉测试窗口 {uuid.uuid4().hex[:4]}", "location": "行政楼一楼", "unit_id": str(_id("br-students")),
        "responsible_id": str(_id("zhishu")), "on_duty_ids": [],
        "standards": {"items": ["学籍证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}})
    assert window.status == 201, window.json
    credential = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": "评价器"}).json["credential"]
    batch = {"ratings": [{"client_id": f"a-{uuid.uuid4().hex}", "level": 1, "reasons": []}]}

    def rated():
        answer = Api(suite.gateway).post("/api/ratings/batch", batch, headers={"Authorization": f"Kiosk {credential}"})
        return answer.json["items"][0]["rating_id"] if answer.status == 200 and answer.json["rejected"] == 0 else None

    rating_id = wait_for(rated, timeout=30, message="the kiosk's rating accepted")
    reason = f"同一设备连续差评 {uuid.uuid4().hex[:4]}"
    assert secretary.post(f"/api/ratings/{rating_id}/appeals", {"reason": reason}).status == 201
    assert secretary.get("/api/ratings/appeals").status == 403

    page = login(browser, suite, "zongzhi")
    open_from_menu(page, "appeals")
    row = page.locator("[data-test=appeals] .el-table__body tr", has_text=reason)
    row.wait_for()
    assert row.locator("[data-test=appeal-state]").inner_text() == "待裁决"
    row.locator("[data-test=open-appeal]").click()
    drawer = page.locator("[data-test=appeal-drawer]")
    drawer.locator("[data-test=appeal-save]").click()  # a decision says why: asked in the browser first
    assert drawer.locator(".el-form-item__error").first.inner_text() == "此项为必填项"
    drawer.locator("textarea[name=note]").fill("核实为设备误触")
    drawer.locator("[data-test=appeal-save]").click()
    assert toast(page) == "已裁决"
    settle(page)
    decided = page.locator("[data-test=appeals] .el-table__body tr", has_text=reason)
    decided.locator("[data-test=appeal-state][data-status=upheld]").wait_for()
    assert decided.locator("[data-test=excluded]").inner_text() == "已剔除"
    assert "李总支" in decided.inner_text() and "核实为设备误触" in decided.inner_text()
    screenshot(page, "windows-appeals")
    page.context.close()

    # the branch secretary who filed it has no audit page in the menu
    page = login(browser, suite, "zhishu")
    assert page.locator(".side-menu .el-menu-item[data-page='appeals']").count() == 0
    page.context.close()
