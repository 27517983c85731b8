"""A counter device pairs as a television does (issue 22, RFC 8628): a new kiosk shows a code and a QR code, a
branch secretary confirms it in the portal, and the kiosk rates by itself with no credential typed; a code no
device waits with is refused in the portal; a display pairs the same way, and a revoked display shows its
unpaired state again."""
from __future__ import annotations

import re

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .devices import rate, ratings_stored
from .test_directory import choose_unit
from .portal import login, settle

pytestmark = pytest.mark.e2e

CODE = re.compile(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}")


def _window(name: str) -> dict:
    return {"name": name, "location": "行政楼一楼", "unit_id": str(_id("br-teachers")),
            "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("dangyuan"))]}


def _confirm(portal, suite, code: str, name: str, window: str | None = None, unit: bool = False) -> None:
    """The secretary opens the address the device's QR code holds, chooses what it serves and confirms."""
    portal.goto(f"{suite.gateway}/devices/pair?code={code}")
    portal.wait_for_selector("[data-test=waiting]")
    settle(portal)
    if unit:
        portal.click("#pair-device label:has-text('一个组织')")
        choose_unit(portal, portal.locator("[data-test=pair-unit]"), str(_id("br-teachers")), "教工第一党支部")
    else:
        portal.locator("[data-test=pair-window]").click()
        portal.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter(
            has_text=re.compile(f"^\\s*{re.escape(window)}\\s*$")).first.click()
    portal.fill("#pair-device input[name=name]", name)
    portal.click("[data-test=approve]")
    portal.wait_for_selector("[data-test=paired]")


def test_a_kiosk_pairs_by_the_code_it_shows_and_then_rates(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    window = org.post("/api/directory/windows", _window("配对测试窗口")).json
    kiosk = browser.new_page()
    kiosk.goto(f"{suite.gateway}/kiosk?send_ms=300&thanks_ms=300&repeat_ms=0")
    code_box = kiosk.locator("[data-test=user-code]")
    code_box.wait_for()
    code = code_box.inner_text()
    assert CODE.fullmatch(code)
    assert kiosk.locator("#pair canvas.pairing-qr").count() == 1  # the QR code of the confirmation address
    screenshot(kiosk, "kiosk-pairing-code")

    portal = login(browser, suite, "zhishu", path="/home")  # the window's branch secretary
    _confirm(portal, suite, code, "配对测试评价器", window="配对测试窗口")
    screenshot(portal, "portal-pair-device")

    kiosk.wait_for_selector("#idle:not([hidden])", timeout=30000)  # it collected its credential by itself
    assert kiosk.inner_text("#window-name") == "配对测试窗口"
    rate(kiosk, "满意")
    wait_for(lambda: [level for _c, level in ratings_stored(suite, window["id"])] == [4], timeout=30,
             message="the paired kiosk's rating")

    # the same code again: nothing waits with it any more
    portal.goto(f"{suite.gateway}/devices/pair?code={code}")
    portal.wait_for_selector(".code-form .el-form-item__error")
    assert "没有设备在等待此配对码" in portal.inner_text(".code-form .el-form-item__error")
    portal.context.close()
    kiosk.context.close()


def test_a_display_pairs_to_a_unit_and_shows_its_unpaired_state_when_revoked(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(f"{suite.gateway}/display?refresh_ms=500")
    screen.wait_for_selector("[data-test=state] [data-test=user-code]")
    assert "此显示屏尚未配对" in screen.inner_text("[data-test=state]")
    code = screen.inner_text("[data-test=user-code]")
    screenshot(screen, "display-pairing-code")

    portal = login(browser, suite, "zuzhibu", path="/home")
    _confirm(portal, suite, code, "一楼大厅显示屏", unit=True)
    screen.wait_for_selector("#page h2", timeout=30000)
    wait_for(lambda: screen.locator("[data-test=state]").count() == 0, timeout=30, message="the display showing")
    assert "亮承诺" in screen.inner_text("#page h2")

    device = next(d for d in org.get("/api/directory/kiosks?limit=200").json["items"] if d["name"] == "一楼大厅显示屏")
    assert (device["kind"], device["unit_id"]) == ("display", str(_id("br-teachers")))
    assert org.post(f"/api/directory/kiosks/{device['id']}/revoke").status == 200
    screen.wait_for_selector("[data-test=state] [data-test=user-code]", timeout=30000)  # unpaired again, a new code
    assert screen.inner_text("[data-test=user-code]") != code
    portal.context.close()
    screen.context.close()
