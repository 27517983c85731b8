"""The printed forms in the portal (issue 21): 组织部 lists the forms' templates (表单模板), uploads a version — one
with a field its form does not have is refused with the field named beside the upload — previews it, activates it
and goes back to the default; a member prints a pledge letter from the pledge's page, named in Chinese."""
from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import go, login, open_from_menu, settle, toast
from .test_directory import choose_unit

pytestmark = pytest.mark.e2e

KIND = "rectification-plan"  # the API tests change the pledge letter's template; this test keeps to its own form


def _template(suite, extra: str) -> bytes:
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    document = Document(io.BytesIO(org.get(f"/api/forms/templates/{KIND}/versions/0/file").body))
    document.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _choose(page, name: str, content: bytes) -> None:
    page.set_input_files("#template-upload input[type=file]", files=[{
        "name": name, "buffer": content,
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])


def _in_use(page) -> str:
    return page.locator(f"#form-kinds tr:has(.kind-name[data-kind='{KIND}']) .in-use").inner_text()


def test_the_organisation_department_uploads_previews_activates_and_reverts_a_template(suite, browser):
    page = login(browser, suite, "zuzhibu")
    open_from_menu(page, "form-templates")
    names = page.locator("#form-kinds .kind-name").all_inner_texts()
    assert names == ["承诺书", "承诺桌牌", "承诺名片", "党员评议表", "定级申报表", "分类定级结果", "整改方案"]
    assert _in_use(page) == "系统默认模板"
    page.locator(f".open-versions[data-kind='{KIND}']").click()
    page.locator("#template-versions").wait_for()
    assert "problems" in page.locator("#template-fields").inner_text()

    _choose(page, "bad.docx", _template(suite, "{{ budget_total }}"))
    refused = page.locator("#template-refused")
    refused.wait_for()
    beside = page.locator("#template-upload [data-field=file] .el-form-item__error").inner_text()
    assert "budget_total" in beside and "整改方案" in beside
    assert "budget_total" in refused.inner_text()
    screenshot(page, "form-templates-refused")

    marker = f"本校整改方案 {uuid.uuid4().hex[:6]}"
    _choose(page, "ours.docx", _template(suite, marker + " {{ branch_name }}"))
    assert "预览无误后请启用" in toast(page, "已上传")
    page.locator("#template-refused").wait_for(state="detached")
    newest = page.locator("#template-versions .version:not([data-version='0'])").first
    newest.wait_for()
    version = newest.get_attribute("data-version")
    assert newest.inner_text() == f"版本 {version}"
    assert page.locator("#template-versions .version").last.inner_text() == "系统默认模板"

    page.locator(f"#template-versions .preview[data-version='{version}']").click()
    image = page.locator("#template-preview")
    image.wait_for(timeout=60_000)
    assert image.get_attribute("src").startswith("data:image/png")
    page.wait_for_function("() => { const i = document.querySelector('#template-preview'); "
                           "return i && i.complete && i.naturalWidth > 300; }")
    screenshot(page, "form-templates-preview")
    page.locator(".el-dialog__headerbtn").click()

    page.locator(f"#template-versions .activate[data-version='{version}']").click()
    page.locator(".el-message-box__btns .el-button--primary").click()
    assert toast(page, "改用") == f"整改方案已改用版本 {version}"
    page.locator(f"#template-versions tr:has(.version[data-version='{version}']) .active-mark").wait_for()
    page.locator(".el-drawer__close-btn").click()
    settle(page)
    assert _in_use(page) == f"版本 {version}"
    screenshot(page, "form-templates")

    page.locator(f".open-versions[data-kind='{KIND}']").click()
    page.locator("#template-versions .activate[data-version='0']").click()
    page.locator(".el-message-box__btns .el-button--primary").click()
    assert toast(page, "系统默认模板") == "整改方案已改用系统默认模板"
    page.locator(".el-drawer__close-btn").click()
    settle(page)
    assert _in_use(page) == "系统默认模板"
    page.context.close()

    english = login(browser, suite, "zuzhibu", locale="en", path="/directory/forms")
    assert english.locator("#form-kinds .kind-name").all_inner_texts()[0] == "Pledge letter"
    assert "Default template" in english.locator("#form-kinds").inner_text()
    english.context.close()


def test_a_member_prints_the_pledge_letter_from_the_pledge(suite, browser):
    member = Api(suite.gateway).login("liuwei", DEMO_PASSWORD)
    made = member.post("/api/pledges", {"kind": "instant", "trigger": "temporary_task", "title": "带头参加迎新服务",
                                        "areas": ["serving_masses"], "due_date": f"{date.today().year + 1}-03-31"})
    assert made.status == 201, made.json
    page = login(browser, suite, "liuwei")
    go(page, suite, f"/pledges/{made.json['id']}", "pledge")
    page.locator(".form-download-button[data-kind='pledge-letter']").click()
    with page.expect_download(timeout=60_000) as download:
        page.locator(".el-dropdown-menu__item[data-kind='pledge-letter'][data-format='pdf']").click()
    assert download.value.suggested_filename == "承诺书-刘伟.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    screenshot(page, "pledge-print-button")
    page.context.close()


def test_a_units_yearly_archive_is_made_with_its_progress_shown_and_downloaded(suite, browser):
    page = login(browser, suite, "zuzhibu")
    open_from_menu(page, "year-archives")
    choose_unit(page, page.locator("#archive-form [data-field=unit_id]"), str(_id("br-affairs")), "教务处党支部")
    page.locator("[data-test=request-archive]").click()
    assert toast(page, "归档") == "已开始生成归档，完成后可在下方下载"
    row = page.locator("#archives tr", has=page.locator(".archive-unit", has_text="教务处党支部")).first
    row.locator(".archive-progress").wait_for()
    screenshot(page, "year-archives-progress")
    row.locator(".archive-progress[data-state=ready]").wait_for(timeout=300_000)  # the page polls while it is made
    assert "已完成" in row.inner_text()
    with page.expect_download(timeout=60_000) as download:
        row.locator(".download").click()
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year  # the page's year is Beijing's
    assert download.value.suggested_filename == f"教务处党支部-{year}年度归档.zip"
    with zipfile.ZipFile(download.value.path()) as zipped:
        assert "00-目录.csv" in zipped.namelist()
    screenshot(page, "year-archives")
    page.context.close()


def test_the_windows_page_prints_each_members_desk_plate_and_name_cards(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    name = f"桌牌测试窗口 {uuid.uuid4().hex[:4]}"
    window = org.post("/api/directory/windows", {"name": name, "kind": "vanguard_post", "unit_id": str(_id("br-teachers")),
                                                 "on_duty_ids": [str(_id("liuwei"))]}).json
    wait_for(lambda: org.get(f"/api/ratings/windows/{window['id']}/link").status == 200, timeout=30,
             message="evaluation-service to know the window (its QR code is on the card)")
    page = login(browser, suite, "zuzhibu", path="/directory/windows")
    page.locator(f"#windows-table .plates[data-id='{window['id']}']").click()
    dialog = page.locator("#window-plates")
    row = dialog.locator(f".plate-row[data-person='{_id('liuwei')}']")
    row.wait_for()
    assert "刘伟" in row.inner_text()
    page.wait_for_function("() => document.getAnimations().length === 0")  # the dialog has faded in
    screenshot(page, "window-plates")
    row.locator(".form-download-button[data-kind='name-card']").click()
    with page.expect_download(timeout=90_000) as download:
        page.locator(".el-dropdown-menu__item[data-kind='name-card'][data-format='pdf']:visible").click()
    assert download.value.suggested_filename == "承诺名片-刘伟.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    page.context.close()
