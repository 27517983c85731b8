"""The service windows' pages in the browser (窗口服务): the follow-up of bad ratings (差评整改) filtered, sorted, paged
with the true total, closed one by one in a drawer or several at once (each case not closed said with why), opened
from a notice's link even when far from the first page; a general-branch secretary's window satisfaction reaching
the branches below; a window's trend from its notice; the suggestion box answered and published; the stars of a
member on duty from their notice; kiosks paired and revoked and a display screen's address as a QR code; the
kiosks' reason tags refused beside the box that is wrong. No page grows past three screens with many cases."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, go, login, open_from_menu, page_height, settle, toast

pytestmark = pytest.mark.e2e

UNCLOSED = "state=open&state=escalated"


@pytest.fixture(scope="module")
def org(suite):
    return Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def secretary(suite):
    return Api(suite.gateway).login("zhishu", DEMO_PASSWORD)


def _window(org, name: str, unit: str = "br-teachers") -> dict:
    """A window of the unit that the demo branch secretary answers for, with the demo member on duty."""
    made = org.post("/api/directory/windows", {
        "name": name, "location": "行政楼一楼", "unit_id": str(_id(unit)), "responsible_id": str(_id("zhishu")),
        "on_duty_ids": [str(_id("dangyuan"))],
        "standards": {"items": ["学籍证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}})
    assert made.status == 201, made.json
    return made.json


def _rate(suite, org, window_id: str, levels, on_duty: str | None = None) -> list[str]:
    """The window's kiosk sends these ratings in one batch (again, once evaluation-service has heard of the window);
    answers the follow-up cases the bad ones opened."""
    credential = org.post("/api/directory/kiosks", {"window_id": window_id, "name": "评价器"}).json["credential"]
    kiosk = Api(suite.gateway)
    batch = [{"client_id": f"w-{uuid.uuid4().hex}", "level": level, "reasons": [], "on_duty_id": on_duty}
             for level in levels]

    def accepted():
        answer = kiosk.post("/api/ratings/batch", {"ratings": batch}, headers={"Authorization": f"Kiosk {credential}"})
        return answer.json if answer.status == 200 and answer.json["rejected"] == 0 else None

    answer = wait_for(accepted, timeout=30, message="the kiosk's ratings accepted")
    # a retry answers the first copies as duplicates: read the cases from the service, newest first
    cases = org.get(f"/api/feedback/cases?window_id={window_id}&sort=-opened_at&limit=100").json["items"]
    assert answer["accepted"] + answer["duplicate"] == len(levels)
    return [c["id"] for c in cases]


def _evaluation_db(suite, statement: str, **values) -> None:
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(statement), values)
    engine.dispose()


def _choose(page, select, text: str) -> None:
    """Pick an option of an el-select by its text (the list is teleported to the page's end)."""
    select.click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter(
        has_text=re.compile(f"^\\s*{re.escape(text)}\\s*$")).first.click()


def _pager_total(page) -> int:
    return int(re.search(r"\d+", page.locator(".el-pagination__total").first.inner_text()).group())


def _count_line(page) -> str:
    line = page.locator("[data-test=case-count]")
    page.wait_for_function("() => document.querySelector('[data-test=case-count]').textContent.trim() !== ''")
    return line.inner_text()


def test_cases_are_filtered_by_window_and_overdue_with_the_true_total(suite, browser, org, secretary):
    name = f"户籍服务窗口 {uuid.uuid4().hex[:4]}"
    window = _window(org, name)
    cases = _rate(suite, org, window["id"], [1, 2, 1, 2, 1])
    other = _window(org, f"档案服务窗口 {uuid.uuid4().hex[:4]}")
    _rate(suite, org, other["id"], [1, 1])
    past = datetime.now(timezone.utc) - timedelta(days=2)
    for case_id in cases[:2]:  # two of the window's five are past their deadline
        _evaluation_db(suite, "UPDATE followup_cases SET deadline = :d WHERE id = CAST(:id AS uuid)", d=past, id=case_id)

    page = login(browser, suite, "zhishu", path="/windows/cases")
    settle(page)
    assert _count_line(page) == "未结 {} 件（其中逾期 {} 件），共 {} 件".format(
        secretary.get(f"/api/feedback/cases?{UNCLOSED}&limit=1").json["total"],
        secretary.get("/api/feedback/cases?overdue=true&limit=1").json["total"],
        secretary.get("/api/feedback/cases?limit=1").json["total"])  # all of them, not the page's

    _choose(page, page.locator("[data-test=filter-window]"), name)
    _choose(page, page.locator("[data-test=filter-overdue]"), "仅逾期")
    page.click("[data-test=search]")
    settle(page)
    assert _pager_total(page) == 2
    rows = page.locator("[data-test=cases] .el-table__body tr")
    assert rows.count() == 2
    assert all("row-overdue" in (rows.nth(i).get_attribute("class") or "") for i in range(2))
    assert {rows.nth(i).locator("[data-id]").get_attribute("data-id") for i in range(2)} == set(cases[:2])
    assert rows.first.locator("[data-test=overdue]").inner_text() == "已逾期"
    screenshot(page, "windows-cases-overdue")

    _choose(page, page.locator("[data-test=filter-overdue]"), "未逾期")
    page.click("[data-test=search]")
    settle(page)
    assert _pager_total(page) == 3
    assert page.locator("[data-test=cases] .el-table__body tr.row-overdue").count() == 0

    # sorted by deadline, latest first: the three on time lead… soonest first: the two overdue
    _choose(page, page.locator("[data-test=filter-overdue]"), "全部")
    _choose(page, page.locator("[data-test=sort]"), "期限由近到远")
    settle(page)
    assert _pager_total(page) == 5
    first_two = [rows.nth(i).locator("[data-id]").get_attribute("data-id") for i in range(2)]
    assert set(first_two) == set(cases[:2])
    page.context.close()


def test_a_kiosk_batchs_bad_ratings_are_one_notice_that_opens_the_windows_open_cases(suite, browser, org, secretary):
    name = f"医保服务窗口 {uuid.uuid4().hex[:4]}"
    window = _window(org, name)
    cases = _rate(suite, org, window["id"], [5, 1, 4, 2, 2])  # one batch: three bad ratings among five

    def notices():
        items = secretary.get("/api/notifications?limit=200").json["items"]
        return [n for n in items if n["event_type"] == "feedback.negative" and name in n["title"]] or None

    [notice] = wait_for(notices, timeout=30, message="the batch's one notice in the inbox")
    assert notice["title"] == f"{name} 新增 3 件差评待整改"
    page = login(browser, suite, "zhishu", path="/inbox")
    settle(page)
    # the window's one notice is a group of one: its own title and a button to open it
    group = page.locator(f"li.group[data-key='feedback.negative|window:{window['id']}']")
    assert group.locator(".group-title").inner_text() == notice["title"]
    group.locator(".open-notice").click()
    page.wait_for_url(re.compile(r"/windows/cases\?window_id="))
    settle(page)
    rows = page.locator("[data-test=cases] .el-table__body tr")
    assert rows.count() == 3  # each case of the batch, to follow up and close one by one
    assert {rows.nth(i).locator("[data-id]").get_attribute("data-id") for i in range(3)} == set(cases)
    assert name in page.locator("[data-test=filter-window]").inner_text()
    screenshot(page, "windows-batch-notice-cases")
    page.context.close()


def test_three_cases_are_closed_in_one_action(suite, browser, org, secretary):
    name = f"出入境服务窗口 {uuid.uuid4().hex[:4]}"
    window = _window(org, name)
    cases = _rate(suite, org, window["id"], [1, 1, 2])
    before = secretary.get(f"/api/feedback/cases?{UNCLOSED}&limit=1").json["total"]

    page = login(browser, suite, "zhishu", path=f"/windows/cases?window_id={window['id']}")
    settle(page)
    assert _pager_total(page) == 3
    page.locator("[data-test=cases] .el-table__header .el-checkbox").click()  # all three
    expect(page.locator("[data-test=batch-close]")).to_have_text("批量办结（已选 3 件）")
    page.click("[data-test=batch-close]")
    drawer = page.locator(".el-drawer:visible")
    drawer.wait_for()
    assert drawer.locator("[data-test=batch-cases] li").count() == 3
    drawer.locator("[data-test=close-submit]").click()  # nothing filled in: the browser says what is missing
    expect(drawer.locator(".el-form-item__error")).to_have_text(["此项为必填项", "此项为必填项"])
    drawer.locator("textarea[name=action_taken]").fill("已统一调整窗口午间值班安排")
    drawer.locator("[data-test=called-back-yes]").click()
    drawer.locator("[data-test=close-submit]").click()
    assert toast(page) == "已办结 3 件差评"
    drawer.wait_for(state="hidden")
    settle(page)
    assert _pager_total(page) == 0  # the window's unclosed cases: none left
    for case_id in cases:
        case = secretary.get(f"/api/feedback/cases/{case_id}").json
        assert (case["state"], case["action_taken"], case["called_back"]) == ("closed", "已统一调整窗口午间值班安排", True)
    after = secretary.get(f"/api/feedback/cases?{UNCLOSED}&limit=1").json["total"]
    assert after == before - 3
    assert _count_line(page).startswith(f"未结 {after} 件")
    badge = page.locator(".side-menu [data-page=cases] .el-badge__content")
    if after:  # the menu's to-do count follows
        wait_for(lambda: badge.inner_text() == (str(after) if after <= 99 else "99+"), timeout=10,
                 message="the menu's count of open cases")
    page.context.close()


def test_a_batch_close_names_each_case_it_could_not_close(suite, browser, org, secretary):
    window = _window(org, f"社保服务窗口 {uuid.uuid4().hex[:4]}")
    cases = _rate(suite, org, window["id"], [1, 1])
    page = login(browser, suite, "zhishu", path=f"/windows/cases?window_id={window['id']}")
    settle(page)
    page.locator("[data-test=cases] .el-table__header .el-checkbox").click()
    page.click("[data-test=batch-close]")
    drawer = page.locator(".el-drawer:visible")
    drawer.wait_for()
    # someone else closes one of them meanwhile
    assert secretary.post(f"/api/feedback/cases/{cases[0]}/close",
                          {"action_taken": "已当面致歉", "called_back": False}).status == 200
    drawer.locator("textarea[name=action_taken]").fill("已加强业务培训")
    drawer.locator("[data-test=called-back-no]").click()
    drawer.locator("[data-test=close-submit]").click()
    outcome = drawer.locator("[data-test=batch-outcome]")
    outcome.wait_for()
    assert "已办结 1 件，1 件未能办结" in outcome.inner_text()
    failures = drawer.locator("[data-test=batch-failures] li")
    assert failures.count() == 1
    assert failures.first.get_attribute("data-id") == cases[0]
    assert failures.first.locator(".reason").inner_text().strip()  # why, in the user's language
    assert secretary.get(f"/api/feedback/cases/{cases[1]}").json["action_taken"] == "已加强业务培训"
    assert secretary.get(f"/api/feedback/cases/{cases[0]}").json["action_taken"] == "已当面致歉"  # kept
    screenshot(page, "windows-cases-batch-failure")
    page.context.close()


@pytest.fixture(scope="module")
def many_cases(suite, org):
    """A window with 120 open cases of the demo branch: more than a page, more than a hundred."""
    window = _window(org, f"综合受理窗口 {uuid.uuid4().hex[:4]}")
    return window, _rate(suite, org, window["id"], [1] * 120)


def test_a_case_opened_from_its_notice_link_shows_its_drawer_far_from_the_first_page(
        suite, browser, org, secretary, many_cases):
    name = f"学工服务窗口 {uuid.uuid4().hex[:4]}"
    window = _window(org, name)
    [case_id] = _rate(suite, org, window["id"], [1])
    wait_for(lambda: any(n["link"] == f"/feedback/{case_id}" for n in secretary.get(
        "/api/notifications?limit=200").json["items"]), timeout=30, message="the case's notice in the inbox")
    # the case is older than the newest hundred and has the latest deadline: on no first page of any order
    _evaluation_db(suite, "UPDATE followup_cases SET opened_at = :o, deadline = :d WHERE id = CAST(:id AS uuid)",
                   o=datetime.now(timezone.utc) - timedelta(days=30), d=datetime.now(timezone.utc) + timedelta(days=90),
                   id=case_id)
    newest = secretary.get("/api/feedback/cases?sort=-opened_at&limit=100").json["items"]
    assert case_id not in [c["id"] for c in newest]

    page = login(browser, suite, "zhishu", path=f"/feedback/{case_id}")  # an e-mail's link
    settle(page)
    drawer = page.locator(".el-drawer:visible")
    drawer.wait_for()
    assert drawer.locator("[data-test=case-window]").inner_text() == name  # which window, among the branch's
    assert page.locator(f"[data-test=cases] [data-id='{case_id}']").count() == 0  # not on the page shown
    assert page.inner_text(".page-head h1") == "差评整改"
    drawer.locator("[data-test=close-submit]").click()
    drawer.locator(".el-form-item__error").first.wait_for()
    drawer.locator("textarea[name=action_taken]").fill("已调整午间轮班，安排专人值守")
    drawer.locator("[data-test=called-back-yes]").click()
    drawer.locator("[data-test=close-submit]").click()
    assert toast(page) == "差评已办结"
    case = secretary.get(f"/api/feedback/cases/{case_id}").json
    assert (case["state"], case["called_back"]) == ("closed", True)
    screenshot(page, "windows-case-from-notice")

    # a link to a case the person may not follow up (or none): said, not a blank page
    go(page, suite, f"/feedback/{uuid.uuid4()}", "case")
    page.locator("[data-test=linked-missing]").wait_for()
    assert page.locator(".el-drawer:visible").count() == 0
    page.context.close()


def test_the_cases_page_stays_under_three_screens_with_many_cases(suite, browser, secretary, many_cases):
    total = secretary.get(f"/api/feedback/cases?{UNCLOSED}&limit=1").json["total"]
    assert total > 100
    for viewport in (DESKTOP, PHONE):
        page = login(browser, suite, "zhishu", viewport=viewport, path="/windows/cases")
        settle(page)
        assert _pager_total(page) == total  # every open case counted, not a silent hundred
        assert page_height(page) <= 3 * viewport[1], page_height(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
        if viewport == PHONE:
            cards = page.locator("[data-test=cases] .card-list .item")
            assert cards.count() == 10
            cards.first.locator("[data-test=open-case]").click()  # a card opens its case, full width
            drawer = page.locator(".el-drawer:visible")
            drawer.wait_for()
            page.wait_for_function("() => [...document.querySelectorAll('.el-drawer')].some((d) => d.offsetParent !== null"
                                   " && d.getBoundingClientRect().left === 0)")  # slid in
            assert round(drawer.bounding_box()["width"]) == PHONE[0]
            screenshot(page, "windows-cases-phone")
        page.context.close()


def test_a_general_branch_secretary_sees_the_windows_of_the_branches_below(suite, browser, org):
    below = _window(org, f"学生事务窗口 {uuid.uuid4().hex[:4]}", unit="br-students")
    elsewhere = _window(org, f"教务综合窗口 {uuid.uuid4().hex[:4]}", unit="br-affairs")
    general = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    listed = general.get("/api/ratings/windows?limit=100").json

    page = login(browser, suite, "zongzhi")
    open_from_menu(page, "window-satisfaction")
    table = page.locator("[data-test=window-summary]")
    table.locator(f"a:text-is('{below['name']}')").wait_for()
    assert table.locator(f"a:text-is('{elsewhere['name']}')").count() == 0  # another general branch's
    assert _pager_total(page) == listed["total"]
    assert {below["id"]} <= {w["window_id"] for w in listed["items"]}
    screenshot(page, "windows-satisfaction-general-branch")

    # a star window's notice: /windows/<id>?month=YYYY-MM shows that window's month and trend
    go(page, suite, f"/windows/{below['id']}?month=2026-11", "window")
    page.locator("[data-test=window-title]").wait_for()
    assert page.inner_text("[data-test=window-title]") == below["name"]
    assert page.locator("[data-test=window-detail] input[name=month]").input_value() == "2026-11"
    assert page.locator("[data-test=window-detail] canvas").count() >= 1
    page.context.close()


def test_a_note_in_the_suggestion_box_is_answered_and_published(suite, browser, org):
    window = _window(org, f"后勤服务窗口 {uuid.uuid4().hex[:4]}")
    note = f"窗口中午无人值守 {uuid.uuid4().hex[:4]}"
    wait_for(lambda: Api(suite.gateway).post("/api/feedback/suggestions",
                                             {"window_id": window["id"], "body": note}).status == 201,
             timeout=30, message="the note dropped in the suggestion box")
    page = login(browser, suite, "zhishu")
    open_from_menu(page, "suggestions")
    row = page.locator("[data-test=suggestions] .el-table__body tr", has=page.locator(f"[data-test=note-body]:text-is('{note}')"))
    row.wait_for()
    assert row.locator("[data-test=note-state]").inner_text() == "待处理"
    row.locator("[data-test=handle-note]").click()
    form = page.locator("#note-form")
    form.wait_for()
    form.locator("[data-test=note-save]").click()  # 已答复 needs a reply: said in the browser first
    assert form.locator(".el-form-item__error").first.inner_text() == "答复时请填写答复内容"
    form.locator("textarea[name=reply]").fill("已安排午间值守，感谢监督")
    form.locator(".el-checkbox", has=page.locator("input[name=publish]")).click()
    assert form.locator("input[name=publish]").is_checked()
    form.locator("[data-test=note-save]").click()
    assert toast(page) == "已保存"
    settle(page)
    answered = page.locator("[data-test=suggestions] .el-table__body tr", has=page.locator(f"[data-test=note-body]:text-is('{note}')"))
    answered.locator("[data-test=note-state][data-status=answered]").wait_for()
    assert answered.locator("[data-test=published]").inner_text() == "已公开"
    published = Api(suite.gateway).get(f"/api/feedback/suggestions/published?window_id={window['id']}").json["items"]
    assert [p["reply"] for p in published] == ["已安排午间值守，感谢监督"]
    screenshot(page, "windows-suggestions")
    page.context.close()


def test_a_member_on_duty_opens_their_stars_from_the_notice(suite, browser, org):
    window = _window(org, f"一站式服务窗口 {uuid.uuid4().hex[:4]}")
    _rate(suite, org, window["id"], [5, 5, 5, 5, 4], on_duty=str(_id("dangyuan")))
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    me = member.get("/api/auth/me").json
    page = login(browser, suite, "dangyuan", path=f"/windows/stars?by=on_duty&key={me['id']}&month={month}")
    settle(page)
    linked = page.locator("[data-test=stars] .row-linked")
    linked.wait_for()
    assert linked.locator(f"[data-id='{me['id']}']").inner_text().startswith(me["name"])
    assert page.locator("input[name=month]").input_value() == month
    assert page.inner_text(".page-head h1") == "服务标兵"
    screenshot(page, "windows-stars-linked")
    page.context.close()


def test_a_kiosk_is_paired_and_revoked_after_a_confirm_and_a_screen_gets_its_address(suite, browser, org):
    name = f"图书借阅窗口 {uuid.uuid4().hex[:4]}"
    window = _window(org, name)
    page = login(browser, suite, "zuzhibu")
    open_from_menu(page, "devices")
    page.click("[data-test=new-kiosk]")
    dialog = page.locator(".el-dialog", has=page.locator("#new-kiosk"))
    dialog.wait_for()
    dialog.locator("[data-test=issue]").click()  # nothing chosen: both fields say so
    expect(dialog.locator(".el-form-item__error")).to_have_text(["此项为必填项", "此项为必填项"])
    _choose(page, dialog.locator("[data-test=kiosk-window]"), name)
    dialog.locator("input[name=name]").fill(f"{name}评价器")
    dialog.locator("[data-test=issue]").click()
    credential = page.locator("[data-test=kiosk-credential]")
    credential.wait_for()
    secret = credential.inner_text().strip()
    kiosk = Api(suite.gateway)
    assert kiosk.get("/api/directory/kiosks/me", headers={"Authorization": f"Kiosk {secret}"}).json["name"] == name
    screenshot(page, "windows-kiosk-credential")
    page.click("[data-test=credential-done]")

    _choose(page, page.locator("[data-test=filter-window]"), name)
    page.click("[data-test=search]")
    settle(page)
    row = page.locator("[data-test=kiosks] .el-table__body tr").first
    assert row.locator("[data-test=kiosk-state]").inner_text() == "在用"
    row.locator("[data-test=revoke]").click()
    page.locator(".el-message-box").wait_for()
    assert f"吊销“{name}评价器”" in page.inner_text(".el-message-box")
    page.click(".el-message-box .el-button:not(.el-button--primary)")  # cancelled: still in use
    page.locator(".el-message-box").wait_for(state="hidden")
    assert kiosk.get("/api/directory/kiosks/me", headers={"Authorization": f"Kiosk {secret}"}).status == 200
    row.locator("[data-test=revoke]").click()
    page.click(".el-message-box .el-button--primary")
    page.locator("[data-test=kiosks] [data-test=kiosk-state][data-status=revoked]").wait_for()
    wait_for(lambda: kiosk.get("/api/directory/kiosks/me", headers={"Authorization": f"Kiosk {secret}"}).status == 401,
             timeout=15, message="the revoked kiosk refused")

    # a display screen: its public address, as text, a QR code and a card that prints alone
    page.click(".device-tabs .el-tabs__item:has-text('显示屏')")
    _choose(page, page.locator("[data-test=display-window]"), name)
    card = page.locator("[data-test=qr-card]")
    card.wait_for()
    assert card.locator("[data-test=qr-link]").inner_text() == f"{suite.gateway}/display?window={window['id']}"
    page.wait_for_function("() => document.querySelector('[data-test=qr-canvas]').width > 0")
    page.evaluate("window.print = () => { window.__printed = document.body.classList.contains('printing-qr'); }")
    card.locator("[data-test=qr-print]").click()
    page.wait_for_function("() => window.__printed === true")
    page.emulate_media(media="print")  # what the printer gets: the card's copy alone, its QR code drawn again
    sheet = page.locator(".qr-print-sheet")
    assert sheet.is_visible() and not page.locator("#app").is_visible()
    assert sheet.locator(".qr-link").inner_text() == f"{suite.gateway}/display?window={window['id']}"
    assert sheet.locator("[data-test=qr-copy]").count() == 0
    assert page.evaluate("(() => { const c = document.querySelector('.qr-print-sheet canvas');"
                         " return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v < 128); })()")
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator(".qr-print-sheet").count() == 0
    card.locator("[data-test=qr-copy]").click()
    assert toast(page, "已复制") == "已复制"
    screenshot(page, "windows-display-qr")
    page.context.close()


def test_a_tag_set_without_complaints_is_refused_beside_its_box(suite, browser):
    page = login(browser, suite, "zuzhibu", path="/windows/devices")
    page.click(".device-tabs .el-tabs__item:has-text('评价理由标签')")
    form = page.locator("#tag-set")
    form.locator("textarea[name=complaint]").wait_for()
    page.wait_for_function("() => document.querySelector('[data-test=tag-version]').textContent.trim() !== ''")
    version = page.inner_text("[data-test=tag-version]")
    complaint = form.locator(".el-form-item", has=page.locator("textarea[name=complaint]"))
    form.locator("textarea[name=complaint]").fill("   ")
    form.locator("[data-test=publish-tags]").click()
    assert complaint.locator(".el-form-item__error").inner_text() == "此项为必填项"  # the browser's rule
    form.locator("textarea[name=complaint]").fill("服务态度\n服务态度")
    form.locator("[data-test=publish-tags]").click()  # the service's: each tag once, beside the same box
    complaint.locator(".el-form-item__error").wait_for()
    assert complaint.locator(".el-form-item__error").inner_text() not in ("", "此项为必填项")
    assert page.inner_text("[data-test=tag-version]") == version  # nothing published
    screenshot(page, "windows-tags-error")
    page.context.close()
