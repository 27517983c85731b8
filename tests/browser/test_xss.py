"""Markup and script typed into text fields reach the portal and the display screen as text, never as
markup: nothing runs, no element is made from them, and the words show as they were typed."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from gateway.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot

pytestmark = pytest.mark.e2e

MARK = uuid.uuid4().hex[:6]
TITLE = f'<img src=x id=xss-img-{MARK} onerror="window.__pwned=1">承诺{MARK}'
CONTENT = f"<script>window.__pwned=2</script><b id=xss-b-{MARK}>粗</b>"
WINDOW_NAME = f"<svg onload=window.__pwned=3>窗口{MARK}"


def _untouched(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.locator(f"#xss-img-{MARK}, #xss-b-{MARK}, svg[onload]").count() == 0


def test_hostile_text_shows_as_text_on_the_display_and_in_the_portal(suite, page):
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

    page.goto(f"{suite.gateway}/")
    page.fill("input[name=username]", "dangyuan")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login button")
    wait_for(lambda: TITLE in page.inner_text("body"), timeout=30, message="the member's pledge, as typed, in the portal")
    _untouched(page)
    screenshot(page, "xss-portal")
