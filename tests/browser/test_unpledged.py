"""未承诺名单 and the ledger's supported organisation pledge in the browser (issue 21, gaps 2 and 3): a branch
secretary opens the list of members without an annual pledge from the menu, sees the exempted apart and reminds
them with one button after a confirm — the members find the reminder in their inbox; a general branch's secretary
sees every branch with its counts, in Chinese and in English; the ledger shows and filters by the organisation
pledge a member's pledge supports."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e

HAN = re.compile(r"[\u4e00-\u9fff]")
TEACHERS = str(_id("br-teachers"))
GENERAL = str(_id("gb-teaching"))
ACCOUNTS = ("zhishu", "zongzhi", "dangyuan", "liuwei", "zhaomin")


def _api(suite, username: str) -> Api:
    return Api(suite.gateway).login(username, DEMO_PASSWORD)


@pytest.fixture(autouse=True, scope="module")
def directory_projected(suite):
    secretary = _api(suite, "zhishu")
    wait_for(lambda: (lambda r: r.status == 200 and r.json["missing_total"] + r.json["exempted_total"] >= 1)(
        secretary.get(f"/api/pledges/unpledged?unit_id={TEACHERS}")), timeout=60,
        message="pledge-service to know the demo branch")


def _listed(api: Api, unit: str, which: str) -> list[dict]:
    return api.get(f"/api/pledges/unpledged?unit_id={unit}&list={which}&limit=200").json["items"]


def test_a_branch_secretary_lists_who_has_not_pledged_and_reminds_them(suite, browser):
    secretary = _api(suite, "zhishu")
    missing, exempted = _listed(secretary, TEACHERS, "missing"), _listed(secretary, TEACHERS, "exempted")
    assert missing, "every demo member has pledged: nothing to remind"

    page = login(browser, suite, "zhishu")
    open_from_menu(page, "pledge-unpledged")
    table = page.locator("#unpledged-table")
    table.locator(".member").first.wait_for()
    assert table.locator(".member").all_inner_texts() == [m["name"] for m in missing]
    summary = page.inner_text("#unpledged-summary")
    assert f"未作出年度承诺 {len(missing)} 人" in summary and f"免于承诺 {len(exempted)} 人" in summary
    assert page.locator("#unpledged-branches").count() == 0  # one branch: no per-branch table
    page.click("[data-test=list-exempted]")
    settle(page)
    assert table.locator(".member").all_inner_texts() == [m["name"] for m in exempted]
    if date.today().year == 2026:  # the demo's exemption (年老体弱) is for 2026
        table.locator(".el-table__body", has_text="年老体弱").wait_for()
    page.click("[data-test=list-missing]")
    settle(page)

    remind = page.locator("#remind-all")
    assert remind.inner_text() == f"一键提醒（{len(missing)} 人）"
    remind.click()
    dialog = page.locator(".el-message-box")
    dialog.wait_for()
    # shown whole, not while it fades in
    page.wait_for_function("() => document.querySelector('.el-message-box')"
                           " && !document.querySelector('.fade-in-linear-enter-active')")
    assert f"{len(missing)} 名党员" in dialog.inner_text()
    screenshot(page, "pledges-unpledged-confirm")
    dialog.locator(".el-message-box__btns .el-button--primary").click()
    said = toast(page)
    assert "提醒" in said, said

    # each reminded member with an account finds it in their inbox (through the outbox, the broker and
    # notification-service); the wait also keeps the notices from landing during another test
    reminded = [u for u in ACCOUNTS if str(_id(u)) in {m["person_id"] for m in missing}]
    assert reminded
    member = _api(suite, reminded[0])
    notices = wait_for(lambda: [n for n in member.get("/api/notifications?limit=50").json["items"]
                                if n["event_type"] == "pledge.reminder_requested"],
                       timeout=60, message="the reminder in the member's inbox")
    assert notices[0]["title"] == f"请作出{date.today().year}年度承诺"
    screenshot(page, "pledges-unpledged")

    # the same click again: nobody is told twice the same day
    remind.click()
    page.locator(".el-message-box .el-message-box__btns .el-button--primary").click()
    toast(page, "今天都已提醒过")
    page.context.close()


def test_a_general_branch_secretary_sees_each_branch_with_its_counts_in_english_too(suite, browser):
    reviewer = _api(suite, "zongzhi")
    answer = reviewer.get(f"/api/pledges/unpledged?unit_id={GENERAL}&limit=1").json
    # the demo's two branches, and any other tests made under the general branch
    assert {b["unit_id"] for b in answer["branches"]} >= {TEACHERS, str(_id("br-students"))}

    page = login(browser, suite, "zongzhi", path="/pledges/unpledged")
    page.locator("[data-test=filter-unit]").click()
    page.locator(f".el-select-dropdown:visible .el-select-dropdown__item[data-value='{GENERAL}']").click()
    branches = page.locator("#unpledged-branches")
    branches.locator(".el-table__body .branch-link").first.wait_for()
    settle(page)
    shown = branches.locator(".el-table__body .branch-link").all_inner_texts()
    assert shown and shown == [b["name"] for b in answer["branches"]][:len(shown)]
    for branch in answer["branches"][:len(shown)]:
        button = branches.locator(f".el-table__body .remind-branch[data-branch='{branch['unit_id']}']")
        assert button.is_disabled() == (branch["missing"] == 0)
    assert page.inner_text("#remind-all") == f"一键提醒（{answer['missing_total']} 人）"
    # one branch chosen: its members only, and the button reminds that branch
    branches.locator(f".el-table__body .branch-link[data-branch='{TEACHERS}']").click()
    settle(page)
    teachers = next(b for b in answer["branches"] if b["unit_id"] == TEACHERS)
    assert page.inner_text("#remind-all") == f"一键提醒（{teachers['missing']} 人）"
    assert set(page.locator("#unpledged-table .el-table__body td:nth-child(2)").all_inner_texts()) <= {teachers["name"]}
    screenshot(page, "pledges-unpledged-general-branch")
    page.context.close()

    english = login(browser, suite, "zongzhi", locale="en", path="/pledges/unpledged")
    english.locator("#unpledged-table").wait_for()
    settle(english)
    # every word of the page's own (the units' and members' names are data, in Chinese)
    words = " ".join([*english.locator("#unpledged-filters .el-form-item__label").all_inner_texts(),
                      english.inner_text("#remind-all"), english.inner_text("[data-test=which-list]"),
                      english.inner_text("#unpledged-table .el-table__header"),
                      english.locator(".page-frame h1").first.inner_text()])
    assert not HAN.search(words), words
    assert "Remind them" in words and "Without a pledge" in words
    english.context.close()


def test_the_ledger_shows_and_filters_by_the_organisation_pledge_supported(suite, browser):
    secretary, reviewer, member = _api(suite, "zhishu"), _api(suite, "zongzhi"), _api(suite, "liuwei")
    tag = uuid.uuid4().hex[:6]
    # due tomorrow (Beijing time): the ledger's first page, ordered by due date, holds them whatever other tests made
    due = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)
    body = {"kind": "instant", "trigger": "temporary_task", "areas": ["serving_masses"], "due_date": due.isoformat()}
    org_pledge = secretary.post("/api/pledges", {**body, "pledger_kind": "unit", "unit_id": TEACHERS,
                                                 "title": f"支部承诺：建设服务型党组织 {tag}", "submit": True}).json
    for action in ("approve", "publish"):
        assert reviewer.post(f"/api/pledges/{org_pledge['id']}/{action}", {}).status == 200
    linked = member.post("/api/pledges", {**body, "title": f"带头服务师生 {tag}", "linked_to": org_pledge["id"]})
    assert linked.status == 201, linked.json
    alone = member.post("/api/pledges", {**body, "title": f"带头值守考场 {tag}"})
    assert alone.status == 201, alone.json

    page = login(browser, suite, "zhishu", path="/pledges/ledger")
    table = page.locator("#ledger-table")
    table.locator("th", has_text="支持的组织承诺").wait_for()
    row = table.locator(".el-table__row", has=page.locator("a.pledge-link", has_text=f"带头服务师生 {tag}"))
    assert row.locator("a.linked-pledge").inner_text() == org_pledge["title"]
    assert row.locator("a.linked-pledge").get_attribute("data-linked") == org_pledge["id"]
    filters = page.locator("#ledger-filters")
    filters.locator("[data-test=filter-linked]").click()
    page.locator(f".el-select-dropdown:visible .el-select-dropdown__item[data-value='{org_pledge['id']}']").click()
    table.locator("a.pledge-link", has_text=f"带头值守考场 {tag}").wait_for(state="detached")
    settle(page)
    assert table.locator("a.pledge-link").all_inner_texts() == [f"带头服务师生 {tag}"]
    assert page.inner_text("#ledger-count") == "共 1 条"
    screenshot(page, "pledges-ledger-supported")
    page.context.close()
