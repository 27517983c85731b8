"""The pages under the security headers' policy (issue 20, finding 9): the portal, the kiosk, the display screen
and the API documents work with no Content-Security-Policy violation — no page needs an inline script — while a
script slipped into a page, as a <script> or as an event handler, is refused."""
from __future__ import annotations

import pytest

from tests.support.waiting import wait_for

from .portal import go, login
from .devices import pair, rate, ratings_stored, window_with_kiosk

pytestmark = pytest.mark.e2e

# Chromium says "… violates the following Content Security Policy directive …" on the console; the event is
# logged too, in case a message is worded otherwise.
_REPORT = ("document.addEventListener('securitypolicyviolation', (e) => console.error("
           "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


def _watch(page) -> list[str]:
    reported = []
    page.on("console", lambda message: "Content Security Policy" in message.text and reported.append(message.text))
    page.add_init_script(_REPORT)
    return reported


def _enforced(response) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, (response.url, policy)


def test_the_pages_work_under_the_policy_with_no_violation(suite, browser):
    window, credential = window_with_kiosk(suite, "安全策略窗口")

    page = login(browser, suite, "zuzhibu")
    reported = _watch(page)
    _enforced(page.goto(f"{suite.gateway}/home"))
    page.wait_for_selector(".page-frame[data-page=home]")
    go(page, suite, "/dashboards", "dashboards")
    page.locator(".page-frame .chart-card").first.wait_for()
    go(page, suite, "/windows/devices", "devices")

    _enforced(page.goto(f"{suite.gateway}/display?window={window['id']}&rotate_ms=700&refresh_ms=500"))
    page.wait_for_selector("main h2")
    assert page.inner_text("main h2") in ("亮标准 · 服务标准", "亮身份 · 今日当班", "亮承诺 · 党员承诺")

    page.goto(f"{suite.gateway}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)  # started by its one allowed inline script
    assert "Pacesetter API" in page.inner_text(".swagger-ui .info .title")
    page.context.close()

    kiosk = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN").new_page()
    reported += _watch(kiosk)
    _enforced(kiosk.goto(f"{suite.gateway}/kiosk"))
    pair(kiosk, suite, credential)
    assert kiosk.inner_text("#window-name") == "安全策略窗口"
    rate(kiosk, "非常满意")
    wait_for(lambda: len(ratings_stored(suite, window["id"])) == 1, timeout=30, message="the kiosk's rating stored")
    kiosk.context.close()

    assert reported == []


def test_a_script_slipped_into_a_page_is_refused(suite, browser):
    page = login(browser, suite, "dangyuan")
    reported = _watch(page)
    page.reload()
    page.wait_for_selector(".page-frame[data-page]")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__slipped = 'script'";
        document.head.append(script);
        document.body.insertAdjacentHTML("beforeend", '<img src="/x.png" onerror="window.__slipped = \\'handler\\'">');
    }""")
    wait_for(lambda: len(reported) >= 2, timeout=10, message="both refusals reported")
    assert page.evaluate("window.__slipped") is None
    assert any("script-src" in text for text in reported), reported
