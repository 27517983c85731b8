"""工作台 (portal/src/views/home): every role lands on what waits for it. Each section's count is the total of its list
(the same query the list page makes) and the count cards are the side menu's; an entry opens the item itself
(/pledges/<id>, /feedback/<case id>, /grading/<cycle id>?branch_id=…); a section whose service is away says so and
retries on its own while the others still show; a member's home fits a phone without scrolling sideways."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, login, settle

pytestmark = pytest.mark.e2e

HOME_YEAR = 2046  # an open cycle no other test grades: the secretaries' self-assessment and levels to give
SECTIONS = {
    "dangyuan": ["my-pledges", "evaluations", "notices", "result"],
    "zhishu": ["my-pledges", "self-assessment", "cases", "branch-overdue", "rectification", "evaluations", "notices", "result"],
    "zongzhi": ["my-pledges", "review", "to-grade", "cases", "branch-overdue", "evaluations", "notices", "result"],
    "zuzhibu": ["review", "cycle", "overdue-cases", "branch-overdue", "evaluations", "notices"],
}


def _api(suite, who: str) -> Api:
    return Api(suite.gateway).login(who, DEMO_PASSWORD)


def _total(api: Api, path: str) -> int:
    response = api.get(path)
    assert response.status == 200, response.json
    return response.json["total"]


@pytest.fixture(scope="module")
def waiting(suite):
    """Something waiting for each role: a draft and a submitted pledge of the member, a bad rating of the secretary's
    window (an open case), an open cycle with the branches still to assess and to grade."""
    member = _api(suite, "dangyuan")
    tag = uuid.uuid4().hex[:6]
    due = (date.today() + timedelta(days=3)).isoformat()  # near the top of the member's list
    pledge = {"kind": "instant", "title": f"工作台草稿{tag}", "areas": ["study"], "due_date": due, "trigger": "temporary_task"}
    draft = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(member.post("/api/pledges", pledge)),
                     timeout=30, message="the member's draft")
    submitted = member.post("/api/pledges", {**pledge, "title": f"工作台待审{tag}", "submit": True})
    assert submitted.status == 201, submitted.json

    org = _api(suite, "zuzhibu")
    window = org.post("/api/directory/windows", {
        "name": f"工作台窗口{tag}", "location": "一楼", "unit_id": str(_id("br-teachers")),
        "responsible_id": str(_id("zhishu"))})
    assert window.status == 201, window.json
    device = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": f"工作台评价器{tag}"})
    assert device.status == 201, device.json
    kiosk = {"Authorization": f"Kiosk {device.json['credential']}"}

    def rated() -> bool:  # once evaluation-service has heard of the new window; a resent rating counts once
        answer = Api(suite.gateway).post("/api/ratings/batch", {"ratings": [{"client_id": f"home-{tag}", "level": 1}]},
                                         headers=kiosk)
        return answer.status == 200 and answer.json["accepted"] + answer.json["duplicate"] == 1

    wait_for(rated, timeout=30, interval=0.3, message="the bad rating accepted")
    zhishu = _api(suite, "zhishu")
    wait_for(lambda: any(c["window_id"] == window.json["id"] for c in
                         zhishu.get("/api/feedback/cases?state=open,escalated&limit=100").json["items"]),
             timeout=60, message="the case of the bad rating")

    cycles = org.get("/api/grading/cycles?limit=100").json["items"]
    cycle = next((c for c in cycles if c["year"] == HOME_YEAR), None) or org.post("/api/grading/cycles", {
        "year": HOME_YEAR, "advanced_cap_percent": 40, "self_assessment_deadline": f"{HOME_YEAR}-12-31",
        "branch_ids": [str(_id(k)) for k in ("br-teachers", "br-students", "br-affairs")]}).json
    return {"draft": draft, "submitted": submitted.json, "window": window.json, "cycle": cycle}


def _count(page, key: str) -> int | None:
    text = page.locator(f"[data-count={key}] [data-test=value]").inner_text().strip()
    return int(text) if text.isdigit() else None


def _section_total(page, name: str) -> int:
    tag = page.locator(f"[data-section={name}] [data-test=total]")
    tag.wait_for()
    return int(tag.get_attribute("data-total"))


def _wait_count(page, key: str, expected: int) -> None:
    page.wait_for_function(
        "([key, n]) => (document.querySelector(`[data-count=${key}] [data-test=value]`) || {}).textContent?.trim() === String(n)",
        arg=[key, expected], timeout=20_000)


@pytest.mark.parametrize("who", list(SECTIONS))
def test_each_roles_home_shows_its_sections_with_the_lists_totals(suite, browser, waiting, who):
    api = _api(suite, who)
    page = login(browser, suite, who)
    assert page.url.endswith("/home")
    assert page.eval_on_selector_all("[data-section]", "els => els.map(e => e.dataset.section)") == SECTIONS[who]

    # the count cards are the side menu's to-do counts: each the total of its list
    _wait_count(page, "unread", api.get("/api/notifications/unread-count").json["unread"])
    _wait_count(page, "evaluationsToGive", _total(api, "/api/evaluations/rounds?waiting=true&limit=1"))
    if who != "zuzhibu":
        _wait_count(page, "pledgesToFix", _total(api, "/api/pledges?scope=mine&state=returned&limit=1"))
    if who != "dangyuan":
        open_cases = _total(api, "/api/feedback/cases?state=open,escalated&limit=1")
        _wait_count(page, "openCases", open_cases)
    if who in ("zongzhi", "zuzhibu"):
        _wait_count(page, "pledgesToReview", _total(api, "/api/pledges?scope=review&state=submitted&limit=1"))

    # each section counts what its list counts
    assert _section_total(page, "notices") == _total(api, "/api/notifications?read=false&limit=1")
    assert _section_total(page, "evaluations") == _total(api, "/api/evaluations/rounds?waiting=true&limit=1")
    if "my-pledges" in SECTIONS[who]:
        assert _section_total(page, "my-pledges") == _total(api, "/api/pledges?scope=mine&state=returned,overdue,draft&limit=1")
    if "cases" in SECTIONS[who]:
        assert _section_total(page, "cases") == open_cases > 0
        first = api.get("/api/feedback/cases?state=open,escalated&sort=urgency&limit=5").json["items"]
        assert page.eval_on_selector_all("[data-section=cases] li[data-id]", "els => els.map(e => e.dataset.id)") == \
            [c["id"] for c in first]  # overdue first, then the nearest deadline, as the service orders them
    if "overdue-cases" in SECTIONS[who]:
        assert _section_total(page, "overdue-cases") == _total(api, "/api/feedback/cases?overdue=true&limit=1")
    if "review" in SECTIONS[who]:
        review = _total(api, "/api/pledges?scope=review&state=submitted&limit=1")
        assert _section_total(page, "review") == review > 0
    if who == "zhishu":
        assert page.locator(f"[data-section=self-assessment] li[data-id='{waiting['cycle']['id']}-{_id('br-teachers')}']").count() == 1
    if who == "zongzhi":
        rows = page.eval_on_selector_all("[data-section=to-grade] li[data-id]", "els => els.map(e => e.dataset.id)")
        assert f"{waiting['cycle']['id']}-{_id('br-teachers')}" in rows or _section_total(page, "to-grade") > 5
    if who == "zuzhibu":
        assert page.locator("[data-section=cycle] li[data-id]").count() == 1
    screenshot(page, f"home-{who}")
    page.context.close()


def test_an_entry_opens_the_item_and_view_all_opens_its_list(suite, browser, waiting):
    member = login(browser, suite, "dangyuan")
    row = member.locator(f"[data-section=my-pledges] li[data-id='{waiting['draft']['id']}'] a")
    assert row.get_attribute("href") == f"/pledges/{waiting['draft']['id']}"
    row.click()
    member.wait_for_url(f"**/pledges/{waiting['draft']['id']}")
    member.wait_for_selector(".page-frame[data-page=pledge]")
    member.go_back()
    member.wait_for_selector("[data-section=my-pledges] [data-test=all]")
    member.click("[data-section=my-pledges] [data-test=all]")
    member.wait_for_selector(".page-frame[data-page=my-pledges]")
    member.context.close()

    secretary = login(browser, suite, "zhishu")
    case = secretary.locator("[data-section=cases] li[data-id] a").first
    case_id = secretary.locator("[data-section=cases] li[data-id]").first.get_attribute("data-id")
    case.click()
    secretary.wait_for_url(f"**/feedback/{case_id}")
    secretary.wait_for_selector(".page-frame[data-page=case]")
    secretary.go_back()
    grading = secretary.locator(f"[data-section=self-assessment] li[data-id='{waiting['cycle']['id']}-{_id('br-teachers')}'] a")
    assert grading.get_attribute("href") == f"/grading/{waiting['cycle']['id']}?branch_id={_id('br-teachers')}"
    grading.click()
    secretary.wait_for_function("() => !location.pathname.startsWith('/home')")  # the grading page takes it from there
    secretary.context.close()

    # a notice opens its item and is read from then on
    notices = _api(suite, "zhishu").get("/api/notifications?read=false&sort=-created_at&limit=5").json["items"]
    linked = next((n for n in notices if n["link"]), None)
    if linked:
        secretary = login(browser, suite, "zhishu")
        secretary.click(f"[data-section=notices] li[data-id='{linked['id']}'] a")
        secretary.wait_for_url(f"**{linked['link'].split('?')[0]}*")
        read = _api(suite, "zhishu").get("/api/notifications?read=true&sort=-created_at&limit=200").json["items"]
        assert linked["id"] in [n["id"] for n in read], "the opened notice is marked read"
        secretary.context.close()


def test_a_section_whose_service_is_away_says_so_and_retries_while_the_others_show(suite, browser, waiting):
    page = login(browser, suite, "zhishu", path="/profile")
    away = {"on": True}

    def grading(route):
        if away["on"]:
            route.fulfill(status=503, content_type="application/json",
                          body='{"error": {"code": "unavailable", "message": "grading-service is away"}}')
        else:
            route.continue_()

    page.route("**/api/grading/**", grading)
    page.click(".side-menu .el-menu-item[data-page=home]")
    page.wait_for_selector(".page-frame[data-page=home]")
    settle(page)
    for name in ("self-assessment", "rectification"):
        error = page.locator(f"[data-section={name}] .load-error")
        error.wait_for()
        assert "暂不可用" in error.inner_text()
    # the sections of the other services still show
    assert page.locator("[data-section=cases] .load-error").count() == 0
    assert page.locator("[data-section=cases] li[data-id]").count() > 0
    assert page.locator("[data-section=notices] .load-error").count() == 0
    screenshot(page, "home-service-away")
    away["on"] = False
    page.click("[data-section=self-assessment] [data-test=retry]")
    page.wait_for_selector(f"[data-section=self-assessment] li[data-id='{waiting['cycle']['id']}-{_id('br-teachers')}']")
    assert page.locator("[data-section=rectification] .load-error").count() == 1  # each retries on its own
    page.context.close()


def test_a_members_home_fits_a_phone_and_speaks_english(suite, browser, waiting):
    page = login(browser, suite, "dangyuan", viewport=PHONE)
    page.wait_for_selector("[data-section=my-pledges] li[data-id]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing runs off the screen
    box = page.locator("[data-section=my-pledges]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    screenshot(page, "home-dangyuan-phone")
    page.context.close()

    english = login(browser, suite, "dangyuan", locale="en")
    han = re.compile(r"[\u4e00-\u9fff]")
    titles = english.eval_on_selector_all("[data-section] h2, [data-count] .count-label, [data-test=all], h1",
                                          "els => els.map(e => e.textContent.trim())")
    assert titles and not [t for t in titles if han.search(t)], titles
    assert english.locator("h1").inner_text() == "My desk"
    english.click("[data-test=lang]")  # the language switch: the page speaks Chinese at once
    english.wait_for_function("() => document.querySelector('h1').textContent.trim() === '工作台'")
    settle(english)
    titles = english.eval_on_selector_all("[data-section] h2", "els => els.map(e => e.textContent.trim())")
    assert all(han.search(t) for t in titles), titles
    english.context.close()
