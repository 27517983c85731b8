"""Driving the portal (Vue 3 + Element Plus, portal/) in Debian's Chromium: log in as a demo account, open a page by
its route's name, wait until it has loaded. Pages are addressed the way a person reaches them: the side menu, a
link, or an address (the portal's router answers every address the notices carry)."""
from __future__ import annotations

from urllib.parse import quote

from gateway.service.demo import DEMO_PASSWORD

DESKTOP = (1440, 900)
PHONE = (390, 844)


def login(browser, suite, username: str, viewport=DESKTOP, locale: str = "zh-CN", path: str = "/home"):
    """A new browser context logged in as `username` at `path` (the home page by default)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale=locale,
                                  is_mobile=viewport[0] < 800, has_touch=viewport[0] < 800)
    page = context.new_page()
    if locale == "en":
        page.add_init_script("window.localStorage.setItem('pacesetter.lang', 'en')")
    page.goto(f"{suite.gateway}/login?redirect={quote(path, safe='/')}")  # the address's own query kept whole
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector(".page-frame[data-page]")
    settle(page)
    return page


def go(page, suite, path: str, name: str | None = None):
    """Open an address of the portal (e.g. /pledges/mine) and wait for its page (`name`: the route's name)."""
    page.goto(f"{suite.gateway}{path}")
    page.wait_for_selector(f".page-frame[data-page='{name}']" if name else ".page-frame[data-page]")
    settle(page)


def open_from_menu(page, name: str):
    """Open a page the way a person does: its entry in the side menu (opening its group, or the phone's drawer)."""
    if page.viewport_size["width"] < 800:
        page.click(".menu-toggle")
    item = page.locator(f".side-menu .el-menu-item[data-page='{name}']").first
    if not item.is_visible():
        # `has` is matched inside each group, so it names the item without the menu around it
        group = page.locator(".side-menu .el-sub-menu", has=page.locator(f".el-menu-item[data-page='{name}']")).first
        group.locator(".el-sub-menu__title").click()
    item.click()
    page.wait_for_selector(f".page-frame[data-page='{name}']")
    settle(page)


def settle(page, timeout: float = 30_000):
    """Every part of the page has loaded (or said why not): no loading mask is left, nothing says it is busy."""
    page.wait_for_function(
        "() => document.querySelector('.page-frame') && "
        "![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null) && "
        "!document.querySelector('.page-frame [aria-busy=true]')",
        timeout=timeout)


def toast(page, text: str | None = None) -> str:
    """The text of the newest toast (ElMessage) once one shows; with `text`, once a toast saying that shows (an
    earlier toast may still be on the screen)."""
    message = page.locator(".el-message", has_text=text).last if text else page.locator(".el-message").last
    message.wait_for()
    return message.inner_text()


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")
