"""Markup and script typed into text fields reach the portal and the display screen as text, never as
markup: nothing runs, no element is made from them, and the words show as they were typed."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import go, login

pytestmark = pytest.mark.e2e

MARK = uuid.uuid4().hex[:6]
TITLE = f'<img src=x id=xss-img-{MARK} onerror="window.__pwned=1">承诺{MARK}'
CONTENT = f"<script>window.__pwned=2</script><b id=xss-b-{MARK}>粗</b>"
WINDOW_NAME = f"<svg onload=window.__pwned=3>窗口{MARK}"


def _untouched(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.locator(f"#xss-img-{MARK}, #xss-b-{MARK}, svg[onload]").count() == 0


def test_hostile_text_shows_as_text_on_the_display_and_in_the_portal(suite, page, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    window = org.post("/api/directory/windows", {
        "name": WINDOW_NAME, "location": "<i>一楼</i>", "unit_id": str(_id("br-teachers")),
        "on_duty_ids": [str(_id("dangyuan"))],
        "standards": {"items": ["<script>window.__pwned=4</script>"], "workflow": "受理", "time_limit": "1日"}})
    assert window.status == 201, window.json
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    pledge = member.post("/api/pledges", {"kind": "annual", "title": TITLE, "content": CONTENT, "areas": ["study"],
                                          "submit": True, "due_date": date(date.today().year + 1, 6, 30).isoformat()})
    assert pledge.status == 201, pledge.json
    assert reviewer.post(f"/api/pledges/{pledge.json['id']}/approve").status == 200
    assert reviewer.post(f"/api/pledges/{pledge.json['id']}/publish").status == 200

    page.goto(f"{suite.gateway}/display?window={window.json['id']}&rotate_ms=500&refresh_ms=500")
    seen: set[str] = set()
    wait_for(lambda: seen.add(page.inner_text("body")) or any(TITLE in text for text in seen), timeout=30,
             message="the pledge's title, as typed, on the screen")
    assert any(WINDOW_NAME in text for text in seen), "the window's name, as typed"
    _untouched(page)
    screenshot(page, "xss-display")

    # the portal (Vue escapes every interpolation; nothing uses v-html): the member's list, the pledge's page with
    # its content, and the branch's ledger of the pledge's year
    portal = login(browser, suite, "dangyuan", path="/pledges/mine")
    wait_for(lambda: TITLE in portal.inner_text("#main"), timeout=30, message="the member's pledge, as typed, in the portal")
    _untouched(portal)
    screenshot(portal, "xss-portal")
    go(portal, suite, f"/pledges/{pledge.json['id']}", "pledge")
    assert portal.inner_text("[data-test=pledge-title]") == TITLE
    assert CONTENT in portal.inner_text("[data-test=pledge-facts]")
    _untouched(portal)
    portal.context.close()
    ledger = login(browser, suite, "zhishu", path="/pledges/ledger")
    ledger.locator("[data-test=filter-year]").click()
    ledger.locator(f".el-select-dropdown:visible .el-select-dropdown__item[data-value='{date.today().year + 1}']").click()
    wait_for(lambda: TITLE in ledger.inner_text("#ledger-table"), timeout=30, message="the pledge, as typed, in the ledger")
    _untouched(ledger)
    ledger.context.close()
