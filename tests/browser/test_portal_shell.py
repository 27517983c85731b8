"""The portal's promises around every page: a service down shows on its own card only (with a retry) and the card
recovers; English and back, remembered; the keyboard alone from the login to a saved form; on a phone the menu
folds into a drawer; an expired access token is renewed unseen, a dead session goes back to the login."""
from __future__ import annotations

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, go, login, open_from_menu, settle

pytestmark = pytest.mark.e2e


def test_a_service_down_shows_on_its_card_only_and_the_card_recovers(suite, browser):
    page = login(browser, suite, "dangyuan", path="/profile")
    prefs = page.locator("[data-test=preferences]")
    prefs.locator("#preferences").wait_for()
    suite.stop_process("notification-web")
    try:
        page.reload()
        page.wait_for_selector(".page-frame[data-page=profile]")
        error = prefs.locator(".load-error")
        error.wait_for(timeout=15000)
        assert error.locator(".el-result__title").inner_text() == "该服务暂不可用，请稍后再试"
        about = page.locator("[data-test=about]")
        assert about.locator("[data-test=my-name]").inner_text() == "陈党员"  # the gateway's part keeps working
        assert about.locator("#my-account").is_visible()
        assert page.locator(".load-error").count() == 1  # that card only
        screenshot(page, "portal-service-down")
        # another page whose service is up works meanwhile
        go(page, suite, "/pledges/mine", "my-pledges")
        assert page.locator(".load-error").count() == 0
        go(page, suite, "/profile", "profile")
        prefs.locator(".load-error").wait_for()
    finally:
        suite.start_process("notification-web")
        wait_for(suite.ready, timeout=60, message="notification-service back")
    prefs.locator("[data-test=retry]").click()
    prefs.locator("#preferences").wait_for()
    assert page.locator(".load-error").count() == 0
    page.context.close()


def test_the_language_switch_and_the_keyboard_alone(suite, browser):
    context = browser.new_context(viewport={"width": DESKTOP[0], "height": DESKTOP[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{suite.gateway}/login")
    page.wait_for_selector("#login-form input[name=username]")

    def focused(script: str):
        return page.evaluate(f"(() => {{ const e = document.activeElement; return e && ({script}); }})()")

    def tab_to(predicate, limit=60, key="Tab"):
        for _ in range(limit):
            if predicate():
                return
            page.keyboard.press(key)
        raise AssertionError(f"never reached by {key}")

    tab_to(lambda: focused("e.name") == "username")
    page.keyboard.type("dangyuan")
    page.keyboard.press("Tab")
    assert focused("e.name") == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector(".page-frame[data-page=home]")
    settle(page)

    # back up from the page to the side menu, and open 个人资料 from it
    tab_to(lambda: focused("e.getAttribute('data-page')") == "profile", key="Shift+Tab")
    assert focused("getComputedStyle(e).outlineStyle") != "none"  # the focused entry is visibly marked
    page.keyboard.press("Enter")
    page.wait_for_selector(".page-frame[data-page=profile]")
    assert page.url.endswith("/profile")
    page.wait_for_function("() => document.activeElement.tagName === 'H1' && document.activeElement.textContent === '个人资料'")
    settle(page)
    # a form filled and sent with the keyboard alone
    address = f"chen.{page.evaluate('Date.now()')}@example.edu.cn"
    tab_to(lambda: focused("e.name") == "email")
    page.keyboard.press("Control+A")
    page.keyboard.type(address)
    page.keyboard.press("Enter")
    page.locator(".el-message__content", has_text="已保存").wait_for()
    me = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    assert me.get("/api/auth/me").json["email"] == address

    # English, and back
    page.click("[data-test=lang]")
    page.locator(".side-menu [data-page=inbox] .label:text-is('My inbox')").wait_for()
    assert page.inner_text(".page-head h1") == "Profile"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text("[data-test=about] .card-title") == "About me"
    assert page.inner_text("[data-test=lang]") == "中文"
    screenshot(page, "portal-english")
    page.reload()  # remembered
    page.locator(".side-menu [data-page=profile] .label:text-is('Profile')").wait_for()
    page.click("[data-test=lang]")
    page.locator(".side-menu [data-page=profile] .label:text-is('个人资料')").wait_for()
    assert page.inner_text(".page-head h1") == "个人资料"
    page.click("[data-test=me]")
    page.locator("[data-test=logout]").click()
    page.wait_for_selector("#login-form input[name=username]")
    assert page.locator(".side-menu").count() == 0
    context.close()


def test_on_a_phone_the_menu_folds_away_into_a_drawer(suite, browser):
    page = login(browser, suite, "zhishu", viewport=PHONE)
    assert page.locator(".side-menu").is_hidden()
    page.click(".menu-toggle")
    assert page.locator(".menu-drawer .side-menu").is_visible()
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    page.locator(".side-menu [data-page=inbox]").click()
    page.wait_for_selector(".page-frame[data-page=inbox]")
    page.locator(".menu-drawer .side-menu").wait_for(state="hidden")
    settle(page)
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    screenshot(page, "portal-phone-inbox")
    open_from_menu(page, "profile")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    page.context.close()


def test_an_expired_access_token_is_refreshed_and_a_dead_session_goes_back_to_login(suite, browser):
    page = login(browser, suite, "dangyuan", path="/profile")
    read = "JSON.parse(sessionStorage.getItem('pacesetter.session'))"
    first = page.evaluate(read)
    page.evaluate(f"sessionStorage.setItem('pacesetter.session', JSON.stringify({{...{read}, access: 'expired'}}))")
    page.reload()
    page.locator("[data-test=my-name]").wait_for()  # a 401, the refresh token, and on
    page.locator("#preferences").wait_for()
    again = page.evaluate(read)
    assert again["access"] not in ("expired", first["access"]) and again["refresh"] != first["refresh"]

    page.evaluate(f"sessionStorage.setItem('pacesetter.session', JSON.stringify({{...{read}, access: 'x', refresh: 'y'}}))")
    page.reload()
    page.wait_for_selector("#login-form input[name=username]")
    assert page.locator(".side-menu").count() == 0
    assert page.evaluate("sessionStorage.getItem('pacesetter.session')") is None
    page.context.close()
