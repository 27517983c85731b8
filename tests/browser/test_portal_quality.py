"""The portal's promises beyond the journeys: validation messages next to their field, a service down
shown on its own panel only, English and back, keyboard only, hostile text shown as text, a phone."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from gateway.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .test_portal_journeys import directory_projected  # noqa: F401  (autouse: wait for the directory here too)
from .test_portal_journeys import login, open_page, pledge_item, settle

pytestmark = pytest.mark.e2e


def test_a_bad_pledge_shows_the_services_messages_next_to_each_field(suite, browser):
    expected = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD).post(
        "/api/pledges", {"kind": "annual", "mode": "individual", "title": "", "content": "", "targets": [],
                         "areas": [], "due_date": None}).json["error"]
    assert {"title", "areas", "due_date"} <= set(expected["details"])
    page = login(browser, suite, "dangyuan")
    open_page(page, "my-pledges")
    form = page.locator("#new-pledge")
    form.locator("input[name=due_date]").fill("")
    form.locator("button[type=submit]").click()
    form.locator(".form-error").wait_for()
    assert form.locator(".form-error").inner_text().startswith(expected["message"])
    for name, selector in (("title", "input[name=title]"), ("due_date", "input[name=due_date]"),
                           ("areas", "input[name=areas]")):
        field = form.locator(selector).first
        assert field.get_attribute("aria-invalid") == "true"
        note = page.locator(f"#{field.get_attribute('aria-describedby')}")
        assert note.inner_text() == "；".join(expected["details"][name]), name
    # the title's message sits right after the title's own label
    assert form.locator("label:has(input[name=title]) + .field-error").count() == 1
    screenshot(page, "portal-validation")

    form.locator("input[name=title]").fill("带头完善教学档案")
    form.locator("input[name=areas][value=study]").check()
    form.locator("input[name=due_date]").fill(f"{date.today().year}-12-31")
    form.locator("button.save-draft").click()
    pledge_item(page, "带头完善教学档案").first.locator(".state:text-is('草稿')").wait_for()
    assert form.locator(".field-error").count() == 0
    page.context.close()


def test_a_service_down_shows_on_its_panel_only_and_the_panel_recovers(suite, browser):
    page = login(browser, suite, "dangyuan")
    open_page(page, "profile")
    suite.stop_process("notification-web")
    try:
        page.reload()
        page.wait_for_selector("#page[data-page=profile]")
        prefs = page.locator("section.panel", has=page.locator("h2:text-is('通知设置')"))
        prefs.locator(".unavailable-message").wait_for(timeout=15000)
        assert prefs.locator(".unavailable-message").inner_text() == "该服务暂不可用，请稍后再试"
        about = page.locator("section.panel", has=page.locator("h2:text-is('我的资料')"))
        assert "陈党员" in about.inner_text()  # the gateway's part keeps working
        assert about.locator(".unavailable-message").count() == 0
        assert page.locator(".unavailable-message").count() == 1
        screenshot(page, "portal-service-down")
        # another page whose service is up works meanwhile
        open_page(page, "my-pledges")
        page.wait_for_selector("#new-pledge")
        assert page.locator(".unavailable-message").count() == 0
        open_page(page, "profile")
        prefs.locator(".unavailable-message").wait_for()
    finally:
        suite.start_process("notification-web")
        wait_for(suite.ready, timeout=60, message="notification-service back")
    prefs.locator("button.retry").click()
    page.wait_for_selector("#preferences")
    assert prefs.locator(".unavailable-message").count() == 0
    page.context.close()


def test_the_language_switch_and_the_keyboard_alone(suite, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{suite.gateway}/")
    page.wait_for_selector("#login input[name=username]")

    def focused(attribute: str) -> str:
        return page.evaluate(f"document.activeElement && (document.activeElement.{attribute} || '')")

    def tab_to(predicate, limit=40, key="Tab"):
        for _ in range(limit):
            if predicate():
                return
            page.keyboard.press(key)
        raise AssertionError(f"never reached by {key}")

    tab_to(lambda: focused("name") == "username")
    page.keyboard.type("dangyuan")
    page.keyboard.press("Tab")
    assert focused("name") == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#nav-list a")
    tab_to(lambda: focused("textContent") == "我的通知")
    # the focused link is visibly marked (focus ring)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_selector("#page[data-page=inbox]")
    assert page.url.endswith("#/inbox")

    # back up to the header: forwards, every notice of the inbox (however many earlier tests left) comes first
    tab_to(lambda: focused("id") == "lang", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#nav-list a:text-is('My inbox')")
    assert page.inner_text("#page .page-title") == "My inbox"
    assert page.inner_text("#logout") == "Log out"
    assert page.evaluate("document.documentElement.lang") == "en"
    settle(page)
    assert "Notices" in page.inner_text("#page")
    screenshot(page, "portal-english")
    page.reload()  # remembered
    page.wait_for_selector("#nav-list a:text-is('My pledges')")
    page.click("#lang")
    page.wait_for_selector("#nav-list a:text-is('我的承诺')")
    assert page.inner_text("#logout") == "退出"
    page.click("#logout")
    page.wait_for_selector("#login input[name=username]")
    assert page.locator("#shell").is_hidden()
    context.close()


def test_hostile_text_in_a_pledge_title_is_shown_as_text(suite, browser):
    title = f"<script>alert(1)</script><img src=x onerror=\"window.__xss=1\"> {uuid.uuid4().hex[:4]}"
    page = login(browser, suite, "dangyuan")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, "my-pledges")
    form = page.locator("#new-pledge")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=areas][value=discipline]").check()
    form.locator("button[type=submit]").click()
    item = pledge_item(page, title)
    item.wait_for()
    assert item.locator("strong.title").inner_text() == title
    reviewer = login(browser, suite, "zongzhi")
    open_page(reviewer, "review")
    reviewer.locator("#review strong", has_text="<script>alert(1)</script>").first.wait_for()
    for p in (page, reviewer):
        assert p.locator("#view img, #view script").count() == 0
        assert p.evaluate("window.__xss") is None
    assert dialogs == []
    page.context.close()
    reviewer.context.close()


def test_on_a_phone_the_nav_folds_away(suite, browser):
    page = login(browser, suite, "zhishu", viewport=(390, 844))
    assert page.locator("#nav-list").is_hidden()
    page.click("#nav-toggle")
    assert page.locator("#nav-list").is_visible()
    page.click("#nav-list a[data-page=ledger]")
    page.wait_for_selector("#ledger-table")
    assert page.locator("#nav-list").is_hidden()
    # nothing wider than the screen but the table, which scrolls inside its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-phone-ledger")
    page.context.close()


def test_an_expired_access_token_is_refreshed_and_a_dead_session_goes_back_to_login(suite, browser):
    page = login(browser, suite, "dangyuan")
    read = "JSON.parse(sessionStorage.getItem('pacesetter.session'))"
    first = page.evaluate(read)
    page.evaluate(f"sessionStorage.setItem('pacesetter.session', JSON.stringify({{...{read}, access: 'expired'}}))")
    page.reload()
    page.wait_for_selector("#page[data-page=my-pledges] #new-pledge")  # a 401, the refresh token, and on
    again = page.evaluate(read)
    assert again["access"] not in ("expired", first["access"]) and again["refresh"] != first["refresh"]

    page.evaluate(f"sessionStorage.setItem('pacesetter.session', JSON.stringify({{...{read}, access: 'x', refresh: 'y'}}))")
    page.reload()
    page.wait_for_selector("#login input[name=username]")
    assert page.locator("#shell").is_hidden()
    assert page.evaluate("sessionStorage.getItem('pacesetter.session')") is None
    page.context.close()
