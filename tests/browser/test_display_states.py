"""The display screen is never blank (issue 22): not paired, its window closed, or the gateway away, it says so
full screen; while the gateway is away it keeps its last content, marked with when it was fetched, and recovers by
itself; it fills a 1920×1080 or a 1080×1920 screen with type readable from three metres."""
from __future__ import annotations

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .devices import window_with_kiosk

pytestmark = pytest.mark.e2e


def test_a_display_without_a_window_or_unit_says_it_is_not_paired_and_shows_its_pairing_code(suite, page):
    page.goto(f"{suite.gateway}/display")
    state = page.locator("[data-test=state]")
    state.wait_for()
    page.wait_for_selector("[data-test=state] [data-test=user-code]")
    assert "此显示屏尚未配对" in state.inner_text()
    assert "设备配对" in state.inner_text()  # where to confirm it
    box = state.bounding_box()
    size = page.viewport_size
    assert box["width"] == size["width"] and box["height"] == size["height"]  # full screen, not a corner
    screenshot(page, "display-unset")


def test_a_display_whose_window_is_closed_says_so(suite, page):
    window, _credential = window_with_kiosk(suite, "临时服务窗口")
    page.goto(f"{suite.gateway}/display?window={window['id']}&refresh_ms=300")
    page.wait_for_selector("#page h2")
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    assert org.request("PATCH", f"/api/directory/windows/{window['id']}", {"active": False}).status == 200
    page.wait_for_selector("[data-test=state]")
    assert "此窗口已撤销" in page.inner_text("[data-test=state]")


def test_a_display_keeps_its_content_while_the_gateway_is_away_and_recovers_by_itself(suite, page):
    window, _credential = window_with_kiosk(suite, "综合服务窗口")
    page.goto(f"{suite.gateway}/display?window={window['id']}&refresh_ms=300&rotate_ms=600000")
    page.wait_for_selector("#page h2")
    assert page.inner_text("#title").startswith("综合服务窗口 · ")
    shown = page.inner_text("#page")
    suite.stop_process("gateway-web")
    try:
        stale = page.locator("[data-test=stale]")
        stale.wait_for(timeout=15000)
        assert "连接中断" in stale.inner_text() and "正在自动重试" in stale.inner_text()
        assert page.inner_text("#page") == shown  # the last content stays
        assert page.locator("[data-test=state]").count() == 0  # not replaced by an error screen
        screenshot(page, "display-stale")
    finally:
        suite.start_process("gateway-web")
        wait_for(suite.ready, timeout=60, message="the gateway back")
    page.wait_for_selector("#page h2")
    wait_for(lambda: page.locator("[data-test=stale]").count() == 0, timeout=30, message="the display to recover")
    assert page.inner_text("#page") == shown


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_display_fills_the_screen_with_large_type(suite, browser, size):
    window, _credential = window_with_kiosk(suite, f"大屏服务窗口{size[0]}")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{suite.gateway}/display?window={window['id']}&rotate_ms=600000")
    page.wait_for_selector("#page h2")
    main = page.locator("#page").bounding_box()
    assert main["width"] == size[0] and main["height"] >= 0.7 * size[1]  # the whole width, most of the height
    short = min(size)
    # 3 m away, text should be at least ~4 % of the screen's shorter side for a heading, ~3 % for the body
    heading = page.locator("#page h2").evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    body = page.locator("#page dd").first.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    assert heading >= 0.05 * short and body >= 0.04 * short, (heading, body)
    screenshot(page, f"display-{size[0]}x{size[1]}")
    context.close()
