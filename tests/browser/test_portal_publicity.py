"""#21 gap 7 in the portal: the published levels (公示名单) reached from the menu by any member; 组织部 opening them
to readers without login on the campus network (in the shared suite this host is the campus network); the public
page /publicity/<cycle id> showing the list then, and saying clearly — in Chinese or English — when it is not open,
with a login that lands on the list of that year."""
from __future__ import annotations

import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e

YEAR = 2048
BRANCHES = {"br-teachers": "zongzhi", "br-students": "zongzhi", "br-affairs": "jiguan"}  # branch → its superior


def _api(suite, user: str) -> Api:
    return Api(suite.gateway).login(user, DEMO_PASSWORD)


def _published_cycle(suite) -> dict:
    org = _api(suite, "zuzhibu")
    body = {"year": YEAR, "advanced_cap_percent": 34, "self_assessment_deadline": f"{YEAR}-12-31",
            "publicity_days": 5, "branch_ids": [str(_id(k)) for k in BRANCHES]}
    cycle = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(org.post("/api/grading/cycles", body)),
                     timeout=60, message=f"the {YEAR} cycle opened")
    for branch, superior in BRANCHES.items():
        response = _api(suite, superior).post(f"/api/grading/cycles/{cycle['id']}/branches/{_id(branch)}/level",
                                              {"action": "override", "level": "ordinary", "reason": "定级"})
        assert response.status == 200, response.json
    published = org.post(f"/api/grading/cycles/{cycle['id']}/publish")
    assert published.status == 200, published.json
    return published.json


def _public_page(browser, suite, cycle_id: str, viewport=(1366, 768)):
    """The public page in a browser where nobody is logged in."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN",
                                  is_mobile=viewport[0] < 800, has_touch=viewport[0] < 800)
    page = context.new_page()
    page.goto(f"{suite.gateway}/publicity/{cycle_id}")
    page.wait_for_selector("[data-page=public-publicity] :is([data-test=closed], [data-test=public-publicity-table], "
                           "[data-test=not-found], [data-test=not-published])")
    return page


def test_members_read_the_list_and_the_public_page_opens_only_when_the_organisation_department_chooses(suite, browser):
    cycle = _published_cycle(suite)

    # any member reaches the list from the menu; only 组织部 sees the switch
    member = login(browser, suite, "dangyuan")
    open_from_menu(member, "grading-publicity")
    member.click(".cycle-picker .el-select")
    member.locator(".el-select-dropdown__item:visible", has_text=str(YEAR)).first.click()
    settle(member)
    shown = member.eval_on_selector_all("[data-test=publicity-table] [data-branch]",
                                        "(cells) => [...new Set(cells.map((c) => c.dataset.branch))]")
    assert sorted(shown) == sorted(str(_id(k)) for k in BRANCHES)
    assert member.locator("[data-test=publicity-access]").count() == 0
    member.context.close()

    # not opened: the public page says so, in Chinese and in English, with the service's reason
    visitor = _public_page(browser, suite, cycle["id"])
    closed = visitor.locator("[data-test=closed]")
    assert "该公示名单需要登录后查看" in closed.inner_text()
    assert visitor.inner_text("[data-test=closed-reason]") == "该公示名单仅向本单位人员公开，请登录后查看。"
    assert visitor.locator("[data-test=public-publicity-table]").count() == 0
    screenshot(visitor, "portal-public-publicity-closed")
    visitor.click("[data-test=lang]")
    visitor.wait_for_function("() => document.querySelector('[data-test=closed-reason]') && document.querySelector("
                              "'[data-test=closed-reason]').textContent.includes('log in to read it')")
    assert "Log in to read this list" in closed.inner_text()
    assert "该" not in visitor.inner_text("[data-page=public-publicity]")
    visitor.click("[data-test=lang]")  # back to Chinese
    closed.locator("text=该公示名单需要登录后查看").wait_for()

    # 组织部 opens it for the year, and is shown the address to post
    org = login(browser, suite, "zuzhibu", path=f"/grading/publicity?cycle={cycle['id']}")
    switch = org.locator("[data-test=without-login]")
    assert "目前仅登录用户可以查看" in org.inner_text("[data-test=publicity-access]")
    switch.click()
    assert "已允许校园网内免登录查看" in toast(org, "已允许校园网内免登录查看")
    link = org.locator("[data-test=public-link]")
    link.wait_for()
    assert link.inner_text().endswith(f"/publicity/{cycle['id']}")
    org.locator("[data-test=without-login].is-checked").wait_for()  # the switch shows it on
    settle(org)
    org.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running'"
                          " || a.effect.getTiming().iterations === Infinity)")
    screenshot(org, "portal-publicity-open-without-login")

    # on the campus network (this host), the page shows the year's list: names and levels, nothing else
    visitor.reload()
    table = visitor.locator("[data-test=public-publicity-table]")
    table.wait_for()
    visitor.wait_for_function("() => document.querySelectorAll('[data-test=public-publicity-table] [data-branch]')"
                              ".length === 3")
    assert visitor.inner_text("h1") == f"{YEAR} 年度分类定级结果公示"
    assert f"公示期至 {cycle['publicity_ends_on']}" in visitor.inner_text("[data-test=publicity-hint]")
    row = table.locator("tr", has=visitor.locator(f"[data-branch='{_id('br-affairs')}']"))
    assert "教务处党支部" in row.inner_text() and row.locator(".level").inner_text() == "一般（拟定）"
    screenshot(visitor, "portal-public-publicity")
    phone = _public_page(browser, suite, cycle["id"], viewport=PHONE)
    assert phone.locator("[data-test=public-publicity-table] [data-branch]").count() == 3
    screenshot(phone, "portal-public-publicity-phone", full_page=True)
    phone.context.close()

    # closed again: the page says so again
    switch.click()
    toast(org, "已改为仅登录用户可以查看")
    visitor.reload()
    visitor.locator("[data-test=closed]").wait_for()
    org.context.close()

    # its login lands on the portal's list of that year
    visitor.click("[data-test=login]")
    visitor.fill("#login-form input[name=username]", "dangyuan")
    visitor.fill("#login-form input[name=password]", DEMO_PASSWORD)
    visitor.click("#login-form button[type=submit]")
    visitor.wait_for_selector(".page-frame[data-page=grading-publicity]")
    settle(visitor)
    visitor.locator(".cycle-picker .el-select", has_text=str(YEAR)).wait_for()
    visitor.context.close()


def test_a_link_to_no_cycle_says_so(suite, browser):
    visitor = _public_page(browser, suite, str(uuid.uuid4()))
    assert "找不到该公示" in visitor.inner_text("[data-test=not-found]")
    visitor.context.close()
