"""晋位升级 in the portal: the branch secretary's self-assessment (with the service's message next to a bad
score) and the general branch setting levels with the 先进 cap shown live."""
from __future__ import annotations

import pytest

from gateway.demo import DEMO_PASSWORD, _id
from tests.support.http import Api

from .conftest import screenshot
from .test_portal_journeys import directory_projected  # noqa: F401  (autouse: wait for the directory here too)
from .test_portal_journeys import login, open_page, settle

pytestmark = pytest.mark.e2e

# Years no other test grades (one cycle per year in the shared suite), below those the dashboards tests compare
YEAR = 2031
LAST_YEAR = 2033  # graded and final; the next year accepts its rectification


def choose_cycle(page, cycle_id: str):
    page.select_option(".cycle-picker select", cycle_id)
    settle(page)  # its panels reloaded


def test_self_assessment_and_levels_with_the_cap_live(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    cycle = org.post("/api/grading/cycles", {
        "year": YEAR, "advanced_cap_percent": 34, "self_assessment_deadline": f"{YEAR}-12-31",
        "branch_ids": [str(_id(k)) for k in ("br-teachers", "br-students", "br-affairs")]}).json
    assert cycle["branch_count"] == 3  # 34% of 3: one 先进 at most

    secretary = login(browser, suite, "zhishu")
    open_page(secretary, "branch-grading")
    choose_cycle(secretary, cycle["id"])
    form = secretary.locator("#self-assessment")
    form.wait_for()
    form.locator("input[name='scores.0.score']").fill("120")
    form.locator("button[type=submit]").click()
    note = form.locator("label:has(input[name='scores.0.score']) + .field-error")
    note.wait_for()
    expected = Api(suite.gateway).login("zhishu", DEMO_PASSWORD).request(
        "PUT", f"/api/grading/cycles/{cycle['id']}/branches/{_id('br-teachers')}/self-assessment",
        {"scores": [{"indicator": "leader", "score": 120}]}).json["error"]
    assert note.inner_text() == "；".join(expected["details"]["scores"]["0"]["score"])
    screenshot(secretary, "portal-self-assessment-error")
    for i in range(7):
        form.locator(f"input[name='scores.{i}.score']").fill("92")
    form.locator("textarea[name='scores.0.evidence']").fill("书记讲党课 4 次")
    form.locator("button[type=submit]").click()
    form.locator(".ok").wait_for()
    assert "92.0" in form.locator(".ok").inner_text()
    screenshot(secretary, "portal-branch-grading")
    secretary.context.close()

    superior = login(browser, suite, "zongzhi")
    open_page(superior, "gb-grading")
    choose_cycle(superior, cycle["id"])
    superior.wait_for_selector("#grading-branches")
    cap = superior.locator("#cap-status")
    teachers = superior.locator(f"form.level-form[data-branch='{_id('br-teachers')}']")
    students = superior.locator(f"form.level-form[data-branch='{_id('br-students')}']")
    teachers.locator("select[name=level]").select_option("advanced")
    assert "先进 1 个，上限 1 个" in cap.inner_text() and "超出" not in cap.inner_text()
    students.locator("select[name=level]").select_option("advanced")
    assert "超出 1 个" in cap.inner_text()  # shown before anything is saved
    screenshot(superior, "portal-levels-cap")
    students.locator("select[name=level]").select_option("ordinary")
    assert "超出" not in cap.inner_text()

    teachers.locator("button[type=submit]").click()  # an override without its reason
    teachers.locator("label:has(input[name=reason]) + .field-error").wait_for()
    teachers.locator("input[name=reason]").fill("群众评价突出，党建工作获校级表彰")
    teachers.locator("button[type=submit]").click()
    superior.wait_for_selector(f"#grading-branches tr:has(form[data-branch='{_id('br-teachers')}']) .level:text-is('先进（调整）')")
    stored = org.get(f"/api/grading/cycles/{cycle['id']}/branches/{_id('br-teachers')}").json
    assert stored["level"] == "advanced" and stored["level_source"] == "overridden"
    assert stored["changes"][-1]["reason"] == "群众评价突出，党建工作获校级表彰"
    superior.context.close()


def test_rectification_planned_and_reported_then_accepted_the_next_year(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    superiors = {"zongzhi": Api(suite.gateway).login("zongzhi", DEMO_PASSWORD),
                 "jiguan": Api(suite.gateway).login("jiguan", DEMO_PASSWORD)}
    branches = {"br-teachers": ("zongzhi", "ordinary"), "br-students": ("zongzhi", "advanced"),
                "br-affairs": ("jiguan", "lagging")}
    last = org.post("/api/grading/cycles", {
        "year": LAST_YEAR, "advanced_cap_percent": 34, "self_assessment_deadline": f"{LAST_YEAR}-12-31",
        "publicity_days": 0, "branch_ids": [str(_id(k)) for k in branches]}).json
    for branch, (who, level) in branches.items():
        assert superiors[who].post(f"/api/grading/cycles/{last['id']}/branches/{_id(branch)}/level",
                                   {"action": "override", "level": level, "reason": "定级"}).status == 200
    for step in ("publish", "finalise"):
        assert org.post(f"/api/grading/cycles/{last['id']}/{step}").status == 200
    now = org.post("/api/grading/cycles", {
        "year": LAST_YEAR + 1, "advanced_cap_percent": 34, "self_assessment_deadline": f"{LAST_YEAR + 1}-12-31",
        "branch_ids": [str(_id(k)) for k in branches]}).json

    secretary = login(browser, suite, "zhishu")
    open_page(secretary, "branch-grading")
    choose_cycle(secretary, last["id"])
    plan = secretary.locator("#rectification-plan")
    plan.locator("textarea[name=problems]").fill("组织生活不够规范\n党员教育形式单一")
    plan.locator("textarea[name=measures]").fill("严格落实三会一课\n每月开展主题党日")
    plan.locator("textarea[name=tasks]").fill("制定三会一课计划\n每月一次主题党日")
    plan.locator("button[type=submit]").click()
    task = secretary.locator("form.task-progress").first
    task.locator("input[name=percent]").fill("60")
    task.locator("input[name=note]").fill("计划已制定，正在落实")
    task.locator("button[type=submit]").click()
    secretary.wait_for_selector("td:text-is('60%')")
    screenshot(secretary, "portal-rectification")
    secretary.context.close()

    superior = login(browser, suite, "zongzhi")
    open_page(superior, "gb-grading")
    choose_cycle(superior, now["id"])
    item = superior.locator("li", has=superior.locator("strong:text-is('教育学院教工第一党支部')"))
    assert "制定三会一课计划 60%" in item.inner_text()
    form = item.locator("form.acceptance")
    form.locator("input[name=organisation_stronger]").check()
    form.locator("input[name=problems_solved]").check()
    form.locator("input[name=masses_satisfied]").check()
    form.locator("textarea[name=notes]").fill("整改措施落实到位")
    form.locator("button[type=submit]").click()
    superior.wait_for_selector("li:has-text('教育学院教工第一党支部 — 验收通过')")
    screenshot(superior, "portal-acceptance")
    stored = org.get(f"/api/grading/cycles/{last['id']}/branches/{_id('br-teachers')}/rectification").json
    assert stored["acceptance"]["passed"] is True and stored["tasks"][0]["percent"] == 60
    superior.context.close()
