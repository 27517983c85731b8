"""The masses rate a window at its kiosk, also while the gateway is down; the display screen shows
standards, identity and pledges, rotating, and picks up a new pledge by itself (三亮)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .devices import pair, press_ignored, rate, ratings_stored, window_with_kiosk
from .portal import login, settle

pytestmark = pytest.mark.e2e


def _credential_from_portal(page, suite, window_name: str) -> str:
    """The organisation department issues the kiosk's credential in the portal (评价器与显示屏), as it would."""
    page.goto(f"{suite.gateway}/login?redirect=/windows/devices")
    page.fill("#login-form input[name=username]", "zuzhibu")
    page.fill("#login-form input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector(".page-frame[data-page=devices] [data-test=kiosk-panel]")
    settle(page)
    page.click("[data-test=new-kiosk]")
    dialog = page.locator(".el-dialog", has=page.locator("#new-kiosk"))
    dialog.locator("[data-test=kiosk-window]").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter(
        has_text=re.compile(f"^\\s*{re.escape(window_name)}\\s*$")).first.click()
    dialog.locator("input[name=name]").fill(f"{window_name}评价器（门户）")
    dialog.locator("[data-test=issue]").click()
    page.wait_for_selector("[data-test=kiosk-credential]")
    screenshot(page, "portal-kiosk-credential")
    credential = page.inner_text("[data-test=kiosk-credential]").strip()
    page.click("[data-test=credential-done]")
    page.click("[data-test=me]")
    page.click("[data-test=logout]")
    page.wait_for_selector("#login-form")
    return credential


def test_ratings_made_while_the_gateway_is_down_arrive_exactly_once(suite, page):
    window, _api_credential = window_with_kiosk(suite, "教务服务窗口")
    credential = _credential_from_portal(page, suite, "教务服务窗口")
    pair(page, suite, credential, repeat_ms=0)
    assert page.inner_text("#window-name") == "教务服务窗口"
    assert "共产党员" in page.inner_text("#on-duty")
    screenshot(page, "kiosk-idle")
    rate(page, "非常满意")
    wait_for(lambda: len(ratings_stored(suite, window["id"])) == 1, timeout=30, message="the first rating")

    suite.stop_process("gateway-web")
    try:
        rate(page, "满意")
        rate(page, "基本满意")
        page.click("#levels button:has(.label:text-is('不满意'))")
        tags = page.locator("#reason-tags button")
        tags.first.wait_for()
        first_tag = tags.first.inner_text()
        tags.first.click()
        page.click("#reasons-done")
        page.wait_for_selector("#idle:not([hidden])")
        wait_for(lambda: page.inner_text("#pending") == "待发送 3", message="three ratings waiting")
        page.reload()  # the page itself comes from the kiosk's cache while the gateway is away
        page.wait_for_selector("#levels button")
        assert page.inner_text("#pending") == "待发送 3"
        assert "共产党员" in page.inner_text("#on-duty")
        screenshot(page, "kiosk-offline")
    finally:
        suite.start_process("gateway-web")
        wait_for(suite.ready, timeout=60, message="the gateway back")
    wait_for(lambda: page.locator("#pending").is_hidden(), timeout=30, message="the queue to drain")
    stored = ratings_stored(suite, window["id"])
    assert sorted(level for _client, level in stored) == [2, 3, 4, 5]
    assert len({client for client, _level in stored}) == 4
    assert first_tag


def test_the_same_button_pressed_again_within_the_repeat_window_counts_once(suite, page):
    window, credential = window_with_kiosk(suite, "财务服务窗口")
    pair(page, suite, credential, repeat_ms=5000, thanks_ms=100)
    rate(page, "非常满意")
    press_ignored(page, "非常满意")  # within 5 s of the last counted press of this button
    rate(page, "满意")  # another button counts
    wait_for(lambda: len(ratings_stored(suite, window["id"])) >= 2, timeout=30, message="two ratings")
    # Nothing left in the kiosk's queue: had the repeat been counted, it would be stored by now.
    wait_for(lambda: page.locator("#pending").is_hidden(), timeout=30, message="the queue to drain")
    assert sorted(level for _c, level in ratings_stored(suite, window["id"])) == [4, 5]


def test_the_display_rotates_and_shows_a_newly_published_pledge_without_a_reload(suite, page):
    window, _credential = window_with_kiosk(suite, "党员先锋岗")
    page.goto(f"{suite.gateway}/display?window={window['id']}&rotate_ms=700&refresh_ms=500")
    page.wait_for_selector("main h2")
    seen = set()
    wait_for(lambda: seen.add(page.inner_text("main h2")) or len(seen) >= 3, timeout=15,
             message="the three kinds of page to rotate through")
    assert {"亮标准 · 服务标准", "亮身份 · 今日当班", "亮承诺 · 党员承诺"} <= seen
    screenshot(page, "display")

    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    title = "带头提供一站式服务"
    pledge = wait_for(lambda: member.post("/api/pledges", {
        "kind": "annual", "title": title, "areas": ["serving_masses"], "submit": True,
        "due_date": date(date.today().year + 1, 6, 30).isoformat()}).json, timeout=30)
    assert reviewer.post(f"/api/pledges/{pledge['id']}/approve").status == 200
    assert reviewer.post(f"/api/pledges/{pledge['id']}/publish").status == 200
    wait_for(lambda: title in page.inner_text("main"), timeout=20, message="the new pledge on the screen")
    screenshot(page, "display-new-pledge")


def test_a_member_sees_the_areas_suggested_for_a_teaching_department(suite, browser):
    """分类指导: a member of a teaching department's branch, making a pledge, reads the themes suggested for a
    teaching department and sees its areas marked as suggested in the new pledge's form (我的承诺 → 新建承诺)."""
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    page.click("[data-test=new-pledge]")
    form = page.locator("#pledge-form")
    form.wait_for()
    guidance = form.locator("[data-test=guidance]")
    guidance.wait_for()  # read once the page knows the member's department
    assert "搞好教书育人" in guidance.inner_text()
    assert "分类指导：教学部门的党员建议围绕以下方面承诺" in guidance.inner_text()
    suggested = form.locator(".el-checkbox.suggested").evaluate_all("boxes => boxes.map((b) => b.dataset.value)")
    assert set(suggested) == {"study", "achievement", "serving_masses"}
    # every area stays open to choose; the suggested ones carry their tag
    assert form.locator(".el-checkbox[data-value]").count() == 5
    assert form.locator(".el-checkbox.suggested .suggested-tag").count() == 3
    page.wait_for_function("() => { const d = document.querySelector('[data-test=pledge-drawer]');"
                           " return d && Math.round(d.getBoundingClientRect().right) === window.innerWidth; }")  # slid in
    screenshot(page, "portal-member")
    page.context.close()
