"""晋位升级 in the portal (Vue): the branch secretary's self-assessment (a bad score refused beside its field), the
general branch setting levels in a drawer with the 先进 cap live and the level labelled 拟定 until final,
rectification planned and reported then accepted the next year, a member's objection during 公示 read back with
its answer (on a phone in English too), the organisation department's cycle form (branches from the tree by
党总支 with search and 全选, a year beyond last/this/next refused in the browser, the service's message beside its
field), and a notice's link /grading/<id> landing on the right page with that year chosen.

The suite is shared by every browser test, one cycle per year: each test grades a year of its own far from today
(the suite lets grading-service open them; the rule that a cycle is for last, this or next year is tested in
tests/integration/grading/test_cycle_years.py and in the form here)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, go, login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e

YEAR = 2031  # self-assessment and levels
LAST_YEAR = 2033  # graded and final; LAST_YEAR + 1 accepts its rectification
PUBLICITY_YEAR = 2036  # published, objected to
TAKEN_YEAR = 2039  # the cycle form's "already graded" year
TREE_YEAR = 2040  # the cycle opened from the form with the branches of one 党总支
BRANCHES = ("br-teachers", "br-students", "br-affairs")


def _api(suite, user: str) -> Api:
    return Api(suite.gateway).login(user, DEMO_PASSWORD)


def _open_cycle(suite, year: int, **options) -> dict:
    """A cycle opened by the organisation department (once grading-service knows the demo's branches)."""
    org = _api(suite, "zuzhibu")
    body = {"year": year, "advanced_cap_percent": 34, "self_assessment_deadline": f"{year}-12-31",
            "branch_ids": [str(_id(k)) for k in BRANCHES], **options}
    return wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(org.post("/api/grading/cycles", body)),
                    timeout=60, message=f"the {year} cycle opened")


def _set_levels(suite, cycle: dict, levels: dict) -> None:
    superiors = {"br-teachers": "zongzhi", "br-students": "zongzhi", "br-affairs": "jiguan"}
    for branch, level in levels.items():
        response = _api(suite, superiors[branch]).post(
            f"/api/grading/cycles/{cycle['id']}/branches/{_id(branch)}/level",
            {"action": "override", "level": level, "reason": "定级"})
        assert response.status == 200, response.json


def choose_cycle(page, year: int) -> None:
    """The year picker, as a person uses it: open it, click the year."""
    page.click(".cycle-picker .el-select")
    page.locator(".el-select-dropdown__item:visible", has_text=str(year)).first.click()
    settle(page)


def assert_picked(page, year: int) -> None:
    """The year picker shows that year (once the years have loaded)."""
    page.locator(".cycle-picker .el-select", has_text=str(year)).wait_for()


def error_beside(locator) -> str:
    """The message an el-form-item shows under its field."""
    message = locator.locator(".el-form-item__error")
    message.wait_for()
    return message.inner_text()


def row_of(page, table: str, branch_key: str):
    """A branch's row of a list: a table's row on a desktop, a card on a phone."""
    return page.locator(f"[data-test={table}] :is(tr, .item)", has=page.locator(f"[data-branch='{_id(branch_key)}']")).first


def still(page) -> None:
    """No drawer, dialog or toast is moving (before a screenshot)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running'"
                           " || a.effect.getTiming().iterations === Infinity)")


def toast_saying(page, text: str) -> str:
    """The toast that says `text` (an earlier one may still show)."""
    message = page.locator(".el-message", has_text=text).last
    message.wait_for()
    return message.inner_text()


def test_self_assessment_and_levels_in_a_drawer_with_the_cap_live(suite, browser):
    org = _api(suite, "zuzhibu")
    cycle = _open_cycle(suite, YEAR)
    assert cycle["branch_count"] == 3  # 34% of 3: one 先进 at most

    secretary = login(browser, suite, "zhishu")
    open_from_menu(secretary, "branch-grading")
    choose_cycle(secretary, YEAR)
    form = secretary.locator("#self-assessment")
    form.wait_for()
    leader = form.locator("[data-indicator=leader]")
    leader.locator("input[name=score-leader]").fill("120")
    form.locator("[data-test=save-scores]").click()
    assert error_beside(leader) == "应为 0 至 100 之间的数"  # refused in the browser, in the user's language
    detail = org.get(f"/api/grading/cycles/{cycle['id']}/branches/{_id('br-teachers')}").json
    assert not detail["scores"].get("self")  # nothing was sent
    still(secretary)
    screenshot(secretary, "portal-self-assessment-error")
    for code in ("leader", "work_plan", "rules", "venue", "support", "performance", "masses"):
        form.locator(f"input[name=score-{code}]").fill("92")
    form.locator("textarea[name=evidence-leader]").fill("书记讲党课 4 次")
    form.locator("[data-test=save-scores]").click()
    assert toast(secretary) == "评分已保存"
    assert "92.0" in secretary.locator("[data-test=self-total]").inner_text()
    stored = org.get(f"/api/grading/cycles/{cycle['id']}/branches/{_id('br-teachers')}").json
    assert stored["scores"]["self"]["leader"] == {**stored["scores"]["self"]["leader"], "score": 92.0,
                                                  "evidence": "书记讲党课 4 次"}
    still(secretary)
    screenshot(secretary, "portal-branch-grading")
    secretary.context.close()

    superior = login(browser, suite, "zongzhi")
    go(superior, suite, f"/grading/general?cycle={cycle['id']}", "general-grading")
    assert_picked(superior, YEAR)
    cap = superior.locator("#cap-status")
    assert cap.inner_text() == "先进 0 个，上限 1 个（比例上限 34%）"
    teachers = row_of(superior, "grading-branches", "br-teachers")
    assert "教育学院教工第一党支部" in teachers.inner_text()
    assert row_of(superior, "grading-branches", "br-affairs").count() == 0  # another general branch's
    # the 分项 in columns of their own: the self-assessment's part total, and the seven indicators on demand
    header = superior.locator("[data-test=grading-branches] thead").first.inner_text()
    assert "支部自评" in header and "上级评定" in header and "党组织带头人" not in header
    superior.locator("[data-test=show-indicators]").click()
    header = superior.locator("[data-test=grading-branches] thead").first.inner_text()
    assert "党组织带头人" in header and "群众评价" in header

    teachers.locator("[data-action=level]").click()
    drawer = superior.locator(".level-drawer")
    drawer.locator("[data-test=indicator-scores]").wait_for()
    assert "92.0" in drawer.locator("[data-test=indicator-scores]").inner_text()  # the self-assessment by indicator
    drawer.locator("#level-form [data-level=advanced]").click()
    assert drawer.locator("#drawer-cap").inner_text() == "先进 1 个，上限 1 个（比例上限 34%）"
    drawer.locator("[data-test=save-level]").click()  # a level without its reason
    assert error_beside(drawer.locator(".el-form-item", has=superior.locator("textarea[name=reason]"))) == "此项为必填项"
    drawer.locator("textarea[name=reason]").fill("群众评价突出，党建工作获校级表彰")
    drawer.locator("[data-test=save-level]").click()
    assert "先进" in toast(superior)
    level = teachers.locator(".level")
    level.locator(".status-tag[data-status=advanced]").wait_for()
    assert level.inner_text().replace("\n", "") == "先进（拟定）（调整）"  # 拟定 until the results are final
    assert cap.inner_text() == "先进 1 个，上限 1 个（比例上限 34%）"
    stored = org.get(f"/api/grading/cycles/{cycle['id']}/branches/{_id('br-teachers')}").json
    assert stored["level"] == "advanced" and stored["level_source"] == "overridden"
    assert stored["changes"][-1]["reason"] == "群众评价突出，党建工作获校级表彰"

    # a second 先进 shows over the cap in the drawer before anything is saved
    row_of(superior, "grading-branches", "br-students").locator("[data-action=level]").click()
    drawer.locator("#level-form [data-level=advanced]").click()
    assert drawer.locator("#drawer-cap").inner_text().endswith("，超出 1 个")
    still(superior)
    screenshot(superior, "portal-levels-cap")
    drawer.locator("#level-form [data-level=ordinary]").click()
    assert "超出" not in drawer.locator("#drawer-cap").inner_text()
    superior.keyboard.press("Escape")
    # the change is in the branch's history, with who and why
    teachers.locator("[data-action=level]").click()
    drawer.locator(".changes .el-collapse-item__header").click()
    change = drawer.locator("[data-test=change]").first
    assert "群众评价突出，党建工作获校级表彰" in change.inner_text() and "党总支书记（本人）" in change.inner_text()
    superior.context.close()

    # a notice's link /grading/<id> lands each person on their page, with that year (and branch) chosen
    for user, name in (("zhishu", "branch-grading"), ("zongzhi", "general-grading"), ("zuzhibu", "org-grading")):
        page = login(browser, suite, user)
        go(page, suite, f"/grading/{cycle['id']}?branch_id={_id('br-teachers')}", name)
        assert f"cycle={cycle['id']}" in page.url and f"branch_id={_id('br-teachers')}" in page.url
        assert_picked(page, YEAR)
        if name == "general-grading":  # the linked branch opens in its drawer
            page.locator(".level-drawer .el-drawer__title", has_text="教育学院教工第一党支部").wait_for()
        if name == "org-grading":
            page.locator(f"[data-test=grading-branches] tr.row-linked [data-branch='{_id('br-teachers')}']").wait_for()
        page.context.close()


def test_rectification_planned_and_reported_then_accepted_the_next_year(suite, browser):
    org = _api(suite, "zuzhibu")
    last = _open_cycle(suite, LAST_YEAR, publicity_days=0)
    _set_levels(suite, last, {"br-teachers": "ordinary", "br-students": "advanced", "br-affairs": "lagging"})
    for step in ("publish", "finalise"):
        assert org.post(f"/api/grading/cycles/{last['id']}/{step}").status == 200
    now = _open_cycle(suite, LAST_YEAR + 1)

    secretary = login(browser, suite, "zhishu")
    go(secretary, suite, f"/grading/branch?cycle={last['id']}", "branch-grading")
    result = secretary.locator("#branch-result")
    assert "一般" in result.inner_text() and "拟定" not in result.inner_text()  # final: no longer 拟定
    plan = secretary.locator("#rectification-plan")
    assert "推动一般" in plan.inner_text()
    plan.locator("button[type=submit]").click()  # nothing written: said beside the boxes
    assert error_beside(plan.locator(".el-form-item", has=secretary.locator("textarea[name=problems]"))) == "此项为必填项"
    plan.locator("textarea[name=problems]").fill("组织生活不够规范\n党员教育形式单一")
    plan.locator("textarea[name=measures]").fill("严格落实三会一课\n每月开展主题党日")
    plan.locator("textarea[name=tasks]").fill("制定三会一课计划\n每月一次主题党日")
    plan.locator("button[type=submit]").click()
    assert toast_saying(secretary, "整改方案") == "整改方案已制定"
    task = secretary.locator("[data-test=tasks] tr", has=secretary.locator(".task-title", has_text="制定三会一课计划"))
    task.locator("[data-action=progress]").click()
    dialog = secretary.locator("#task-progress")
    dialog.locator("input[name=percent]").fill("60")
    dialog.locator("textarea[name=note]").fill("计划已制定，正在落实")
    secretary.locator("[data-test=save-progress]").click()
    task.locator(".progress[data-percent='60']").wait_for()
    assert "待党总支" in secretary.locator("#rectification").inner_text()
    secretary.locator("#task-progress").wait_for(state="hidden")
    still(secretary)
    screenshot(secretary, "portal-rectification")
    secretary.context.close()

    superior = login(browser, suite, "zongzhi")
    go(superior, suite, f"/grading/general?cycle={now['id']}", "general-grading")
    item = row_of(superior, "acceptance-list", "br-teachers")
    assert "制定三会一课计划 60%" in item.inner_text()
    item.locator("[data-action=accept]").click()
    form = superior.locator("#acceptance-form")
    for question in ("organisation_stronger", "problems_solved", "masses_satisfied"):
        form.locator(".el-checkbox", has=superior.locator(f"input[name={question}]")).click()
    superior.locator("[data-test=save-acceptance]").click()  # the notes are required
    assert error_beside(form.locator(".el-form-item", has=superior.locator("textarea[name=notes]"))) == "此项为必填项"
    form.locator("textarea[name=notes]").fill("整改措施落实到位")
    superior.locator("[data-test=save-acceptance]").click()
    item.locator("[data-test=accepted]", has_text="验收通过").wait_for()
    still(superior)
    screenshot(superior, "portal-acceptance")
    stored = org.get(f"/api/grading/cycles/{last['id']}/branches/{_id('br-teachers')}/rectification").json
    assert stored["acceptance"]["passed"] is True and stored["tasks"][0]["percent"] == 60
    superior.context.close()

    # the acceptance result on the branch's page, where a notice of it (cycle, branch) leads
    secretary = login(browser, suite, "zhishu")
    go(secretary, suite, f"/grading/{last['id']}?branch_id={_id('br-teachers')}&task_id={stored['tasks'][0]['id']}",
       "branch-grading")
    assert "验收通过" in secretary.locator("[data-test=acceptance]").inner_text()
    secretary.locator(f"[data-test=tasks] .row-linked .task-title[data-task='{stored['tasks'][0]['id']}']").wait_for()
    secretary.context.close()


def test_a_member_objects_during_publicity_and_reads_the_answer(suite, browser):
    cycle = _open_cycle(suite, PUBLICITY_YEAR, publicity_days=5)
    _set_levels(suite, cycle, {"br-teachers": "ordinary", "br-students": "ordinary", "br-affairs": "ordinary"})
    published = _api(suite, "zuzhibu").post(f"/api/grading/cycles/{cycle['id']}/publish")
    assert published.status == 200, published.json
    cycle = published.json

    member = login(browser, suite, "dangyuan")
    open_from_menu(member, "grading-publicity")
    choose_cycle(member, PUBLICITY_YEAR)
    assert f"公示期至 {cycle['publicity_ends_on']}" in member.inner_text("[data-test=publicity-hint]")
    row = row_of(member, "publicity-table", "br-affairs")
    assert row.locator(".level").inner_text() == "一般（拟定）" and "机关党总支" in row.inner_text()
    row.locator("button.object").click()
    member.wait_for_function("() => document.activeElement && document.activeElement.name === 'text'")  # the keyboard's
    member.locator("[data-test=lodge]").click()
    assert error_beside(member.locator("#objection-form .el-form-item")) == "此项为必填项"  # nothing written
    text = f"该支部群众评价材料不全，建议复核 {uuid.uuid4().hex[:4]}"
    member.locator("textarea[name=text]").focus()
    member.keyboard.type(text)
    member.keyboard.press("Tab")
    member.keyboard.press("Enter")  # the submit button, by keyboard alone
    member.locator(f"#my-objections li:has-text('{text}') .pending").wait_for()
    assert member.evaluate("document.activeElement.classList.contains('object')")  # focus back on the row's button
    still(member)
    screenshot(member, "portal-objection-lodged")

    general = _api(suite, "jiguan")
    [lodged] = [o for o in general.get(f"/api/grading/cycles/{cycle['id']}/objections?limit=200").json["items"]
                if o["text"] == text]
    assert lodged["branch_id"] == str(_id("br-affairs")) and lodged["lodged_by"] == str(_id("dangyuan"))
    assert general.post(f"/api/grading/cycles/{cycle['id']}/objections/{lodged['id']}/answer",
                        {"answer": "经复核，材料已补齐，维持一般"}).status == 200
    # a notice's link: the member lands on the published list of that year
    go(member, suite, f"/grading/{cycle['id']}?branch_id={_id('br-affairs')}", "grading-publicity")
    assert_picked(member, PUBLICITY_YEAR)
    answered = member.locator(f"#my-objections li[data-id='{lodged['id']}']")
    assert "经复核，材料已补齐，维持一般" in answered.locator(".answer").inner_text()
    member.context.close()

    # The branch secretary's grading page sends them to the same list, of that year.
    secretary = login(browser, suite, "zhishu")
    go(secretary, suite, f"/grading/branch?cycle={cycle['id']}", "branch-grading")
    secretary.click("[data-test=publicity-notice] a")
    secretary.wait_for_selector(".page-frame[data-page=grading-publicity]")
    settle(secretary)
    row_of(secretary, "publicity-table", "br-teachers").locator("button.object").wait_for()
    assert_picked(secretary, PUBLICITY_YEAR)
    secretary.context.close()

    # On a phone, in English, the list and its buttons still fit and read.
    phone = login(browser, suite, "liuwei", viewport=PHONE, locale="en")
    open_from_menu(phone, "grading-publicity")
    choose_cycle(phone, PUBLICITY_YEAR)
    assert "until" in phone.inner_text("[data-test=publicity-hint]")
    button = phone.locator("[data-test=publicity-table] button.object").first
    assert button.inner_text() == "Object"
    assert button.bounding_box()["x"] + 60 < 390  # on screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert row_of(phone, "publicity-table", "br-affairs").locator(".level").inner_text() == "Ordinary (provisional)"
    still(phone)
    screenshot(phone, "portal-publicity-phone-en")
    phone.context.close()


def _moving_the_year_to(page, year: int) -> None:
    """The suite grades years far from today: the form's request is sent for `year` instead (nothing else changes)."""
    def move(route):
        body = json.loads(route.request.post_data)
        route.continue_(post_data=json.dumps({**body, "year": year}))
    page.route("**/api/grading/cycles", lambda route: move(route) if route.request.method == "POST" else route.continue_())


def test_the_cycle_form_checks_the_year_in_the_browser_and_chooses_branches_from_the_tree(suite, browser):
    org = _api(suite, "zuzhibu")
    _open_cycle(suite, TAKEN_YEAR)
    this_year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    page = login(browser, suite, "zuzhibu")
    open_from_menu(page, "org-grading")
    page.click("[data-test=new-cycle]")
    form = page.locator("#open-cycle")
    form.wait_for()
    year = form.locator(".el-form-item", has=page.locator("input[name=year]"))
    for typed in ("2058", "2082", str(this_year + 2)):
        year.locator("input[name=year]").fill(typed)
        page.click("[data-test=submit-cycle]")
        assert error_beside(year) == f"只能为 {this_year - 1}–{this_year + 1} 年度"
    assert all(c["year"] not in (2058, 2082) for c in org.get("/api/grading/cycles?limit=200").json["items"])
    # a cap over 100 is refused beside its field, in the user's language
    cap = form.locator(".el-form-item", has=page.locator("input[name=advanced_cap_percent]"))
    cap.locator("input").fill("150")
    page.click("[data-test=submit-cycle]")
    assert error_beside(cap) == "应为 0 至 100 之间的数"
    cap.locator("input").fill("34")

    # the branches: the tree grouped by 党总支; none chosen, then those of one 党总支 by search and 全选
    picker = form.locator("[data-test=unit-tree-picker]")
    picker.locator(".node[data-kind=general_branch]", has_text="教育学院党总支").wait_for()
    total = len(picker.locator(".node[data-kind=branch]").all())
    assert picker.locator("[data-test=unit-count]").inner_text() == f"已选 {total} / {total} 个"  # all by default
    picker.locator("[data-test=unit-select-all]").click()
    assert picker.locator("[data-test=unit-count]").inner_text() == f"已选 0 / {total} 个"
    year.locator("input[name=year]").fill(str(this_year))
    page.click("[data-test=submit-cycle]")
    assert error_beside(form.locator(".branches-item")) == "请至少选择一个党支部"
    picker.locator("input[name=unit-search]").fill("教育学院党总支")
    assert picker.locator(".node[data-kind=branch]:visible").count() == 2  # the 党总支 found shows its branches
    picker.locator("[data-test=unit-select-all]").click()
    assert picker.locator("[data-test=unit-count]").inner_text() == f"已选 2 / {total} 个"
    still(page)
    screenshot(page, "portal-cycle-form-tree")

    # the service's own message beside its field: a year already graded
    _moving_the_year_to(page, TAKEN_YEAR)
    page.click("[data-test=submit-cycle]")
    expected = org.post("/api/grading/cycles", {"year": TAKEN_YEAR, "advanced_cap_percent": 34,
                                                "self_assessment_deadline": f"{TAKEN_YEAR}-12-31"}).json["error"]
    assert error_beside(year) == "；".join(expected["details"]["year"])
    assert toast(page) == expected["message"]
    page.unroute("**/api/grading/cycles")

    _moving_the_year_to(page, TREE_YEAR)
    page.click("[data-test=submit-cycle]")
    assert toast_saying(page, "已开展") == f"已开展 {TREE_YEAR} 年度分类定级，共 2 个党支部"
    opened = next(c for c in org.get("/api/grading/cycles?limit=200").json["items"] if c["year"] == TREE_YEAR)
    branches = org.get(f"/api/grading/cycles/{opened['id']}/branches?limit=100").json
    assert {b["branch_id"] for b in branches["items"]} == {str(_id("br-teachers")), str(_id("br-students"))}
    assert branches["total"] == 2
    page.locator("[data-test=cycles] .cycle-year[data-year='%d']" % TREE_YEAR).wait_for()
    page.context.close()
