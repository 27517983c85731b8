"""我的通知: several bad ratings of one window are one row that expands (教务处综合服务窗口 新增 3 件差评, not three
near-identical rows); opening a notice marks it read (the unread count drops) and lands on the very item it is
about; on a phone the inbox reads as cards with nothing wider than the screen, and 全部已读 asks first. The notices
are a fresh secretary's, about a window of their own: nothing here changes what other tests use."""
from __future__ import annotations

import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, login, settle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def responsible(suite):
    """A new branch with its secretary, a window they are responsible for, and three bad ratings of it."""
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:4]
    branch = org.post("/api/directory/units", {"name": f"后勤党支部{tag}", "kind": "branch",
                                               "parent_id": str(_id("gb-admin"))}).json["id"]
    username = f"houqin{tag}"
    person = org.post("/api/directory/persons", {
        "name": f"后勤书记{tag}", "username": username, "password": DEMO_PASSWORD, "unit_id": branch,
        "member_status": "full", "roles": [{"role": "member", "unit_id": branch},
                                           {"role": "branch_secretary", "unit_id": branch}]}).json
    name = f"后勤报修窗口{tag}"
    window = org.post("/api/directory/windows", {"name": name, "unit_id": branch, "responsible_id": person["id"],
                                                 "on_duty_ids": [person["id"]]}).json
    credential = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": f"{name}评价器"}).json["credential"]
    kiosk = Api(suite.gateway)
    cases = []
    for _ in range(3):
        rated = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(kiosk.post(
            "/api/ratings", {"client_id": uuid.uuid4().hex, "level": 1, "reasons": []},
            headers={"Authorization": f"Kiosk {credential}"})), timeout=30, message="the kiosk's rating accepted")
        cases.append(rated["case_id"])
    me = Api(suite.gateway).login(username, DEMO_PASSWORD)
    key = f"feedback.negative|window:{window['id']}"

    def grouped():
        groups = me.get("/api/notifications/groups?limit=100").json["items"]
        return next((g for g in groups if g["key"] == key and g["count"] == 3), None)

    group = wait_for(grouped, timeout=60, message="the three bad ratings' notices in one group")
    return {"username": username, "window": window, "cases": cases, "key": key, "group": group, "api": me}


def unread_badge(page) -> str:
    return page.locator("[data-test=unread]").get_attribute("aria-label")


def test_a_windows_bad_ratings_are_one_row_that_expands_and_opening_one_reads_it_and_shows_the_case(suite, browser,
                                                                                                   responsible):
    me, key = responsible["api"], responsible["key"]
    unread = me.get("/api/notifications/unread-count").json["unread"]
    page = login(browser, suite, responsible["username"], path="/inbox")
    row = page.locator(f"li.group[data-key='{key}']")
    title = row.locator(".group-title")
    assert title.inner_text() == responsible["group"]["title"]
    assert responsible["window"]["name"] in title.inner_text() and "3" in title.inner_text()
    assert row.get_attribute("data-count") == "3"
    assert row.locator(".unread-tag").inner_text() == "3 条未读"
    assert "unread" in row.get_attribute("class")  # bold, with a dot
    # one row for the window's bad ratings, not three
    assert page.locator("li.group[data-key^='feedback.negative|']").count() == 1
    page.wait_for_function(f"() => document.querySelector('[data-test=unread]').getAttribute('aria-label') === '未读通知 {unread} 条'")

    title.click()  # several notices: the row expands to them
    notices = row.locator("li.notice")
    notices.nth(2).wait_for()
    assert notices.count() == 3 and row.locator("li.notice.unread").count() == 3
    assert title.get_attribute("aria-expanded") == "true"
    screenshot(page, "inbox-group-expanded")

    first = notices.nth(0)
    notice_id = first.get_attribute("data-id")
    first.locator("button.open-notice").click()
    page.wait_for_selector(".page-frame[data-page=case]")
    notice = next(n for n in me.get(f"/api/notifications?group={key}&limit=10").json["items"] if n["id"] == notice_id)
    assert page.url.endswith(notice["link"])  # the very case …
    assert notice["link"].removeprefix("/feedback/") in responsible["cases"]  # … of one of the three ratings
    assert notice["read_at"] and not notice["unread"]  # read by opening it
    assert me.get("/api/notifications/unread-count").json["unread"] == unread - 1
    page.wait_for_function(f"() => document.querySelector('[data-test=unread]').getAttribute('aria-label') === '未读通知 {unread - 1} 条'")

    page.go_back()
    page.wait_for_selector(".page-frame[data-page=inbox]")
    settle(page)
    assert page.locator(f"li.group[data-key='{key}'] .unread-tag").inner_text() == "2 条未读"
    page.context.close()


def test_on_a_phone_the_inbox_is_cards_and_all_read_asks_first(suite, browser, responsible):
    me, key = responsible["api"], responsible["key"]
    page = login(browser, suite, responsible["username"], viewport=PHONE, path="/inbox")
    row = page.locator(f"li.group[data-key='{key}']")
    row.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing wider than the screen
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    row.locator("button.toggle").click()
    row.locator("li.notice").nth(2).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    screenshot(page, "inbox-phone")

    # only the unread ones, then all of them read — after a confirm
    page.locator("#inbox-filter label", has_text="未读").click()
    settle(page)
    assert page.locator("li.group").count() == me.get("/api/notifications/groups?read=false&limit=1").json["total"]
    unread = me.get("/api/notifications/unread-count").json["unread"]
    assert unread > 0
    page.click("[data-test=read-all]")
    dialog = page.locator(".el-message-box")
    assert f"{unread}" in dialog.inner_text()
    dialog.locator("button", has_text="取消").click()
    dialog.wait_for(state="hidden")
    assert me.get("/api/notifications/unread-count").json["unread"] == unread  # cancelled: nothing read
    page.click("[data-test=read-all]")
    page.locator(".el-message-box button", has_text="确定").click()
    page.locator(".el-message__content", has_text=f"已将 {unread} 条通知标为已读").wait_for()
    page.locator("li.group").first.wait_for(state="detached")  # no unread group is left
    assert me.get("/api/notifications/unread-count").json["unread"] == 0
    assert page.locator("[data-test=read-all]").is_disabled()
    page.context.close()
