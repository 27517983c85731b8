"""修改密码 on the profile page: the rules are shown; what the browser can check it says before sending (the two new
passwords differ), what the gateway refuses (a wrong current password, a weak new one) shows on its field in the
page's language; once changed, a toast says so, this session goes on and the person's other sessions end."""
from __future__ import annotations

import uuid

import pytest

from tests.support.http import Api

from .conftest import screenshot
from .portal import go, settle, toast

pytestmark = pytest.mark.e2e

FIRST, SECOND = "first-lantern-2041", "second-meadow-7310"


def _field_error(form, field: str):
    error = form.locator(f"[data-field={field}] .el-form-item__error")
    error.wait_for()
    return error.inner_text()


def test_changing_ones_password_on_the_profile_page(suite, browser):
    username = f"pw-{uuid.uuid4().hex[:8]}"
    org = Api(suite.gateway).login("zuzhibu", "pacesetter2026")
    created = org.post("/api/directory/persons", {"username": username, "password": FIRST, "name": "改密测试"})
    assert created.status == 201, created.json
    elsewhere = Api(suite.gateway).login(username, FIRST)  # the person's phone, say

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{suite.gateway}/login?redirect=/profile")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", FIRST)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector(".page-frame[data-page=profile]")
    settle(page)
    form = page.locator("#my-password")
    assert "至少 10 个字符" in form.locator("#password-rules").inner_text()

    def fill(current: str, new: str, confirm: str):
        form.locator("input[name=current_password]").fill(current)
        form.locator("input[name=new_password]").fill(new)
        form.locator("input[name=confirm]").fill(confirm)
        form.locator("[data-test=change-password]").click()

    fill(FIRST, SECOND, SECOND + "x")  # checked in the browser: nothing is sent
    assert _field_error(form, "confirm") == "两次输入的新密码不一致"
    fill("not-my-password", SECOND, SECOND)
    assert _field_error(form, "current_password") == "与当前密码不符"
    fill(FIRST, "1234567890", "1234567890")
    assert "是常用密码" in _field_error(form, "new_password")
    screenshot(page, "profile-password-refused")
    assert elsewhere.get("/api/auth/me").status == 200  # nothing has changed yet

    fill(FIRST, SECOND, SECOND)
    assert "密码已修改" in toast(page, "密码已修改")
    assert form.locator("input[name=current_password]").input_value() == ""  # the form is emptied
    assert elsewhere.get("/api/auth/me").status == 401  # the other session has ended …
    go(page, suite, "/profile", "profile")  # … this one goes on
    assert page.locator("[data-test=my-name]").inner_text() == "改密测试"
    assert Api(suite.gateway).post("/api/auth/login", {"username": username, "password": FIRST}).status == 401
    assert Api(suite.gateway).login(username, SECOND).get("/api/auth/me").status == 200
    context.close()
