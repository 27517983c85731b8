"""The counter kiosk as the next citizen meets it (issue 22): it never sticks on a screen — each screen after the
first goes back to the start by itself after the idle time (a countdown shows it) or at 返回; a bad rating left
without a reason is recorded once when it times out; praise tags are offered for the top levels and a chosen tag is
plainly filled; no button's word breaks, in portrait or landscape."""
from __future__ import annotations

import json

import pytest

from tests.support.waiting import wait_for

from .conftest import screenshot
from .devices import pair, ratings_stored, window_with_kiosk

pytestmark = pytest.mark.e2e

# every label of a button on one line: a text broken over two lines has two client rectangles
ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].filter((e) => e.offsetParent !== null).map((e) => {
  const range = document.createRange();
  range.selectNodeContents(e);
  return [e.textContent.trim(), range.getClientRects().length];
})"""


def _stored(suite, window_id):
    return [(level, json.loads(reasons) if isinstance(reasons, str) else reasons)
            for level, reasons in ratings_stored(suite, window_id, "level, reasons")]


def test_a_bad_rating_left_without_a_reason_is_recorded_once_when_the_kiosk_times_out(suite, page):
    window, credential = window_with_kiosk(suite, "学工服务窗口")
    pair(page, suite, credential, idle_s=3, repeat_ms=0)
    page.click("#levels button:has(.label:text-is('不满意'))")
    page.wait_for_selector("#reasons:not([hidden])")
    assert page.inner_text("#reasons h2") == "请选择不满意的原因（可多选）"
    countdown = page.locator("#reasons [data-test=countdown]")
    assert countdown.inner_text() == "3 秒后自动提交"
    page.wait_for_function("() => document.querySelector('#reasons [data-test=countdown]').textContent.startsWith('2 ')")
    screenshot(page, "kiosk-reasons-countdown")
    # nobody touches it: it records the press without a reason, thanks, and is ready for the next citizen
    page.wait_for_selector("#idle:not([hidden])", timeout=15000)
    wait_for(lambda: _stored(suite, window["id"]) == [(2, [])], timeout=30, message="the timed-out rating stored")
    wait_for(lambda: page.locator("#pending").is_hidden(), timeout=30, message="the queue to drain")
    assert _stored(suite, window["id"]) == [(2, [])]  # once


def test_back_leaves_each_screen_and_records_nothing_the_citizen_took_back(suite, page):
    window, credential = window_with_kiosk(suite, "后勤服务窗口")
    pair(page, suite, credential, idle_s=30, repeat_ms=0, thanks_ms=20000)
    page.click("#levels button:has(.label:text-is('非常不满意'))")
    page.wait_for_selector("#reasons:not([hidden])")
    page.click("#reasons [data-test=back]")
    page.wait_for_selector("#idle:not([hidden])")
    page.click("#levels button:has(.label:text-is('基本满意'))")  # no tags for 3: thanks at once
    page.wait_for_selector("#thanks:not([hidden])")
    page.click("#thanks [data-test=back]")  # the next citizen need not wait for the thanks to end
    page.wait_for_selector("#idle:not([hidden])")
    wait_for(lambda: len(_stored(suite, window["id"])) == 1, timeout=30, message="the one rating kept")
    wait_for(lambda: page.locator("#pending").is_hidden(), timeout=30, message="the queue to drain")
    assert _stored(suite, window["id"]) == [(3, [])]


def test_praise_tags_are_offered_for_the_top_level_and_a_chosen_tag_is_filled(suite, page):
    window, credential = window_with_kiosk(suite, "图书服务窗口")
    pair(page, suite, credential, repeat_ms=0)
    page.click("#levels button:has(.label:text-is('非常满意'))")
    page.wait_for_selector("#reasons:not([hidden])")
    assert page.inner_text("#reasons h2") == "请选择您满意的方面（可多选）"
    tags = page.locator("#reason-tags button")
    names = tags.all_inner_texts()
    assert "热情周到" in names and "办事高效" in names
    chosen = page.locator("#reason-tags button:text-is('热情周到')")
    other = page.locator("#reason-tags button:text-is('办事高效')")
    chosen.click()
    assert chosen.get_attribute("aria-pressed") == "true"
    fill = chosen.evaluate("(e) => getComputedStyle(e).backgroundColor")
    assert fill != other.evaluate("(e) => getComputedStyle(e).backgroundColor")  # filled, not merely outlined
    assert fill not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    screenshot(page, "kiosk-praise-tags")
    page.click("#reasons-done")
    page.wait_for_selector("#idle:not([hidden])")
    wait_for(lambda: _stored(suite, window["id"]) == [(5, ["热情周到"])], timeout=30, message="the praise stored")


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800), (1920, 1080), (1080, 1920)],
                         ids=["portrait-800", "landscape-1280", "landscape-1920", "portrait-1080"])
def test_no_word_breaks_on_a_button_in_portrait_or_landscape(suite, browser, size):
    _window, credential = window_with_kiosk(suite, f"教务服务窗口{size[0]}")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    pair(page, suite, credential, repeat_ms=0)
    lines = page.evaluate(ONE_LINE, "#levels .label")
    assert [text for text, _n in lines] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert all(n == 1 for _text, n in lines), lines
    # every button inside the screen, none cut off at its edge
    inside = page.evaluate("""() => [...document.querySelectorAll('#levels button')].every((b) => {
      const r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; })""")
    assert inside
    screenshot(page, f"kiosk-{size[0]}x{size[1]}")
    page.click("#levels button:has(.label:text-is('非常不满意'))")
    page.wait_for_selector("#reasons:not([hidden])")
    lines = page.evaluate(ONE_LINE, "#reason-tags button, #reasons-done, #reasons [data-test=back]")
    assert lines and all(n == 1 for _text, n in lines), lines
    screenshot(page, f"kiosk-reasons-{size[0]}x{size[1]}")
    context.close()


def test_the_kiosk_speaks_english_when_set_up_so_and_goes_back_to_its_own_language(suite, page):
    _window, credential = window_with_kiosk(suite, "国际学生服务窗口")
    pair(page, suite, credential, repeat_ms=0, lang="en")
    assert page.locator("#levels .label").all_inner_texts() == [
        "Very satisfied", "Satisfied", "Acceptable", "Dissatisfied", "Very dissatisfied"]
    page.click("[data-test=language]")
    assert page.locator("#levels .label").first.inner_text() == "非常满意"
    page.click("#levels button:has(.label:text-is('基本满意'))")
    page.wait_for_selector("#thanks:not([hidden])")
    assert page.inner_text("#thanks h2") == "感谢您的评价！"
    page.wait_for_selector("#idle:not([hidden])")
    assert page.locator("#levels .label").first.inner_text() == "Very satisfied"  # the next person: the counter's own
