"""The pledge pages in the browser (承诺践诺): a member's instant pledge made in the drawer, approved by the general
branch from its review table and fulfilled with its progress kept as a history; the form's required fields and
rules in the user's language, the service's messages next to each field, hostile text shown as text; several
pledges reviewed at once; a pledge's whole path as a timeline, opened from a notice's link; the ledger filtered,
paged and exported as XLSX holding exactly the rows shown, a general branch's secretary choosing any branch of
theirs; a notice's overdue link; the member's page on a phone; a form sent twice, or again after its answer was
lost, making one pledge."""
from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from urllib.parse import quote

import openpyxl
import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, go, login, page_height, settle

pytestmark = pytest.mark.e2e

HAN = re.compile(r"[\u4e00-\u9fff]")
TEACHERS = str(_id("br-teachers"))


@pytest.fixture(autouse=True, scope="module")
def directory_projected(suite):
    """Services learn the demo directory from events: the first test waits until pledge-service knows the branch."""
    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    path = f"/api/pledges/statistics?unit_id={TEACHERS}&year={date.today().year}"
    wait_for(lambda: (lambda r: r.status == 200 and r.json["members_expected"] >= 5)(secretary.get(path)),
             timeout=60, message="pledge-service to know the demo branch")


def _api(suite, username: str) -> Api:
    return Api(suite.gateway).login(username, DEMO_PASSWORD)


def _pledge(member: Api, title: str, kind: str = "instant", submit: bool = True, days: int = 20, **extra) -> dict:
    """A pledge made by the API: an instant one due in `days`, an annual one at the end of this year (its year)."""
    due = date.today() + timedelta(days=days) if kind == "instant" else date(date.today().year, 12, 31)
    body = {"kind": kind, "title": title, "areas": ["serving_masses"], "submit": submit, "due_date": due.isoformat(),
            **extra}
    if kind == "instant":
        body.setdefault("trigger", "temporary_task")
    return wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(member.post("/api/pledges", body)),
                    timeout=30, message="the pledge accepted")


def _act(api: Api, pledge_id: str, *actions: str, reason: str | None = None) -> dict:
    answer = None
    for action in actions:
        answer = api.post(f"/api/pledges/{pledge_id}/{action}", {"reason": reason} if reason else {})
        assert answer.status == 200, (action, answer.json)
    return answer.json


def _annual_of_this_year(member: Api) -> dict:
    """The member's annual pledge of this year (made now when there is none): the drawer then offers an instant one."""
    year = date.today().year
    states = "draft,submitted,returned,approved,published,overdue,fulfilled,evaluated,closed"
    found = member.get(f"/api/pledges?scope=mine&kind=annual&year={year}&state={states}&limit=1").json["items"]
    return found[0] if found else _pledge(member, f"带头学习党章党规 {uuid.uuid4().hex[:4]}", kind="annual",
                                          submit=False, due_date=f"{year}-12-31")


def _choose(page, select, value) -> None:
    """Pick an option of an el-select by its value (the list is teleported to the page's end)."""
    select.click()
    page.locator(f".el-select-dropdown:visible .el-select-dropdown__item[data-value='{value}']").click()


def _toast(page, text: str) -> None:
    page.locator(".el-message", has_text=text).first.wait_for()


def _confirm(page) -> None:
    page.locator(".el-message-box .el-message-box__btns .el-button--primary").click()


def _link(page, title: str):
    """A pledge's title in a list: a link to its page carrying its id and state."""
    return page.locator("a.pledge-link").filter(has_text=re.compile(f"^{re.escape(title)}$")).first


def _new_pledge(page):
    page.click("[data-test=new-pledge]")
    form = page.locator("#pledge-form")
    form.wait_for()
    return form


def _item(form, name: str):
    """The el-form-item holding the field `name` (its label, its asterisk, its message)."""
    return form.locator(".el-form-item", has=form.page.locator(f"[name='{name}']")).first


def _fill_instant(page, form, title: str, *, area: str = "achievement", due: date | None = None) -> None:
    form.locator("label[data-value=instant]").click()
    _choose(page, form.locator("[data-test=trigger]"), "temporary_task")
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=content]").fill("两周内完成材料归档")
    form.locator(f"label[data-value={area}]").click()
    _due(form, due or date.today() + timedelta(days=20))


def _due(form, day: date) -> None:
    field = form.locator("input[name=due_date]")
    field.fill(day.isoformat())
    field.press("Enter")


def _my_row(page, pledge_id: str):
    return page.locator(f".row-actions[data-id='{pledge_id}']")


def test_a_member_makes_an_instant_pledge_that_the_general_branch_approves_and_the_member_fulfils(suite, browser):
    title = f"带头完成迎评材料整理 {uuid.uuid4().hex[:6]}"
    _annual_of_this_year(_api(suite, "dangyuan"))
    member = login(browser, suite, "dangyuan", path="/pledges/mine")
    form = _new_pledge(member)
    _fill_instant(member, form, title)
    screenshot(member, "pledges-new-instant")
    member.click("[data-test=submit-pledge]")
    _toast(member, "已提交审核")
    link = _link(member, title)
    link.wait_for()
    assert link.get_attribute("data-state") == "submitted"
    row = member.locator("tr", has=link)
    assert "null" not in row.inner_text() and "undefined" not in row.inner_text()  # parts a pledge lacks left out
    assert "即时承诺" in row.inner_text() and "临时性任务" in row.inner_text()
    pledge_id = link.get_attribute("data-id")

    reviewer = login(browser, suite, "zongzhi", path="/pledges/review")
    _choose(reviewer, reviewer.locator("[data-test=sort]"), "-created_at")
    settle(reviewer)
    actions = reviewer.locator(f".row-actions[data-id='{pledge_id}']")
    queued = reviewer.locator("tr", has=actions)
    assert "陈党员" in queued.inner_text() and "教育学院教工第一党支部" in queued.inner_text()  # who and which branch
    screenshot(reviewer, "pledges-review-queue")
    actions.locator("[data-action=review]").click()
    drawer = reviewer.locator("[data-test=review-drawer]")
    assert drawer.locator("[data-test=pledge-title]").inner_text() == title
    drawer.locator("[data-test=approve]").click()
    _confirm(reviewer)  # publishing cannot be undone: asked first
    _toast(reviewer, "已审核通过并公开")
    actions.wait_for(state="detached")  # no longer waiting for review

    member.reload()
    settle(member)
    member.locator(f"a.pledge-link[data-id='{pledge_id}'][data-state='published']").wait_for()
    _my_row(member, pledge_id).locator("[data-action=report]").click()
    member.locator("#progress-form textarea[name=evidence]").fill("已整理完一半材料")
    member.click("[data-test=send-progress]")
    _toast(member, "进展已报告")
    member.locator("[data-test=progress-drawer] [data-test=progress-item]", has_text="已整理完一半材料").wait_for()
    member.keyboard.press("Escape")
    member.locator("tr", has=member.locator(f"a.pledge-link[data-id='{pledge_id}']")) \
        .locator("[data-test=progress-count]", has_text="进展 1 次").wait_for()
    _my_row(member, pledge_id).locator("[data-action=fulfil]").click()
    assert title in member.locator(".el-message-box").inner_text()  # what is declared, said before it is
    _confirm(member)
    _toast(member, "已宣布践诺")
    member.locator(f"a.pledge-link[data-id='{pledge_id}'][data-state='fulfilled']").wait_for()
    screenshot(member, "pledges-mine")
    assert _api(suite, "dangyuan").get(f"/api/pledges/{pledge_id}").json["state"] == "fulfilled"
    member.context.close()
    reviewer.context.close()


def test_a_participant_finds_a_collective_pledge_among_theirs_and_reports_progress_on_it(suite, browser):
    """A collective pledge (党员集体承诺) is its participants' too: listed as theirs, with who made it, and only the
    progress report offered (issue 21)."""
    title = f"共同带头完成课程思政案例 {uuid.uuid4().hex[:6]}"
    pledge = _pledge(_api(suite, "dangyuan"), title, mode="collective", participant_ids=[str(_id("liuwei"))])
    _act(_api(suite, "zongzhi"), pledge["id"], "approve", "publish")
    page = login(browser, suite, "liuwei", path="/pledges/mine")
    link = page.locator(f"a.pledge-link[data-id='{pledge['id']}'][data-state='published']")
    link.wait_for()
    assert "陈党员" in page.locator("tr", has=link).locator("[data-test=joined]").inner_text()
    actions = _my_row(page, pledge["id"])
    assert [b.get_attribute("data-action") for b in actions.locator("[data-action]").all()] == ["view", "report"]
    actions.locator("[data-action=report]").click()
    page.locator("#progress-form textarea[name=evidence]").fill("已和陈党员一起完成第一个案例")
    page.click("[data-test=send-progress]")
    _toast(page, "进展已报告")
    item = page.locator("[data-test=progress-drawer] [data-test=progress-item]", has_text="第一个案例")
    assert item.locator("[data-test=reporter]").inner_text() == "刘伟"  # who reported, beside the pledger's own
    screenshot(page, "pledges-collective-participant")
    reports = _api(suite, "dangyuan").get(f"/api/pledges/{pledge['id']}/progress").json["items"]
    assert [r["reporter_id"] for r in reports] == [str(_id("liuwei"))]
    page.context.close()


def test_the_new_pledge_drawer_marks_what_is_required_and_checks_it_in_the_users_language(suite, browser):
    annual = _annual_of_this_year(_api(suite, "dangyuan"))
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    form = _new_pledge(page)
    # this year's annual pledge is made: the member is told so and offered an instant pledge
    notice = page.locator("[data-test=have-annual]")
    assert annual["title"] in notice.inner_text() and "即时承诺" in notice.inner_text()
    assert "is-disabled" in form.locator("label[data-value=annual]").get_attribute("class")
    assert "is-checked" in form.locator("label[data-value=instant]").get_attribute("class")
    required = form.locator(".el-form-item.is-required > .el-form-item__label").all_inner_texts()
    assert {"承诺类型", "承诺缘由", "承诺事项", "五带头", "完成时限"} <= set(required)
    assert "具体内容" not in required
    page.click("[data-test=submit-pledge]")  # nothing filled in: the browser says what is missing, in Chinese
    for name in ("title", "due_date", "areas"):
        assert _item(form, name).locator(".el-form-item__error").inner_text() == "此项为必填项", name
    # and a screen reader hears it: the field is invalid and described by its message
    title = form.locator("[name=title]")
    page.wait_for_function("() => document.querySelector('#pledge-form [name=title]').getAttribute('aria-invalid') === 'true'")
    described = title.get_attribute("aria-describedby")
    assert page.locator(f"[id='{described}']").inner_text() == "此项为必填项"
    assert form.locator(".el-form-item", has=page.locator("[data-test=trigger]")).locator(".el-form-item__error") \
        .inner_text() == "此项为必填项"
    form.locator("textarea[name=targets]").fill("\n".join(f"目标{i}" for i in range(21)))
    form.locator("input[name=title]").click()  # leaving the field checks it
    assert _item(form, "targets").locator(".el-form-item__error").inner_text() == "最多 20 项，每项不超过 500 个字"
    screenshot(page, "pledges-drawer-required")
    page.context.close()

    english = login(browser, suite, "dangyuan", locale="en", path="/pledges/mine")
    form = _new_pledge(english)
    english.click("[data-test=submit-pledge]")
    assert _item(form, "title").locator(".el-form-item__error").inner_text() == "This field is required"
    words = " ".join(form.locator(".el-form-item__label, .el-form-item__error, .field-hint").all_inner_texts())
    assert words and not HAN.search(words), words  # no Chinese on an English page
    english.context.close()


def test_a_bad_pledge_shows_the_services_messages_next_to_each_field(suite, browser):
    member = _api(suite, "dangyuan")
    _annual_of_this_year(member)
    yesterday = date.today() - timedelta(days=1)
    expected = member.post("/api/pledges", {"kind": "instant", "trigger": "emergency", "title": "带头完善教学档案",
                                            "areas": ["study"], "due_date": yesterday.isoformat()}).json["error"]
    assert set(expected["details"]) == {"due_date"} and HAN.search(expected["message"])  # in Chinese
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    form = _new_pledge(page)
    title = f"带头完善教学档案 {uuid.uuid4().hex[:6]}"
    _fill_instant(page, form, title, area="study", due=yesterday)  # the browser's rules pass; the service's do not
    page.click("[data-test=submit-pledge]")
    error = _item(form, "due_date").locator(".el-form-item__error")
    error.wait_for()
    assert error.inner_text() == "；".join(expected["details"]["due_date"])
    assert page.locator(".el-message--error").first.inner_text().startswith(expected["message"])
    screenshot(page, "pledges-validation")

    _due(form, date(date.today().year, 12, 31))
    page.click("[data-test=save-draft]")
    _toast(page, "草稿已保存")
    _link(page, title).wait_for()
    assert _link(page, title).get_attribute("data-state") == "draft"
    page.locator("#pledge-form").wait_for(state="detached")  # the drawer closed with the form saved
    page.context.close()


def test_a_returned_pledge_is_changed_and_submitted_again(suite, browser):
    member, reviewer = _api(suite, "dangyuan"), _api(suite, "zongzhi")
    pledge = _pledge(member, f"带头完善课程思政 {uuid.uuid4().hex[:6]}", targets=["修订教案"])
    _act(reviewer, pledge["id"], "return", reason="请写明修订几门课程")
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    assert "被退回" in page.inner_text("[data-test=to-fix]")  # what waits for the member, said first
    row = page.locator("tr", has=page.locator(f"a.pledge-link[data-id='{pledge['id']}']"))
    assert row.locator("[data-test=return-reason]").inner_text() == "退回理由：请写明修订几门课程"
    _my_row(page, pledge["id"]).locator("[data-action=edit]").click()
    form = page.locator("#pledge-form")
    assert "请写明修订几门课程" in page.locator("[data-test=pledge-drawer] .return-reason").inner_text()
    assert form.locator("input[name=title]").input_value() == pledge["title"]  # the pledge as it was
    assert form.locator("label[data-value=instant]").count() == 0  # the kind stays what it was
    form.locator("textarea[name=targets]").fill("修订教案\n修订两门课程的课程思政内容")
    page.click("[data-test=submit-pledge]")
    _toast(page, "已提交审核")
    page.locator(f"a.pledge-link[data-id='{pledge['id']}'][data-state='submitted']").wait_for()
    got = member.get(f"/api/pledges/{pledge['id']}").json
    assert got["targets"] == ["修订教案", "修订两门课程的课程思政内容"] and got["return_reason"] is None
    page.context.close()


def test_hostile_text_in_a_pledge_title_is_shown_as_text(suite, browser):
    title = f"<script>alert(1)</script><img src=x onerror=\"window.__xss=1\"> {uuid.uuid4().hex[:4]}"
    _annual_of_this_year(_api(suite, "dangyuan"))
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    form = _new_pledge(page)
    _fill_instant(page, form, title, area="discipline")
    page.click("[data-test=submit-pledge]")
    link = _link(page, title)
    link.wait_for()
    assert link.inner_text() == title
    pledge_id = link.get_attribute("data-id")
    link.click()
    page.wait_for_selector(".page-frame[data-page=pledge] [data-test=pledge-title]")
    assert page.inner_text("[data-test=pledge-title]") == title

    reviewer = login(browser, suite, "zongzhi", path="/pledges/review")
    reviewer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _choose(reviewer, reviewer.locator("[data-test=sort]"), "-created_at")
    settle(reviewer)
    assert reviewer.locator(f"a.pledge-link[data-id='{pledge_id}']").inner_text() == title
    reviewer.locator(f".row-actions[data-id='{pledge_id}'] [data-action=review]").click()
    assert reviewer.locator("[data-test=review-drawer] [data-test=pledge-title]").inner_text() == title
    for p in (page, reviewer):
        assert p.locator("#main img, #main script, .el-drawer img, .el-drawer script").count() == 0
        assert p.evaluate("window.__xss") is None
    assert dialogs == []
    page.context.close()
    reviewer.context.close()


def test_the_general_branch_approves_and_returns_several_pledges_from_the_selection(suite, browser):
    tag = uuid.uuid4().hex[:6]
    member = _api(suite, "liuwei")
    approve = [_pledge(member, f"带头参加义务劳动 {tag} {i}") for i in range(2)]
    give_back = [_pledge(member, f"带头整理档案 {tag} {i}") for i in range(2)]
    page = login(browser, suite, "zongzhi", path="/pledges/review")
    _choose(page, page.locator("[data-test=sort]"), "-created_at")
    settle(page)

    def select(pledges):
        for pledge in pledges:
            page.locator("tr", has=page.locator(f"a.pledge-link[data-id='{pledge['id']}']")).locator(".el-checkbox").click()

    select(approve)
    page.locator("[data-test=approve-selected]", has_text="（2）").click()
    assert "2" in page.locator(".el-message-box").inner_text()
    _confirm(page)
    _toast(page, "已处理 2 项")
    settle(page)
    select(give_back)
    page.click("[data-test=return-selected]")
    dialog = page.locator("[data-test=reason-dialog]")
    dialog.locator("[data-test=confirm-reason]").click()  # no reason: the browser asks for one
    assert dialog.locator(".el-form-item__error").inner_text() == "此项为必填项"
    dialog.locator("textarea[name=reason]").fill("请写明可检验的目标")
    dialog.locator("[data-test=confirm-reason]").click()
    _toast(page, "已处理 2 项")
    reviewer = _api(suite, "zongzhi")
    states = {p["id"]: reviewer.get(f"/api/pledges/{p['id']}").json for p in approve + give_back}
    assert {states[p["id"]]["state"] for p in approve} == {"published"}
    assert {(states[p["id"]]["state"], states[p["id"]]["return_reason"]) for p in give_back} == {
        ("returned", "请写明可检验的目标")}
    page.locator(f"a.pledge-link[data-id='{approve[0]['id']}']").wait_for(state="detached")
    page.context.close()


def test_progress_reports_stay_as_a_history_with_their_evidence(suite, browser):
    member, reviewer = _api(suite, "dangyuan"), _api(suite, "zongzhi")
    pledge = _pledge(member, f"带头开设公开课 {uuid.uuid4().hex[:6]}")
    _act(reviewer, pledge["id"], "approve", "publish")
    page = login(browser, suite, "dangyuan", path="/pledges/mine")
    _my_row(page, pledge["id"]).locator("[data-action=report]").click()
    drawer = page.locator("[data-test=progress-drawer]")
    form = page.locator("#progress-form")
    form.locator("textarea[name=evidence]").fill("已开设公开课一次，听课 40 人")
    drawer.get_by_text("添加佐证链接").click()
    form.locator("input[aria-label='名称']").fill("听课记录")
    form.locator("input[aria-label='https://…']").fill("javascript:alert(1)")
    form.locator("textarea[name=evidence]").click()
    form.get_by_text("请输入以 http:// 或 https:// 开头的网址").wait_for()  # only links that open a page
    form.locator("input[aria-label='https://…']").fill("https://pan.example.edu.cn/records/1")
    page.click("[data-test=send-progress]")
    _toast(page, "进展已报告")
    first = drawer.locator("[data-test=progress-item]", has_text="已开设公开课一次")
    first.wait_for()
    assert first.locator("a", has_text="听课记录").get_attribute("href") == "https://pan.example.edu.cn/records/1"
    assert form.locator("textarea[name=evidence]").input_value() == ""  # ready for the next one
    form.locator("textarea[name=evidence]").fill("第二次公开课已完成")
    page.click("[data-test=send-progress]")
    drawer.locator("[data-test=progress-item]", has_text="第二次公开课已完成").wait_for()
    assert drawer.locator("[data-test=progress-item]").count() == 2
    screenshot(page, "pledges-progress-history")
    page.keyboard.press("Escape")

    # opened again from the count: the history is still there, nothing disappeared
    page.locator("tr", has=page.locator(f"a.pledge-link[data-id='{pledge['id']}']")) \
        .locator("[data-test=progress-count]", has_text="进展 2 次").click()
    items = page.locator("[data-test=progress-drawer] [data-test=progress-item]")
    items.nth(1).wait_for()
    assert items.count() == 2
    page.keyboard.press("Escape")
    go(page, suite, f"/pledges/{pledge['id']}", "pledge")
    page.locator("[data-test=progress-history] [data-test=progress-item]").nth(1).wait_for()
    steps = page.locator("[data-test=timeline] .step[data-action=report_progress]")
    assert steps.count() == 2 and "第二次公开课已完成" in steps.nth(1).inner_text()
    page.context.close()


def test_a_notice_link_opens_the_pledge_with_its_whole_path_as_a_timeline(suite, browser):
    member, reviewer = _api(suite, "dangyuan"), _api(suite, "zongzhi")
    pledge = _pledge(member, f"带头指导青年教师 {uuid.uuid4().hex[:6]}")
    _act(reviewer, pledge["id"], "return", reason="目标不够具体，请写明指导几人")
    _act(member, pledge["id"], "submit")
    _act(reviewer, pledge["id"], "approve", "publish")
    assert member.post(f"/api/pledges/{pledge['id']}/progress", {"evidence": "已指导青年教师一名"}).status == 201
    link = f"/pledges/{pledge['id']}"
    wait_for(lambda: any(n["link"] == link for n in member.get("/api/notifications?limit=200").json["items"]),
             timeout=30, message="the returned pledge's notice")

    page = login(browser, suite, "dangyuan")
    go(page, suite, link, "pledge")  # an e-mail's link: PORTAL_URL + the notice's path
    timeline = page.locator("[data-test=timeline]")
    timeline.locator(".step").nth(6).wait_for()
    assert timeline.locator(".step").evaluate_all("steps => steps.map(s => s.dataset.action)") == [
        "created", "submit", "return", "submit", "approve", "publish", "report_progress"]
    returned = timeline.locator(".step[data-action=return]")
    assert "理由：目标不够具体，请写明指导几人" in returned.inner_text() and "李总支" in returned.inner_text()
    assert "已指导青年教师一名" in timeline.locator(".step[data-action=report_progress]").inner_text()
    assert page.locator("[data-test=pledge-facts]").get_by_text("已公开").count() == 1
    screenshot(page, "pledges-timeline")

    # someone else's draft is not mine to see
    draft = _pledge(_api(suite, "liuwei"), f"带头参加培训 {uuid.uuid4().hex[:4]}", submit=False)
    go(page, suite, f"/pledges/{draft['id']}", "pledge")
    page.locator("[data-test=not-found]").wait_for()
    assert "承诺不存在" in page.inner_text("[data-test=not-found]")
    page.context.close()

    # the general branch's task notice opens the same page with what it may do: returned with a reason required
    waiting = _pledge(member, f"带头参加志愿服务 {uuid.uuid4().hex[:6]}")
    secretary = login(browser, suite, "zongzhi")
    go(secretary, suite, f"/pledges/{waiting['id']}", "pledge")
    secretary.locator(".page-actions [data-action=approve]").wait_for()
    secretary.click(".page-actions [data-action=return]")
    dialog = secretary.locator("[data-test=reason-dialog]")
    dialog.locator("[data-test=confirm-reason]").click()
    assert dialog.locator(".el-form-item__error").inner_text() == "此项为必填项"
    dialog.locator("textarea[name=reason]").fill("请补充完成时限的理由")
    dialog.locator("[data-test=confirm-reason]").click()
    _toast(secretary, "已退回")
    secretary.locator("[data-test=timeline] .step[data-action=return]", has_text="请补充完成时限的理由").wait_for()
    assert secretary.locator(".page-actions [data-action=approve]").count() == 0
    secretary.context.close()


def test_a_branch_secretary_filters_the_ledger_and_exports_it(suite, browser, tmp_path):
    member, reviewer = _api(suite, "liuwei"), _api(suite, "zongzhi")
    tag = uuid.uuid4().hex[:6]
    titles = []
    for kind, title in (("instant", f"带头参加志愿服务 {tag}"), ("annual", f"带头学习党章党规 {tag}")):
        pledge = _pledge(member, title, kind=kind, days=30)
        _act(reviewer, pledge["id"], "approve")
        titles.append(title)

    page = login(browser, suite, "zhishu", path="/pledges/ledger")
    filters = page.locator("#ledger-filters")
    assert filters.locator("[data-test=filter-unit] .el-select__placeholder").inner_text() == "教育学院教工第一党支部"
    page.locator("#ledger-table a.pledge-link", has_text=titles[1]).first.wait_for()  # before filtering: every kind
    _choose(page, filters.locator("[data-test=filter-kind]"), "instant")
    _choose(page, filters.locator("[data-test=filter-state]"), "approved")
    filters.locator("input[name=member]").fill("刘伟")
    filters.locator("[data-test=search]").click()
    # the annual pledge leaves the table, the instant one stays
    page.locator("#ledger-table a.pledge-link", has_text=titles[1]).wait_for(state="detached")
    page.locator("#ledger-table a.pledge-link", has_text=titles[0]).wait_for()
    names = page.locator("#ledger-table .pledger").all_inner_texts()
    assert names and set(names) == {"刘伟"}
    screenshot(page, "pledges-ledger")

    with page.expect_download() as download_info:
        page.click("#ledger-export")
    path = tmp_path / "ledger.xlsx"
    download_info.value.save_as(path)
    assert download_info.value.suggested_filename == f"承诺台账-{date.today().year}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(titles[0] in c for c in cells)
    assert not any(titles[1] in c for c in cells)  # the export keeps the kind filter
    page.context.close()


def test_the_ledger_sorts_by_a_column_in_the_service_and_exports_in_that_order(suite, browser, tmp_path):
    reviewer, tag = _api(suite, "zongzhi"), uuid.uuid4().hex[:6]
    for username in ("liuwei", "dangyuan"):
        _act(reviewer, _pledge(_api(suite, username), f"排序用承诺 {tag}", days=30)["id"], "approve")
    secretary = _api(suite, "zhishu")
    ledger = f"/api/pledges/ledger?unit_id={_id('br-teachers')}&year={date.today().year}&limit=20"

    page = login(browser, suite, "zhishu", path="/pledges/ledger")
    header = page.locator("#ledger-table .el-table__header th", has_text="承诺人")
    for way, sort in (("ascending", "pledger_name"), ("descending", "-pledger_name")):
        with page.expect_response(lambda r, sort=sort: "/api/pledges/ledger?" in r.url and f"sort={quote(sort)}" in r.url):
            header.locator(f".caret-wrapper .{way}").click()
        settle(page)
        shown = page.locator("#ledger-table .el-table__body .pledger").all_inner_texts()
        assert shown == [r["pledger_name"] for r in secretary.get(f"{ledger}&sort={sort}").json["items"]], sort
    assert shown == sorted(shown, reverse=True)

    with page.expect_download() as download_info:  # the file keeps the table's order
        page.click("#ledger-export")
    path = tmp_path / "sorted.xlsx"
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    column = rows[0].index(next(h for h in rows[0] if h and "承诺人" in str(h)))
    exported = [str(row[column]) for row in rows[1:] if row[column]]
    assert exported[:len(shown)] == shown
    page.context.close()


def test_the_ledger_filtered_by_member_exports_exactly_the_rows_shown(suite, browser, tmp_path):
    reviewer = _api(suite, "zongzhi")
    tag = uuid.uuid4().hex[:6]
    mine = [_pledge(_api(suite, "dangyuan"), f"带头服务学生 {tag}", kind="annual"),
            _pledge(_api(suite, "dangyuan"), f"带头值守考场 {tag}")]
    other = _pledge(_api(suite, "liuwei"), f"带头参加义务献血 {tag}", kind="annual")
    for pledge in (*mine, other):
        _act(reviewer, pledge["id"], "approve")

    page = login(browser, suite, "zhishu", path="/pledges/ledger")
    filters = page.locator("#ledger-filters")
    secretary = _api(suite, "zhishu")
    every = secretary.get(f"/api/pledges/ledger?unit_id={TEACHERS}&year={date.today().year}&limit=1").json["total"]
    page.locator("#ledger-count", has_text=f"共 {every} 条").wait_for()  # all of them, not a page of them
    # A name typed but not applied: the export applies it first, so the file and the table agree.
    filters.locator("input[name=member]").fill("陈党员")
    with page.expect_download() as download_info:
        page.click("#ledger-export")
    page.locator("#ledger-table a.pledge-link", has_text=other["title"]).wait_for(state="detached")
    settle(page)
    shown = page.locator("#ledger-table .pledger")
    assert set(shown.all_inner_texts()) == {"陈党员"}
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.pledger)")) == {str(_id("dangyuan"))}
    total = secretary.get(f"/api/pledges/ledger?unit_id={TEACHERS}&year={date.today().year}"
                          f"&pledger_name={quote('陈党员')}&limit=1").json["total"]
    assert page.inner_text("#ledger-count") == f"共 {total} 条"
    screenshot(page, "pledges-ledger-by-member")
    path = tmp_path / "ledger.xlsx"
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][0] == "承诺人" and rows[0][5] == "承诺事项"
    assert len(rows) - 1 == total  # every row the filters give, not only the page shown
    assert {r[0] for r in rows[1:]} == {"陈党员"}
    titles = {r[5] for r in rows[1:]}
    assert {p["title"] for p in mine} <= titles and other["title"] not in titles

    # Every filter on the page narrows the file: the kind as well as the member.
    _choose(page, filters.locator("[data-test=filter-kind]"), "instant")
    settle(page)
    with page.expect_download() as download_info:
        page.click("#ledger-export")
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))[1:]
    assert {(r[0], r[3]) for r in rows} == {("陈党员", "即时承诺")} and mine[1]["title"] in {r[5] for r in rows}
    assert page.inner_text("#ledger-count") == f"共 {len(rows)} 条"
    page.context.close()


def test_a_general_branch_secretary_chooses_any_branch_and_a_branch_secretary_keeps_theirs(suite, browser):
    year = date.today().year
    general = login(browser, suite, "zongzhi", path="/pledges/ledger")
    picker = general.locator("[data-test=filter-unit]")
    settle(general)
    picker.click()
    options = general.locator(".el-select-dropdown:visible .el-select-dropdown__item")
    options.nth(2).wait_for()
    offered = set(options.evaluate_all("os => os.map(o => o.dataset.value)"))
    assert {str(_id("gb-teaching")), str(_id("br-students")), TEACHERS} <= offered
    assert str(_id("br-affairs")) not in offered  # another general branch's
    general.keyboard.press("Escape")
    api = _api(suite, "zongzhi")
    for branch_key in ("br-students", "br-teachers", "gb-teaching"):  # the demo's student branch has no one yet
        _choose(general, picker, str(_id(branch_key)))
        settle(general)
        page = api.get(f"/api/pledges/ledger?unit_id={_id(branch_key)}&year={year}&limit=20").json
        shown = general.locator("#ledger-table a.pledge-link").evaluate_all("ls => ls.map(l => l.dataset.id)")
        assert shown == [p["id"] for p in page["items"]], branch_key
        assert general.inner_text("#ledger-count") == f"共 {page['total']} 条"
    assert shown  # the general branch's ledger holds its branches' pledges
    screenshot(general, "pledges-ledger-general")
    general.context.close()

    branch = login(browser, suite, "zhishu", path="/pledges/ledger")
    settle(branch)
    picker = branch.locator("[data-test=filter-unit]")
    assert "is-disabled" in picker.locator(".el-select__wrapper").get_attribute("class")  # theirs, and no other
    assert picker.locator(".el-select__placeholder").inner_text() == "教育学院教工第一党支部"
    branch.context.close()


def _make_overdue(suite, pledge_id: str) -> None:
    """The nightly job marks a pledge overdue once its day has passed; here the day passes at once."""
    engine = make_engine(suite.env["PLEDGE_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE pledges SET state = 'overdue', due_date = :day WHERE id = :id"),
                     {"day": date.today() - timedelta(days=1), "id": pledge_id})
    engine.dispose()


def test_the_overdue_notice_opens_the_ledger_for_a_secretary_and_my_pledges_for_a_member(suite, browser):
    member, reviewer = _api(suite, "dangyuan"), _api(suite, "zongzhi")
    pledge = _pledge(member, f"带头整改实验室台账 {uuid.uuid4().hex[:6]}")
    _act(reviewer, pledge["id"], "approve", "publish")
    _make_overdue(suite, pledge["id"])

    secretary = login(browser, suite, "zhishu")
    go(secretary, suite, f"/pledges?unit_id={TEACHERS}&status=overdue", "pledge-ledger")
    assert "/pledges/ledger" in secretary.url
    states = secretary.locator("#ledger-table .status-tag").evaluate_all("ts => ts.map(t => t.dataset.status)")
    assert states and set(states) == {"overdue"}
    secretary.locator(f"#ledger-table a.pledge-link[data-id='{pledge['id']}']").wait_for()
    assert secretary.locator("[data-test=filter-state] .el-select__placeholder").inner_text() == "已逾期"
    # the whole ledger again: the overdue ones are counted above it, one click away
    secretary.locator("#ledger-filters").get_by_role("button", name="重置").click()
    settle(secretary)
    alert = secretary.locator("[data-test=overdue-alert]")
    assert "已逾期" in alert.inner_text()
    alert.locator("[data-test=show-overdue]").click()
    settle(secretary)
    assert set(secretary.locator("#ledger-table .status-tag").evaluate_all("ts => ts.map(t => t.dataset.status)")) == {"overdue"}
    screenshot(secretary, "pledges-ledger-overdue")
    secretary.context.close()

    page = login(browser, suite, "dangyuan")
    go(page, suite, "/pledges?status=overdue", "my-pledges")
    assert page.url.endswith("/pledges/mine?state=overdue")
    page.locator(f"a.pledge-link[data-id='{pledge['id']}']").wait_for()
    assert set(page.locator("a.pledge-link").evaluate_all("ls => ls.map(l => l.dataset.state)")) == {"overdue"}
    page.context.close()


def test_the_members_page_works_on_a_phone(suite, browser):
    member = _api(suite, "dangyuan")
    _annual_of_this_year(member)
    pledge = _pledge(member, f"带头服务新生报到 {uuid.uuid4().hex[:6]}")
    page = login(browser, suite, "dangyuan", viewport=PHONE, path="/pledges/mine")
    card = page.locator(".card-list .item", has=page.locator(f"a.pledge-link[data-id='{pledge['id']}']"))
    card.wait_for()
    assert page.locator(".el-table").count() == 0  # cards, not a table
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    assert page_height(page) <= 3 * PHONE[1]  # a page of cards, however many pledges there are
    screenshot(page, "pledges-mine-phone")
    # withdrawn with the reason, from the card: asked in a dialog that fits the phone
    card.locator("[data-action=withdraw]").click()
    dialog = page.locator("[data-test=reason-dialog]")
    dialog.locator("textarea[name=reason]").fill("工作调整，改作其他承诺")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    dialog.locator("[data-test=confirm-reason]").click()
    _toast(page, "承诺已撤回")
    page.locator(f"a.pledge-link[data-id='{pledge['id']}'][data-state='withdrawn']").wait_for()
    assert member.get(f"/api/pledges/{pledge['id']}").json["history"][-1]["reason"] == "工作调整，改作其他承诺"
    _new_pledge(page)
    drawer = page.locator("[data-test=pledge-drawer]")
    page.wait_for_function("() => { const d = document.querySelector('[data-test=pledge-drawer]');"
                           " if (!d) return false; const box = d.getBoundingClientRect();"
                           " return Math.round(box.width) === 390 && Math.round(box.left) === 0; }")  # slid in, full width
    assert drawer.locator("[data-test=submit-pledge]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "pledges-drawer-phone")
    page.keyboard.press("Escape")
    go(page, suite, f"/pledges/{pledge['id']}", "pledge")
    page.locator("[data-test=timeline] .step[data-action=withdraw]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "pledges-detail-phone")
    page.context.close()


def _titled(api: Api, title: str) -> list[dict]:
    return [p for p in api.get("/api/pledges?scope=mine&limit=200").json["items"] if p["title"] == title]


def _creating(request) -> bool:
    return request.method == "POST" and request.url.endswith("/api/pledges")


def _draft_form(page, title: str):
    form = _new_pledge(page)
    _fill_instant(page, form, title, area="study")
    return form


def test_a_form_sent_twice_at_once_creates_one_pledge(suite, browser):
    title = f"带头参加理论学习 {uuid.uuid4().hex[:6]}"
    member = _api(suite, "liuwei")
    _annual_of_this_year(member)
    page = login(browser, suite, "liuwei", path="/pledges/mine")
    _draft_form(page, title)
    keys, answered = [], []
    page.on("request", lambda request: keys.append(request.headers.get("idempotency-key")) if _creating(request) else None)
    page.on("requestfinished", lambda request: answered.append(request) if _creating(request) else None)
    page.locator("[data-test=save-draft]").dblclick()
    _link(page, title).wait_for()
    wait_for(lambda: page.wait_for_timeout(50) or len(answered) == len(keys), timeout=30, message="every answer")
    # one action, one key: a second copy, when it went out, carried the same key
    assert 1 <= len(keys) <= 2 and len(set(keys)) == 1 and uuid.UUID(keys[0])
    assert len(_titled(member, title)) == 1
    assert page.locator("a.pledge-link").filter(has_text=re.compile(f"^{re.escape(title)}$")).count() == 1

    sent = len(keys)
    _draft_form(page, title)  # the same again later: a new action
    page.click("[data-test=save-draft]")
    wait_for(lambda: page.wait_for_timeout(50) or len(answered) == sent + 1, timeout=30, message="the next answer")
    assert keys[-1] != keys[0]
    assert len(_titled(member, title)) == 2
    page.context.close()


def test_a_form_sent_again_after_its_answer_was_lost_creates_one_pledge(suite, browser):
    title = f"带头服务新生报到 {uuid.uuid4().hex[:6]}"
    member = _api(suite, "liuwei")
    _annual_of_this_year(member)
    page = login(browser, suite, "liuwei", path="/pledges/mine")
    _draft_form(page, title)
    keys = []

    def lose_the_first_answer(route):
        if not _creating(route.request):
            route.continue_()
            return
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the gateway and pledge-service do the work …
            route.abort("connectionreset")  # … and the answer never reaches the browser
        else:
            route.continue_()

    page.route(lambda url: url.endswith("/api/pledges"), lose_the_first_answer)
    page.click("[data-test=save-draft]")
    page.locator(".el-message--error").first.wait_for()
    assert "网络连接失败" in page.locator(".el-message--error").first.inner_text() \
        or "该服务暂不可用" in page.locator(".el-message--error").first.inner_text()
    assert len(_titled(member, title)) == 1  # created, though the member was not told
    assert page.locator("#pledge-form input[name=title]").input_value() == title  # the form as it was
    screenshot(page, "pledges-write-lost-answer")
    page.click("[data-test=save-draft]")  # the member tries again
    _toast(page, "草稿已保存")
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(_titled(member, title)) == 1
    _link(page, title).wait_for()
    assert page.locator("a.pledge-link").filter(has_text=re.compile(f"^{re.escape(title)}$")).count() == 1
    page.context.close()
