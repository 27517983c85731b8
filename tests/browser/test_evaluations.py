"""评议 in the browser (portal/src/views/evaluations): a member's instant pledge, once fulfilled, opens its round
(一事一评); every party rates in the browser — the member's self-assessment, the general-branch secretary's comment with
its mode, the peers from their list, the masses by the round's link (its QR code: scanned, it is that link), one of them
on a phone — and the result reaches the member, on the results page and as an inbox notice whose link opens it. The QR
card is printed alone. The organisation department's page keeps default weights from being saved until they add up to
100, and shows the service's message beside the bulk form's field."""
from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, go, login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True, scope="module")
def directory_projected(suite):
    """Services learn the demo directory from events: wait until pledge-service knows the branch."""
    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    path = f"/api/pledges/statistics?unit_id={_id('br-teachers')}&year={date.today().year}"
    wait_for(lambda: (lambda r: r.status == 200 and r.json["members_expected"] >= 5)(secretary.get(path)),
             timeout=60, message="pledge-service to know the demo branch")


# ---- the pledge part goes through the API (the pledge pages have their own tests) ----

def fulfilled_instant_pledge(suite, title: str) -> str:
    """An instant pledge made, reviewed, published, reported on and declared fulfilled; its id."""
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    created = member.post("/api/pledges", {
        "kind": "instant", "trigger": "temporary_task", "title": title, "content": "两周内完成材料归档",
        "areas": ["achievement"], "due_date": (date.today() + timedelta(days=20)).isoformat(), "submit": True})
    assert created.status == 201, created.json
    pledge_id = created.json["id"]
    for action in ("approve", "publish"):
        answer = reviewer.post(f"/api/pledges/{pledge_id}/{action}", {})
        assert answer.status == 200, answer.json
    assert member.post(f"/api/pledges/{pledge_id}/progress", {"evidence": "已整理完一半材料"}).status == 201
    answer = member.post(f"/api/pledges/{pledge_id}/fulfil", {})
    assert answer.status == 200 and answer.json["state"] == "fulfilled", answer.json
    return pledge_id


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


def peers_asked(suite, round_id: str) -> list[str]:
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        peer_ids = conn.execute(sa.text("SELECT peer_ids FROM rounds WHERE id = :r"), {"r": round_id}).scalar_one()
    engine.dispose()
    return json.loads(peer_ids) if isinstance(peer_ids, str) else list(peer_ids)


# ---- the rating form (RoundDetail, or the leaders' drawer) ----

def confirm(page):
    """Accept the confirm dialog shown before what cannot be undone."""
    box = page.locator(".el-message-box")
    box.wait_for()
    box.locator(".el-message-box__btns .el-button--primary").click()
    box.wait_for(state="hidden")


def rate(page, party: str, rating: str, *, reports=(), mode_label: str | None = None, comment: str = "",
         shot: str | None = None):
    """Fill the rating form of the part offered (and no other), send it once confirmed; the toast says so."""
    form = page.locator("#rating-form")
    form.wait_for()
    assert form.get_attribute("data-party") == party
    assert form.locator("input[name=party]").count() == 0  # one part open: no choice offered
    form.locator(f"[data-test=rating-{rating}]").click()
    for i, text in enumerate(reports):
        form.locator(f"textarea[name='target_reports.{i}']").fill(text)
    if mode_label:
        form.locator("[data-field=mode] .el-select__wrapper").click()
        page.locator(".mode-options .el-select-dropdown__item", has_text=mode_label).click()
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    if shot:
        screenshot(page, shot)
    form.locator("[data-test=submit-rating]").click()
    confirm(page)
    assert "评议已提交" in toast(page)


def open_link_and_log_in(browser, suite, username: str, link: str, viewport=DESKTOP):
    """One of the masses scans the QR code: its link, then the login the portal asks for, then the round."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN",
                                  is_mobile=viewport[0] < 800, has_touch=viewport[0] < 800)
    page = context.new_page()
    page.goto(link)
    page.wait_for_selector("#login-form")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector(".page-frame[data-page='round']")
    settle(page)
    assert page.url == link
    return page


def rate_by_link(browser, suite, username: str, link: str, viewport=DESKTOP):
    page = open_link_and_log_in(browser, suite, username, link, viewport)
    assert page.locator("[data-test=masses-note]").is_visible()  # anonymous, and says so
    assert page.locator("[data-test=qr-card]").count() == 0  # the masses are not asked to pass the link on
    phone = viewport[0] < 800
    if phone:  # the masses typically rate on a phone: the form fits its width, with fingertip-sized choices
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
        choice = page.locator("#rating-form [data-test=rating-excellent]").bounding_box()
        assert choice["height"] >= 40 and choice["x"] >= 0 and choice["x"] + choice["width"] <= viewport[0]
    rate(page, "masses", "excellent", comment="办事耐心", shot="evaluations-masses-rating-phone" if phone else None)
    page.locator("[data-test=submitted][data-party=masses]").wait_for()
    page.context.close()


def rate_as_peer(browser, suite, username: str, round_id: str):
    """A peer finds the round in the list of what waits for them and rates as a peer, the only part offered."""
    page = login(browser, suite, username)
    open_from_menu(page, "my-evaluations")
    page.locator(f"[data-test=rounds] [data-test=rate][data-id='{round_id}']").click()
    page.wait_for_selector(".page-frame[data-page='round']")
    rate(page, "peer", "good")
    page.locator("[data-test=submitted][data-party=peer]").wait_for()
    page.context.close()


def test_a_member_pledges_fulfils_and_sees_the_evaluation_result_and_the_notice(suite, browser):
    title = f"带头完成迎评材料整理 {uuid.uuid4().hex[:6]}"
    pledge_id = fulfilled_instant_pledge(suite, title)
    member_api = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    # pledge.fulfilled opens the pledge's own round (一事一评) in evaluation-service
    round_ = wait_for(lambda: next((r for r in member_api.get("/api/evaluations/rounds?limit=100").json["items"]
                                    if r["target_id"] == pledge_id), None), timeout=30, message="the pledge's round")
    round_id = round_["id"]
    assert round_["target_kind"] == "pledge" and round_["my_parties"] == ["self"]
    unread_before = member_api.get("/api/notifications/unread-count").json["unread"]

    # the member: the round waits in their list; they report on the target and rate themselves
    member = login(browser, suite, "dangyuan")
    open_from_menu(member, "my-evaluations")
    rows = member.locator("[data-test=rounds]")
    assert rows.get_attribute("data-tab") == "waiting"
    assert rows.locator(f"a.round-link[data-id='{round_id}']").inner_text() == title
    member.locator(f"[data-test=rate][data-id='{round_id}']").click()
    member.wait_for_selector(".page-frame[data-page='round']")
    settle(member)
    assert member.url.endswith(f"/evaluations/{round_id}")
    rate(member, "self", "excellent", reports=["材料已全部归档，按期完成"], shot="evaluations-self-assessment")
    member.locator("[data-test=submitted][data-party=self][data-rating=excellent]").wait_for()
    assert member.locator("#rating-form").count() == 0  # rated: the form is gone, and the rating cannot be changed

    # what the member passes on to the people served (群众评议): the round's link as a QR code
    masses_link = f"{suite.gateway}/evaluations/{round_id}"
    qr = member.locator("[data-test=masses-qr]")
    assert qr.get_attribute("data-url") == masses_link
    assert member.locator("[data-test=qr-canvas]").get_attribute("data-url") == masses_link
    assert qr.locator("[data-test=qr-link]").inner_text() == masses_link
    dark = member.evaluate("""() => {  // the code is drawn: the canvas holds black modules on white
        const canvas = document.querySelector('[data-test=qr-canvas]');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let dark = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 64) dark += 1;
        return dark / (pixels.length / 4);
    }""")
    assert 0.2 < dark < 0.8
    screenshot(member, "evaluations-round-with-qr")
    # printed, the QR card is all there is on the page: the code and the link under it
    member.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    qr.locator("[data-test=qr-print]").click()
    assert member.evaluate("window.__printed") == 1
    member.emulate_media(media="print")
    sheet = member.locator("[data-test=qr-print-sheet]")
    assert sheet.is_visible() and sheet.get_attribute("data-url") == masses_link
    assert masses_link in sheet.inner_text()
    assert not member.locator("#app").is_visible() and not member.locator("#rating-form, [data-test=my-rating]").first.is_visible()
    screenshot(member, "evaluations-qr-print")
    member.emulate_media(media="screen")
    assert not sheet.is_visible() and member.locator("[data-test=my-rating]").is_visible()

    # the general-branch secretary: the leader's comment, saying how it was made (个别点评)
    reviewer = login(browser, suite, "zongzhi")
    open_from_menu(reviewer, "leader-comments")
    reviewer.locator(f"[data-test=leader-rounds] [data-test=comment][data-id='{round_id}']").click()
    drawer = reviewer.locator(".el-drawer")
    drawer.wait_for()
    rate(reviewer, "leader", "good", mode_label="个别点评", comment="完成及时", shot="evaluations-leader-comment")
    drawer.wait_for(state="hidden")
    reviewer.locator("#tab-done").click()
    settle(reviewer)
    mine = reviewer.locator(f".my-comment[data-id='{round_id}']")
    mine.wait_for()
    assert mine.get_attribute("data-mode") == "individual" and "个别点评" in mine.inner_text()
    screenshot(reviewer, "evaluations-leader-comments-done")
    leader_api = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    [saved] = leader_api.get(f"/api/evaluations/rounds/{round_id}").json["my_ratings"]
    assert (saved["party"], saved["rating"], saved["mode"], saved["comment"]) == ("leader", "good", "individual", "完成及时")

    # the peers: from their list, in the browser where they have a login
    with_login = {str(_id(name)): name for name in ("zhishu", "liuwei", "zhaomin")}
    for peer in peers_asked(suite, round_id):
        if peer in with_login:
            rate_as_peer(browser, suite, with_login[peer], round_id)
        else:
            rate_directly(suite, round_id, peer, "peer")
    # the masses: three people asked for no other part (enough to be shown, for anonymity), the first on a phone,
    # each opening the QR code's link
    for username, viewport in (("sunli", PHONE), ("jiguan", DESKTOP), ("zuzhibu", DESKTOP)):
        rate_by_link(browser, suite, username, masses_link, viewport)

    # evaluation.completed → the member's result, the notice in the inbox, the result recorded on the pledge
    wait_for(lambda: member_api.get("/api/notifications/unread-count").json["unread"] > unread_before,
             timeout=30, message="the result notice")
    open_from_menu(member, "my-results")
    score = member.locator(f"[data-test=results] .score[data-id='{round_id}']")
    score.wait_for()
    overall = float(score.inner_text())
    assert overall > 0
    breakdown = member.locator(f"[data-test=results] ul.breakdown[data-id='{round_id}'] li")
    assert breakdown.count() == 4
    text = member.locator(f"[data-test=results] ul.breakdown[data-id='{round_id}']").inner_text()
    assert "个人自评" in text and "领导点评" in text and "群众评议" in text
    assert "人数不足" not in text  # three of the masses rated: their part is shown
    wait_for(lambda: int(member.locator(".tools .el-badge__content").first.inner_text() or 0) > unread_before,
             timeout=40, message="the header's unread count to grow")
    screenshot(member, "evaluations-my-results")

    notices = member_api.get("/api/notifications?limit=50").json["items"]
    result = next(n for n in notices if n["link"] == f"/evaluations/{round_id}" and n["kind"] == "result")
    assert result["read_at"] is None
    # the notice's link (an e-mail's: PORTAL_URL + the link) opens the round, closed now: the result, not a form
    go(member, suite, result["link"], "round")
    card = member.locator("[data-test=result-card]")
    card.wait_for()
    assert member.locator("#rating-form").count() == 0
    assert float(card.locator("[data-test=score]").inner_text()) == overall
    assert card.locator("[data-test=breakdown] li").count() == 4
    assert member.locator("[data-test=qr-card]").count() == 0  # closed: nobody is asked to rate any more
    screenshot(member, "evaluations-round-result")
    wait_for(lambda: member_api.get(f"/api/pledges/{pledge_id}").json["state"] == "evaluated", timeout=30,
             message="the result recorded on the pledge")
    member.context.close()
    reviewer.context.close()


def test_a_link_that_is_no_round_is_refused_beside_its_box_and_a_round_not_mine_says_so(suite, browser):
    page = login(browser, suite, "dangyuan", viewport=PHONE)
    go(page, suite, "/evaluations/todo", "my-evaluations")
    form = page.locator("#open-round-link")
    form.locator("input[name=link]").fill("https://example.edu.cn/pledges/12")
    form.locator("[data-test=open-link]").click()
    error = form.locator("[data-field=link] .el-form-item__error")
    error.wait_for()
    assert "评议链接" in error.inner_text()
    assert "/evaluations/todo" in page.url
    unknown = str(uuid.uuid4())
    form.locator("input[name=link]").fill(f"{suite.gateway}/evaluations/{unknown}")
    form.locator("[data-test=open-link]").click()
    page.wait_for_selector(".page-frame[data-page='round'] [data-test=round-missing]")
    assert page.url.endswith(f"/evaluations/{unknown}")
    page.context.close()


# ---- 组织部: default weights and the year's rounds in bulk ----

def test_default_weights_wait_for_a_sum_of_100_and_are_saved(suite, browser):
    page = login(browser, suite, "zuzhibu")
    open_from_menu(page, "org-evaluations")
    form = page.locator(".weights-form[data-kind=window]")
    form.wait_for()
    masses = form.locator("input[name=masses]")
    original = masses.input_value()
    masses.fill(str(int(float(original)) + 10))
    save = form.locator("[data-test=save-weights]")
    assert save.is_disabled()
    assert "110" in form.locator("[data-test=sum]").inner_text()  # shown as it is typed
    screenshot(page, "evaluations-weights-110")
    masses.fill(original)  # back to what it was: other tests rate windows with these weights
    assert form.locator("[data-test=sum]").get_attribute("data-sum") == "100"
    assert save.is_enabled()
    save.click()
    assert "已保存" in toast(page)
    scale = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD).get("/api/evaluations/scale").json
    window = next(k for k in scale["target_kinds"] if k["target_kind"] == "window")
    assert sum(w["weight"] for w in window["weights"]) == 100
    page.context.close()


def test_bulk_rounds_show_the_services_message_beside_the_field(suite, browser):
    page = login(browser, suite, "zuzhibu")
    go(page, suite, "/evaluations/annual", "org-evaluations")
    form = page.locator("#bulk-rounds")
    # the browser's rules first, in the user's language: a unit is required
    form.locator("[data-test=open-bulk]").click()
    unit_error = form.locator("[data-field=unit_id] .el-form-item__error")
    unit_error.wait_for()
    assert unit_error.inner_text() == "此项为必填项"
    form.locator("[data-field=unit_id] .el-select__wrapper").click()
    page.locator(".unit-tree-popper .unit-node[data-kind=general_branch]", has_text="教育学院党总支").click()
    unit_error.wait_for(state="detached")
    # a deadline already past: the service refuses it, and says so beside the deadline
    deadline = form.locator("input[name=deadline]")
    deadline.fill("2020-01-01 10:00")
    deadline.press("Enter")
    form.locator("[data-field=title] input").click()
    assert deadline.input_value() == "2020-01-01 10:00"
    form.locator("[data-test=open-bulk]").click()
    confirm(page)
    message = form.locator("[data-field=deadline] .el-form-item__error")
    message.wait_for()
    assert message.inner_text().strip()
    assert form.locator("[data-test=bulk-result]").count() == 0  # nothing opened
    screenshot(page, "evaluations-bulk-error")
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)  # a member under that general branch
    assert member.get("/api/evaluations/rounds?target_kind=member_year&limit=1").json["total"] == 0
    page.context.close()
