"""A window's rating QR code (评价二维码, issue #20 finding 7): the general-branch secretary over the window prints its
card from the window's page; a phone nobody logged in on opens the printed link, rates the window 不满意 with a reason
and the member on duty, and is thanked; the rating is counted (its follow-up case on the secretary's cases page, the
stored rating online and naming that member). The organisation department renews the code from the directory's
windows: the phone still holding the old page is told plainly that the code is no longer valid, and so is a phone
opening the old link; the new one works."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, login, settle, toast
from .test_suggestion_box import _drawn_modules, _qr_modules

pytestmark = pytest.mark.e2e


def _phone(browser):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    return context.new_page()


def _stored(suite, window_id: str) -> list[dict]:
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.text(
                "SELECT source, level, reasons, on_duty_id FROM window_ratings WHERE window_id = :w"),
                {"w": window_id}).mappings()]
    finally:
        engine.dispose()


def test_a_phone_rates_a_window_by_its_printed_code_and_a_renewed_code_says_so(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    general = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    branch = org.post("/api/directory/units", {"name": f"评价码测试支部{tag}", "kind": "branch",
                                                "parent_id": str(_id("gb-teaching")), "department_kind": "teaching"})
    assert branch.status == 201, branch.json
    name = f"学籍服务窗口{tag}"
    window = org.post("/api/directory/windows", {
        "name": name, "location": "行政楼二楼", "unit_id": branch.json["id"], "responsible_id": str(_id("zhishu")),
        "on_duty_ids": [str(_id("liuwei"))]}).json
    link = wait_for(lambda: (r := general.get(f"/api/ratings/windows/{window['id']}/link")).status == 200 and r.json,
                    timeout=60, message="evaluation-service to know the window")
    printed = f"{suite.gateway}/rate/{window['id']}?t={link['token']}"

    # the general-branch secretary above the window prints its code from the window's page
    desk = login(browser, suite, "zongzhi", viewport=DESKTOP, path=f"/windows/{window['id']}")
    desk.click("[data-test=window-rating-qr]")
    dialog = desk.locator("[data-test=rating-qr-dialog]")
    card = dialog.locator("[data-test=qr-card]")
    card.wait_for()
    assert card.locator("[data-test=qr-link]").inner_text() == printed
    assert card.locator(".qr-title").inner_text() == name
    wait_for(lambda: card.locator("[data-test=qr-canvas]").evaluate("canvas => canvas.width") > 0, timeout=10,
             message="the QR code drawn")
    expected = _qr_modules(printed)
    assert _drawn_modules(card, len(expected)) == expected  # what a phone scans is that address
    assert dialog.locator("[data-test=rotate-link]").count() == 0  # renewing it is the organisation department's
    screenshot(desk, "rating-qr-card")
    desk.context.close()

    # a phone nobody logged in on opens the printed link and rates the window
    phone = _phone(browser)
    phone.goto(printed)
    phone.locator("[data-test=window-name]").filter(has_text=name).wait_for()
    assert "/login" not in phone.url and phone.locator(".page-frame").count() == 0
    assert phone.locator("[data-test=on-duty]").inner_text().split() == ["不指定", "刘伟"]
    phone.click("[data-test=send]")
    assert phone.locator("[data-test=level-missing]").inner_text() == "请选择满意程度"
    phone.locator("[data-test=levels] .el-radio", has_text="不满意").filter(has_not_text="非常").click()
    phone.locator("[data-test=reasons] .el-checkbox-button", has_text="服务态度").click()
    phone.locator("[data-test=on-duty] .el-radio", has_text="刘伟").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing wider than the phone
    screenshot(phone, "rating-phone", full_page=True)
    with phone.expect_response(lambda r: r.url.endswith("/api/ratings") and r.request.method == "POST") as sent:
        phone.click("[data-test=send]")
    assert sent.value.status == 201, sent.value.text()
    headers = {k.lower() for k in sent.value.request.all_headers()}
    assert "authorization" not in headers and "idempotency-key" not in headers
    case_id = sent.value.json()["case_id"]
    thanks = phone.locator("[data-test=thanks]")
    thanks.wait_for()
    assert "感谢您的评价" in thanks.inner_text()
    screenshot(phone, "rating-phone-thanks")

    # counted: online, naming the member on duty, and its follow-up case on the secretary's cases page
    assert _stored(suite, window["id"]) == [
        {"source": "online", "level": 2, "reasons": ["服务态度"], "on_duty_id": _id("liuwei")}]
    cases = login(browser, suite, "zongzhi", viewport=DESKTOP, path=f"/windows/cases?window_id={window['id']}")
    rows = cases.locator("[data-test=cases] .el-table__body tr")
    rows.first.wait_for()
    assert rows.count() == 1 and rows.first.locator("[data-id]").first.get_attribute("data-id") == case_id
    assert "不满意" in rows.first.inner_text() and "服务态度" in rows.first.inner_text()
    cases.context.close()

    # the phone opens the code again; meanwhile the organisation department renews it from the windows' list
    phone.goto(printed)
    phone.locator("[data-test=window-name]").filter(has_text=name).wait_for()
    admin = login(browser, suite, "zuzhibu", viewport=DESKTOP, path=f"/directory/windows?unit_id={branch.json['id']}")
    row = admin.locator("#windows-table .el-table__body tr", has_text=name)
    row.wait_for()
    row.locator("[data-test=rating-qr]").click()
    dialog = admin.locator("[data-test=rating-qr-dialog]")
    dialog.locator("[data-test=qr-link]").filter(has_text=link["token"]).wait_for()
    dialog.locator("[data-test=rotate-link]").click()
    box = admin.locator(".el-message-box")
    box.wait_for()
    assert name in box.inner_text() and "立即失效" in box.inner_text()
    box.locator(".el-message-box__btns .el-button--primary").click()
    assert "已更换" in toast(admin, "已更换")
    renewed = org.get(f"/api/ratings/windows/{window['id']}/link").json
    assert renewed["token"] != link["token"]
    dialog.locator("[data-test=qr-link]").filter(has_text=renewed["token"]).wait_for()
    screenshot(admin, "rating-qr-renewed")
    settle(admin)
    admin.context.close()

    # the old page, sent: told plainly; the old link opened anew: the same; the new one works
    phone.locator("[data-test=levels] .el-radio", has_text="非常满意").click()
    phone.click("[data-test=send]")
    invalid = phone.locator("[data-test=link-invalid]")
    invalid.wait_for()
    assert "此评价二维码已失效" in invalid.inner_text() and "最新" in invalid.inner_text()
    screenshot(phone, "rating-phone-renewed-link")
    phone.goto(printed)
    phone.locator("[data-test=link-invalid]").wait_for()
    assert phone.locator("#rating-form").count() == 0
    phone.goto(f"{suite.gateway}{renewed['url']}")
    phone.locator("[data-test=window-name]").filter(has_text=name).wait_for()
    assert len(_stored(suite, window["id"])) == 1  # the rating through the old code was not taken
    phone.context.close()
