"""The masses' suggestion box online (意见箱), reached by a printed QR code: a branch secretary shows the QR code of their
unit's box (the card that prints alone, its link copied) and it encodes the box's public address; a phone that
nobody logged in on opens that address, is refused an empty note in Chinese, sends a complaint and is thanked; the
secretary finds the note in 意见箱 and a follow-up case opened for it, and the stored note names no one. A member
logged in in the same browser tab writes to a window's box: the note goes with no token and no Idempotency-Key,
the gateway takes those headers for no one, nothing stored names the member, and the member is still logged in."""
from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, go, login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e

PORTAL = Path(__file__).resolve().parents[2] / "portal"
TEACHERS = str(_id("br-teachers"))
UNIT_NAME = "教育学院教工第一党支部"


@pytest.fixture(scope="module")
def org(suite):
    return Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def secretary(suite):
    return Api(suite.gateway).login("zhishu", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def window(suite, org, secretary):
    """A window of the demo branch, once evaluation-service has heard of it (and so of the branch) from the directory."""
    made = org.post("/api/directory/windows", {
        "name": f"学生事务服务窗口 {uuid.uuid4().hex[:4]}", "location": "行政楼一楼", "unit_id": TEACHERS,
        "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("dangyuan"))],
        "standards": {"items": ["学籍证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}})
    assert made.status == 201, made.json
    wait_for(lambda: any(w["window_id"] == made.json["id"] for w in
                         secretary.get(f"/api/ratings/windows?unit_id={TEACHERS}&limit=100").json.get("items", [])),
             timeout=60, message="evaluation-service to know the window and its branch")
    return made.json


def _stored(suite, note_id: str, case_id: str | None) -> tuple[dict, dict | None]:
    """The note and its follow-up case as evaluation-service keeps them, every column."""
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            note = conn.execute(sa.text("SELECT * FROM suggestions WHERE id = :id"), {"id": note_id}).mappings().one()
            case = (conn.execute(sa.text("SELECT * FROM followup_cases WHERE id = :id"), {"id": case_id}).mappings().one()
                    if case_id else None)
    finally:
        engine.dispose()
    return dict(note), dict(case) if case else None


def _qr_modules(link: str) -> list[list[bool]]:
    """The QR code's modules for `link` as the qrcode package makes them (error correction M, as QrCard draws it)."""
    script = ("const q = require('qrcode').create(process.argv[1], { errorCorrectionLevel: 'M' });"
              "process.stdout.write(JSON.stringify({ size: q.modules.size, data: Array.from(q.modules.data) }));")
    made = json.loads(subprocess.run(["node", "-e", script, link], cwd=PORTAL, capture_output=True, text=True,
                                     check=True).stdout)
    size = made["size"]
    return [[bool(made["data"][r * size + c]) for c in range(size)] for r in range(size)]


def _drawn_modules(card, size: int, margin: int = 1) -> list[list[bool]]:
    """The modules the card's canvas shows, read at each module's centre (dark or not)."""
    return card.locator("[data-test=qr-canvas]").evaluate(
        """(canvas, [size, margin]) => {
             const scale = canvas.width / (size + 2 * margin);
             const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
             const rows = [];
             for (let r = 0; r < size; r += 1) {
               const row = [];
               for (let c = 0; c < size; c += 1) {
                 const x = Math.floor((margin + c + 0.5) * scale), y = Math.floor((margin + r + 0.5) * scale);
                 row.push(pixels[(y * canvas.width + x) * 4] < 128);
               }
               rows.push(row);
             }
             return rows;
           }""", [size, margin])


def _sent_headers(request) -> dict[str, str]:
    return {name.lower(): value for name, value in request.all_headers().items()}


def test_the_masses_complain_from_a_phone_through_the_qr_code_of_a_branch(suite, browser, org, secretary, window):
    # the branch secretary opens the QR code of their unit's suggestion box
    desk = login(browser, suite, "zhishu", viewport=DESKTOP)
    open_from_menu(desk, "suggestions")
    desk.click("[data-test=suggest-qr]")
    dialog = desk.locator("[data-test=suggest-qr-dialog]")
    card = dialog.locator("[data-test=qr-card]")
    card.wait_for()
    link = f"{suite.gateway}/suggest?unit={TEACHERS}"
    assert card.locator("[data-test=qr-link]").inner_text() == link  # my unit, chosen for me
    assert card.locator(".qr-title").inner_text() == UNIT_NAME
    desk.wait_for_function("() => document.querySelector('[data-test=suggest-qr-dialog] [data-test=qr-canvas]').width > 0")
    expected = _qr_modules(link)
    assert _drawn_modules(card, len(expected)) == expected  # the code a phone scans is that address
    screenshot(desk, "suggestion-box-qr")
    # the card prints alone, and its link copies
    desk.evaluate("window.print = () => { window.__printed = document.body.classList.contains('printing-qr'); }")
    card.locator("[data-test=qr-print]").click()
    desk.wait_for_function("() => window.__printed === true")
    desk.emulate_media(media="print")
    assert desk.locator(".qr-print-sheet").is_visible() and not desk.locator("#app").is_visible()
    assert desk.locator(".qr-print-sheet .qr-link").inner_text() == link
    desk.emulate_media(media="screen")
    desk.evaluate("window.dispatchEvent(new Event('afterprint'))")
    card.locator("[data-test=qr-copy]").click()
    assert toast(desk) == "已复制"

    # a phone that nobody logged in on opens the address the code carries
    phone_context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="zh-CN",
                                        is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(link)
    phone.locator("[data-test=place-name]").filter(has_text=UNIT_NAME).wait_for()
    assert phone.locator(".page-frame").count() == 0 and "/login" not in phone.url  # no login, no portal around it
    assert "不记录您的姓名" in phone.inner_text("[data-test=privacy]")
    phone.click("[data-test=send]")  # nothing written: said in Chinese, nothing sent
    error = phone.locator("#suggestion-form .el-form-item__error")
    error.wait_for()
    assert error.inner_text() == "请填写意见内容"
    note = f"窗口中午无人值守，办事要等很久 {uuid.uuid4().hex[:6]}"
    phone.fill("textarea[name=body]", note)
    phone.get_by_text("这是投诉（需要跟进处理）").click()  # the switch's own label turns it on
    expect(phone.locator("[data-test=is-complaint] input[role=switch]")).to_have_attribute("aria-checked", "true")
    expect(phone.locator(".complaint-hint")).to_be_visible()
    screenshot(phone, "suggestion-box-phone")
    with phone.expect_response(lambda r: r.url.endswith("/api/feedback/suggestions") and r.request.method == "POST") as sent:
        phone.click("[data-test=send]")
    assert sent.value.status == 201
    headers = _sent_headers(sent.value.request)
    assert "authorization" not in headers and "idempotency-key" not in headers
    receipt = sent.value.json()
    assert receipt["case_id"]  # a complaint opens a follow-up case
    thanks = phone.locator("[data-test=thanks]")
    thanks.wait_for()
    assert "感谢您的意见" in thanks.inner_text()
    assert phone.inner_text("[data-test=receipt]") == f"回执号：{receipt['id'].replace('-', '')[:8].upper()}"
    screenshot(phone, "suggestion-box-phone-thanks")
    phone_context.close()

    # the secretary finds the note in 意见箱, marked a complaint, and the case it opened
    desk.keyboard.press("Escape")
    desk.reload()
    desk.wait_for_selector(".page-frame[data-page=suggestions]")
    settle(desk)
    row = desk.locator("[data-test=suggestions] .el-table__body tr", has=desk.locator(f"[data-test=note-body]:text-is('{note}')"))
    row.wait_for()
    assert row.locator("[data-test=note-state]").inner_text() == "待处理"
    assert "投诉" in row.inner_text()
    case = secretary.get(f"/api/feedback/cases/{receipt['case_id']}")
    assert case.status == 200, case.json
    assert (case.json["source"], case.json["unit_id"], case.json["state"]) == ("suggestion", TEACHERS, "open")

    # what is stored: the note and its case, and no one who wrote it
    stored, followup = _stored(suite, receipt["id"], receipt["case_id"])
    assert stored["body"] == note and stored["is_complaint"] is True and stored["handled_by"] is None
    people = org.get("/api/directory/persons?limit=500").json["items"]
    writers = {p["id"] for p in people} | {p["username"] for p in people}
    assert [k for k, v in stored.items() if v is not None and str(v) in writers] == []
    assert str(followup["suggestion_id"]) == receipt["id"]
    assert str(followup["responsible_id"]) == str(_id("zhishu"))  # who follows it up: the branch secretary
    desk.context.close()


def test_a_note_sent_from_a_logged_in_browser_goes_as_no_one(suite, browser, org, window):
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD).get("/api/auth/me").json
    page = login(browser, suite, "dangyuan", viewport=PHONE, path="/pledges/mine")
    page.goto(f"{suite.gateway}/suggest?window={window['id']}")  # the same tab: the member's session is still here
    page.locator("[data-test=place-name]").filter(has_text=window["name"]).wait_for()
    assert page.evaluate("sessionStorage.getItem('pacesetter.session')") is not None
    note = f"办事指南没有英文版 {uuid.uuid4().hex[:6]}"
    page.fill("textarea[name=body]", note)
    page.click("[data-test=is-complaint]")
    with page.expect_response(lambda r: r.url.endswith("/api/feedback/suggestions") and r.request.method == "POST") as sent:
        page.click("[data-test=send]")
    assert sent.value.status == 201
    headers = _sent_headers(sent.value.request)
    assert "authorization" not in headers and "idempotency-key" not in headers
    page.locator("[data-test=thanks]").wait_for()
    # what the page sent makes no one to the gateway: the same headers on a person's address are refused
    replay = {k: v for k, v in headers.items() if k in ("accept", "accept-language")}
    assert page.evaluate("(headers) => fetch('/api/auth/me', { headers }).then((r) => r.status)", replay) == 401
    receipt = sent.value.json()
    stored, followup = _stored(suite, receipt["id"], receipt["case_id"])
    ties = (member["id"], member["username"], member["name"])
    found = [(table, column) for table, row in (("suggestions", stored), ("followup_cases", followup))
             for column, value in row.items() if value is not None and any(tie in str(value) for tie in ties)]
    assert found == []
    assert str(stored["window_id"]) == window["id"] and str(followup["window_id"]) == window["id"]
    # and the member is still logged in: the portal opens without asking
    go(page, suite, "/pledges/mine", "my-pledges")
    assert "/login" not in page.url
    page.context.close()


def test_a_torn_link_and_an_unknown_place_say_so_in_either_language(suite, browser):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{suite.gateway}/suggest")
    assert page.locator("[data-test=invalid-link]").inner_text().startswith("二维码链接不完整")
    page.goto(f"{suite.gateway}/suggest?unit={uuid.uuid4()}")
    page.locator("[data-test=unknown-place]").wait_for()
    assert page.locator("#suggestion-form").count() == 0
    page.click("[data-test=lang]")  # the language switch: the same page in English
    assert page.locator("[data-test=unknown-place]").inner_text().startswith("No such window or unit")
    page.goto(f"{suite.gateway}/suggest?unit={TEACHERS}")
    page.locator("[data-test=place-name]").filter(has_text=UNIT_NAME).wait_for()
    page.click("[data-test=send]")
    error = page.locator("#suggestion-form .el-form-item__error")
    error.wait_for()
    assert error.inner_text() == "Please write your note"
    assert page.evaluate("document.title") == "Suggestion box · Pacesetter · Create excellence"
    screenshot(page, "suggestion-box-phone-en")
    context.close()
