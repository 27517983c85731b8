"""The portal's work journeys in the browser: a member's instant pledge from the form to the result and the
inbox notice (一事一评) — every party of its round rating in the browser, the masses by the round's link — and a
branch secretary's ledger filtered and exported as XLSX."""
from __future__ import annotations

import io
import json
import urllib.request
import uuid
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from gateway.demo import DEMO_PASSWORD, _id
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True, scope="module")
def directory_projected(suite):
    """Services learn the demo directory from events: the first test waits until pledge-service knows the branch."""
    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    path = f"/api/pledges/statistics?unit_id={_id('br-teachers')}&year={date.today().year}"
    wait_for(lambda: (lambda r: r.status == 200 and r.json["members_expected"] >= 5)(secretary.get(path)),
             timeout=60, message="pledge-service to know the demo branch")


def login(browser, suite, username: str, viewport=(1366, 768)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{suite.gateway}/")
    page.fill("#login input[name=username]", username)
    page.fill("#login input[name=password]", DEMO_PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#nav-list a", state="attached")  # folded away on a phone
    return page


def open_page(page, page_id: str):
    page.click(f"#nav-list a[data-page={page_id}]")
    page.wait_for_selector(f"#page[data-page={page_id}]")
    settle(page)


def settle(page):
    """Every panel of the page has loaded (or said why not)."""
    page.wait_for_function("document.querySelector('#page') && !document.querySelector('#page .panel[aria-busy]')")


def pledge_item(page, title: str):
    return page.locator("#my-pledges li.pledge", has=page.locator(f"strong.title:text-is('{title}')"))


def rate_directly(suite, round_id: str, person_id: str, party: str, rating: str = "good"):
    """Someone with no login (the demo's 刘老) cannot use the portal: they rate straight at evaluation-service."""
    key = load_settings("gateway", suite.env).identity_private_key
    identity = Identity(subject=person_id, kind="person", name="参评人")
    request = urllib.request.Request(
        f"http://127.0.0.1:{suite.ports['evaluation']}/api/evaluations/rounds/{round_id}/ratings",
        data=json.dumps({"party": party, "rating": rating}).encode(), method="POST",
        headers={"Content-Type": "application/json", IDENTITY_HEADER: sign_identity(identity, key)})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


def rate_as_peer(browser, suite, username: str, round_id: str):
    page = login(browser, suite, username)
    open_page(page, "evaluations")
    form = page.locator(f"#my-rounds li.round[data-id='{round_id}'] form.rating-form")
    # the part the service leaves open to this person, and no other (a branch secretary is a peer here)
    assert form.get_attribute("data-party") == "peer" and form.locator("select[name=party]").count() == 0
    form.locator("input[name=rating][value=good]").check()
    form.locator("button[type=submit]").click()
    page.locator(f"#my-rounds li.round[data-id='{round_id}'] .ok").wait_for()
    page.context.close()


def rate_by_link(browser, suite, username: str, link: str, round_id: str, viewport=(1366, 768)):
    """One of the masses: asked by no list, they open the round's link and rate on the page it leads to."""
    page = login(browser, suite, username, viewport)
    page.goto(link)
    item = page.locator(f"#linked-round li.round[data-id='{round_id}']")
    form = item.locator("form.rating-form")
    form.wait_for()
    assert page.url.endswith(f"/#/evaluations/{round_id}")
    assert form.get_attribute("data-party") == "masses" and form.locator(".masses-note").is_visible()
    form.locator("input[name=rating][value=excellent]").check()
    form.locator("textarea[name=comment]").fill("办事耐心")
    if viewport[0] < 800:
        screenshot(page, "portal-masses-rating-phone")
    form.locator("button[type=submit]").click()
    item.locator(".ok").wait_for()
    page.context.close()


def peers_asked(suite, round_id: str) -> list[str]:
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        peer_ids = conn.execute(sa.text("SELECT peer_ids FROM rounds WHERE id = :r"), {"r": round_id}).scalar_one()
    engine.dispose()
    return json.loads(peer_ids) if isinstance(peer_ids, str) else list(peer_ids)


def test_a_member_pledges_fulfils_and_sees_the_evaluation_result_and_the_notice(suite, browser):
    title = f"带头完成迎评材料整理 {uuid.uuid4().hex[:6]}"
    member = login(browser, suite, "dangyuan")
    open_page(member, "my-pledges")
    form = member.locator("#new-pledge")
    form.locator("select[name=kind]").select_option("instant")
    form.locator("select[name=trigger]").select_option("temporary_task")
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=content]").fill("两周内完成材料归档")
    form.locator("input[name=areas][value=achievement]").check()
    form.locator("input[name=due_date]").fill((date.today() + timedelta(days=20)).isoformat())
    screenshot(member, "portal-new-pledge")
    form.locator("button[type=submit]").click()
    pledge_item(member, title).locator(".state:text-is('待审核')").wait_for()
    assert "null" not in pledge_item(member, title).inner_text()  # parts a pledge lacks are left out, not "null"

    reviewer = login(browser, suite, "zongzhi")
    open_page(reviewer, "review")
    item = reviewer.locator("#review li", has=reviewer.locator(f"strong:text-is('{title}')"))
    screenshot(reviewer, "portal-review-queue")
    item.locator("button.approve").click()
    item.wait_for(state="detached")

    open_page(member, "inbox")
    open_page(member, "my-pledges")
    item = pledge_item(member, title)
    item.locator(".state:text-is('已公开')").wait_for()
    item.locator("button.report").click()
    item.locator("textarea[name=evidence]").fill("已整理完一半材料")
    item.locator(".progress-form button[type=submit]").click()
    item = pledge_item(member, title)
    item.locator("text=进展 1 次").wait_for()
    member.once("dialog", lambda dialog: dialog.accept())
    item.locator("button.fulfil").click()
    pledge_item(member, title).locator(".state:text-is('已践诺')").wait_for()
    screenshot(member, "portal-my-pledges")

    # pledge.fulfilled opens the round (一事一评) in evaluation-service
    member_api = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    pledge_id = member.locator("#my-pledges li.pledge", has=member.locator(f"strong.title:text-is('{title}')")) \
        .get_attribute("data-id")
    round_ = wait_for(lambda: next((r for r in member_api.get("/api/evaluations/rounds?limit=100").json["items"]
                                    if r["target_id"] == pledge_id), None), timeout=30, message="the pledge's round")
    unread_before = int(member.inner_text("#unread"))

    open_page(member, "evaluations")
    mine = member.locator(f"#my-rounds li.round[data-id='{round_['id']}']")
    mine.locator("input[name=rating][value=excellent]").check()
    mine.locator(".target-reports textarea").first.fill("材料已全部归档，按期完成")
    screenshot(member, "portal-self-assessment")
    mine.locator("button[type=submit]").click()
    member.locator(f"#my-rounds li.round[data-id='{round_['id']}'] .ok").wait_for()
    # what the member passes on to the people served, for the masses' part (群众评议)
    masses_link = member.locator(f"#my-rounds li.round[data-id='{round_['id']}'] input.masses-link").input_value()
    assert masses_link == f"{suite.gateway}/evaluations/{round_['id']}"

    open_page(reviewer, "leader-comments")
    theirs = reviewer.locator(f"#leader-rounds li.round[data-id='{round_['id']}']")
    theirs.locator("input[name=rating][value=good]").check()
    theirs.locator("select[name=mode]").select_option("individual")
    theirs.locator("textarea[name=comment]").fill("完成及时")
    screenshot(reviewer, "portal-leader-comment")
    theirs.locator("button[type=submit]").click()
    reviewer.locator(f"#leader-rounds li.round[data-id='{round_['id']}'] .ok").wait_for()

    with_login = {str(_id(name)): name for name in ("zhishu", "liuwei", "zhaomin")}
    for peer in peers_asked(suite, round_["id"]):
        if peer in with_login:
            rate_as_peer(browser, suite, with_login[peer], round_["id"])
        else:
            rate_directly(suite, round_["id"], peer, "peer")
    # the masses: three people asked for no other part (enough to be shown, for anonymity), one on a phone
    for username, viewport in (("sunli", (390, 844)), ("jiguan", (1366, 768)), ("zuzhibu", (1366, 768))):
        rate_by_link(browser, suite, username, masses_link, round_["id"], viewport)

    # evaluation.completed → the member's inbox notice and the result on the pledge
    wait_for(lambda: int(member_api.get("/api/notifications/unread-count").json["unread"]) > unread_before,
             timeout=30, message="the result notice")
    open_page(member, "my-results")
    result = member.locator(f"#results li.result[data-id='{round_['id']}']")
    result.locator(".score").wait_for()
    breakdown = result.locator("table.breakdown tbody tr")
    assert breakdown.count() == 4
    assert "个人自评" in result.inner_text() and "领导点评" in result.inner_text()
    assert float(result.locator(".score").inner_text()) > 0
    assert int(member.inner_text("#unread")) > unread_before
    screenshot(member, "portal-my-results")

    open_page(member, "inbox")
    unread = int(member.inner_text("#unread"))
    notice = member.locator("#inbox li.unread").first
    notice.wait_for()
    screenshot(member, "portal-inbox")
    result_notice = member.locator("#inbox li", has=member.locator("a.open-notice[href='#/my-results']")).first
    assert result_notice.count() == 1  # the result notice links to the member's results
    notice.locator("button.mark-read").click()
    wait_for(lambda: int(member.inner_text("#unread")) == unread - 1, timeout=10, message="the header's count to drop")
    # an e-mail's link (PORTAL_URL + the notice's path) opens the same page
    member.goto(f"{suite.gateway}/evaluations/{round_['id']}")
    member.wait_for_selector(f"#results li.result[data-id='{round_['id']}']")
    assert member.url.endswith("/#/my-results")
    wait_for(lambda: pledge_item_state(member_api, pledge_id) == "evaluated", timeout=30,
             message="the result recorded on the pledge")
    member.context.close()
    reviewer.context.close()


def pledge_item_state(api: Api, pledge_id: str) -> str:
    return api.get(f"/api/pledges/{pledge_id}").json["state"]


def test_a_branch_secretary_filters_the_ledger_and_exports_it(suite, browser, tmp_path):
    member = Api(suite.gateway).login("liuwei", DEMO_PASSWORD)
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    titles = []
    for kind, title in (("instant", f"带头参加志愿服务 {tag}"), ("annual", f"带头学习党章党规 {tag}")):
        body = {"kind": kind, "title": title, "areas": ["study"], "submit": True,
                "due_date": (date.today() + timedelta(days=30)).isoformat()}
        if kind == "instant":
            body["trigger"] = "phase_work"
        pledge = wait_for(lambda body=body: (lambda r: r.json if r.status == 201 else None)(
            member.post("/api/pledges", body)), timeout=30, message="the pledge accepted")
        assert reviewer.post(f"/api/pledges/{pledge['id']}/approve").status == 200
        titles.append(title)

    page = login(browser, suite, "zhishu")
    open_page(page, "ledger")
    filters = page.locator("#ledger-filters")
    assert filters.locator("select[name=unit_id] option").first.inner_text() == "教育学院教工第一党支部"
    filters.locator("select[name=kind]").select_option("instant")
    filters.locator("select[name=state]").select_option("approved")
    filters.locator("input[name=member]").fill("刘伟")
    page.wait_for_selector(f"#ledger-table td:text-is('{titles[1]}')")  # before filtering: every kind
    filters.locator("button[type=submit]").click()
    # the annual pledge leaves the table, the instant one stays
    page.wait_for_selector(f"#ledger-table td:text-is('{titles[1]}')", state="detached")
    assert titles[0] in page.inner_text("#ledger-rows")
    rows = page.locator("#ledger-table tbody tr")
    assert all("刘伟" in rows.nth(i).inner_text() for i in range(rows.count()))
    screenshot(page, "portal-ledger")

    with page.expect_download() as download_info:
        page.click("#ledger-export")
    path = tmp_path / "ledger.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any(titles[0] in c for c in cells)
    assert not any(titles[1] in c for c in cells)  # the export keeps the kind filter
    page.context.close()


def test_a_branch_secretary_closes_a_bad_ratings_case_and_answers_a_note(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    name = f"学工服务窗口 {uuid.uuid4().hex[:4]}"
    window = org.post("/api/directory/windows", {
        "name": name, "location": "学生活动中心", "unit_id": str(_id("br-teachers")),
        "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("dangyuan"))],
        "standards": {"items": ["奖助学金"], "workflow": "受理—审核—办结", "time_limit": "3个工作日"}}).json
    credential = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": f"{name}评价器"}).json["credential"]
    kiosk = Api(suite.gateway)
    rated = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(kiosk.post(
        "/api/ratings", {"client_id": uuid.uuid4().hex, "level": 1, "reasons": []},
        headers={"Authorization": f"Kiosk {credential}"})), timeout=30, message="the kiosk's rating accepted")
    assert rated["case_id"]
    note = f"窗口中午无人值守 {uuid.uuid4().hex[:4]}"
    assert Api(suite.gateway).post("/api/feedback/suggestions", {"window_id": window["id"], "body": note}).status == 201

    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    wait_for(lambda: any(n["link"] == f"/feedback/{rated['case_id']}" for n in secretary.get(
        "/api/notifications?limit=100").json["items"]), timeout=30, message="the case's notice in the inbox")
    page = login(browser, suite, "zhishu")
    # the case's notice opens the windows' page, from the inbox and as an e-mail's link (/feedback/<case id>)
    open_page(page, "inbox")
    page.locator("#inbox li").filter(has_text="差评待整改").first.locator("a.open-notice").click()
    page.wait_for_selector("#page[data-page=branch-windows] #cases li.linked")
    page.goto(f"{suite.gateway}/feedback/{rated['case_id']}")
    case = page.locator(f"#cases li.linked[data-id='{rated['case_id']}']")
    case.wait_for()
    assert page.url.endswith(f"#/branch-windows/{rated['case_id']}")
    assert page.locator("#cases li.linked").count() == 1
    assert case.locator(".window-name").inner_text().startswith(name)  # which window, among the branch's
    total, closed = (secretary.get(f"/api/feedback/cases?{query}limit=1").json["total"] for query in ("", "state=closed&"))
    assert page.inner_text("#case-count") == f"未结 {total - closed} 件，共 {total} 件"  # all of them, not the page's
    cases = secretary.get("/api/feedback/cases?limit=100").json
    assert rated["case_id"] in [c["id"] for c in cases["items"]], (cases, page.inner_text("#view"))
    case.locator("button[type=submit]").click()  # nothing filled in: the service says what is missing
    case.locator("label:has(textarea[name=action_taken]) + .field-error").wait_for()
    case.locator("textarea[name=action_taken]").fill("已调整午间轮班，安排专人值守")
    case.locator("input[name=called_back][value=yes]").check()
    case.locator("button[type=submit]").click()
    closed = page.locator(f"#cases li[data-id='{rated['case_id']}']")
    closed.locator("text=已回访").wait_for()
    assert "已调整午间轮班" in closed.inner_text()

    item = page.locator("#suggestions li", has=page.locator(f"p:text-is('{note}')"))
    item.locator("select[name=state]").select_option("answered")
    item.locator("textarea[name=reply]").fill("已安排午间值守，感谢监督")
    item.locator("input[name=publish]").check()
    item.locator("button[type=submit]").click()
    settle(page)
    answered = page.locator("#suggestions li", has=page.locator(f"p:text-is('{note}')"))
    assert answered.locator("select[name=state]").input_value() == "answered"
    assert answered.locator("input[name=publish]").is_checked()
    screenshot(page, "portal-windows-feedback")
    page.context.close()


def test_a_branch_secretary_exempts_a_member_from_pledging(suite, browser):
    page = login(browser, suite, "zhishu")
    open_page(page, "branch-members")
    member = page.locator(f"#members li[data-id='{_id('zhaomin')}']")
    assert "未作年度承诺" in member.inner_text() or "已作年度承诺" in member.inner_text()
    member.locator("button.exempt").click()
    member.locator("input[name=exemptions]").fill("长期病休")
    member.locator(".exempt-form button[type=submit]").click()
    exempted = page.locator(f"#members li[data-id='{_id('zhaomin')}']")
    exempted.locator("text=免于承诺（长期病休）").wait_for()
    screenshot(page, "portal-branch-members")
    person = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD).get(f"/api/directory/persons/{_id('zhaomin')}").json
    assert {"year": date.today().year, "reason": "长期病休"} in person["exemptions"]
    exempted.locator("button.unexempt").click()  # and lifted again: the demo member pledges like the others
    page.locator(f"#members li[data-id='{_id('zhaomin')}'] button.exempt").wait_for()
    page.context.close()


def new_pledge(page, title: str):
    open_page(page, "my-pledges")
    form = page.locator("#new-pledge")
    form.locator("select[name=kind]").select_option("annual")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=areas][value=study]").check()
    return form


def pledges_titled(api: Api, title: str) -> list[dict]:
    return [p for p in api.get("/api/pledges?scope=mine&limit=100").json["items"] if p["title"] == title]


def creating(request) -> bool:
    return request.method == "POST" and request.url.endswith("/api/pledges")


def test_a_form_sent_twice_at_once_creates_one_pledge(suite, browser):
    title = f"带头参加理论学习 {uuid.uuid4().hex[:6]}"
    page = login(browser, suite, "liuwei")
    form = new_pledge(page, title)
    keys, answered = [], []
    page.on("request", lambda request: keys.append(request.headers.get("idempotency-key")) if creating(request) else None)
    page.on("requestfinished", lambda request: answered.append(request) if creating(request) else None)
    form.locator("button.save-draft").dblclick()  # both clicks go out before the first answer is back
    # page.wait_for_timeout lets Playwright deliver the page's events while waiting for both answers
    wait_for(lambda: page.wait_for_timeout(50) or len(answered) == 2, timeout=30, message="both answers")
    assert len(keys) == 2 and keys[0] == keys[1] and uuid.UUID(keys[0])  # one action, one key, sent twice
    member = Api(suite.gateway).login("liuwei", DEMO_PASSWORD)
    assert len(pledges_titled(member, title)) == 1
    pledge_item(page, title).wait_for()
    assert pledge_item(page, title).count() == 1

    new_pledge(page, title).locator("button.save-draft").click()  # the same again later: a new action
    wait_for(lambda: page.wait_for_timeout(50) or len(answered) == 3, timeout=30, message="the third answer")
    assert keys[2] != keys[0]
    assert len(pledges_titled(member, title)) == 2
    page.context.close()


def test_a_form_sent_again_after_its_answer_was_lost_creates_one_pledge(suite, browser):
    title = f"带头服务新生报到 {uuid.uuid4().hex[:6]}"
    page = login(browser, suite, "liuwei")
    form = new_pledge(page, title)
    keys = []

    def lose_the_first_answer(route):
        if not creating(route.request):
            route.continue_()
            return
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the gateway and pledge-service do the work …
            route.abort("connectionreset")  # … and the answer never reaches the browser
        else:
            route.continue_()

    page.route(lambda url: url.endswith("/api/pledges"), lose_the_first_answer)
    form.locator("button.save-draft").click()
    form.locator(".form-error").wait_for()
    assert "该服务暂不可用" in form.locator(".form-error").inner_text()
    member = Api(suite.gateway).login("liuwei", DEMO_PASSWORD)
    assert len(pledges_titled(member, title)) == 1  # created, though the member was not told
    screenshot(page, "portal-write-lost-answer")
    form.locator("button.save-draft").click()  # the member tries again, the form as it was
    form.locator(".ok").wait_for()
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(pledges_titled(member, title)) == 1
    pledge_item(page, title).wait_for()
    assert pledge_item(page, title).count() == 1
    page.context.close()
