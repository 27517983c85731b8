"""The roster import (人员 → 名册导入): the file goes as multipart with the session as every other call uses it —
an access token refused on the way is refreshed and the same upload sent once more, under the same
Idempotency-Key — the bad rows are listed with their line and reason, and the service's refusal shows beside the
file field. Dry runs only: nothing here changes what other tests use."""
from __future__ import annotations

import json
import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD
from tests.support.http import Api

from .conftest import screenshot
from .portal import login

pytestmark = pytest.mark.e2e

IMPORTS = "/api/directory/imports"


def choose(page, name: str, content: bytes) -> None:
    page.set_input_files("#roster-import input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def test_an_upload_refreshes_a_refused_token_and_shows_the_error_beside_the_field(suite, browser):
    page = login(browser, suite, "zuzhibu", path="/directory/persons")
    page.click("[data-test=import]")
    page.locator("#roster-import").wait_for()
    sent = []

    def refuse_the_first(route):
        sent.append((route.request.headers.get("authorization"), route.request.headers.get("idempotency-key")))
        if len(sent) == 1:  # as the gateway answers an access token that has just expired
            route.fulfill(status=401, content_type="application/json",
                          body=json.dumps({"error": {"code": "unauthorized", "message": "token expired", "details": {}}}))
        else:
            route.continue_()

    page.route(lambda url: IMPORTS in url, refuse_the_first)
    choose(page, "roster.csv", "姓名,用户名,初始密码,所在支部,政治面貌,角色\n"
                               "钱少少,qianshaoshao,pacesetter2026,不存在的党支部,正式党员,党员\n".encode())
    page.click("[data-test=dry-run]")
    page.locator("#import-report tr", has=page.locator("[data-line='2']")).filter(has_text="不存在的党支部").wait_for()
    assert len(sent) == 2
    (first_token, first_key), (second_token, second_key) = sent
    assert first_token != second_token  # sent again with the refreshed token …
    assert first_key == second_key and uuid.UUID(first_key)  # … as the same action
    assert "/login" not in page.url and page.locator(".page-frame[data-page=persons]").is_visible()  # still logged in
    assert page.locator("#roster-apply").is_disabled()  # a file with problems is not imported
    screenshot(page, "roster-import-problems")

    # the gateway refuses an empty file: 422, {"file": [...]}, in the page's language, beside the file field
    expected = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD).request(
        "POST", f"{IMPORTS}?kind=persons&dry_run=true", headers={"Content-Type": "text/csv"}).json["error"]
    choose(page, "empty.csv", b"")
    page.click("[data-test=dry-run]")
    error = page.locator("#roster-import [data-field=file] .el-form-item__error")
    error.wait_for()
    assert error.inner_text() == "；".join(expected["details"]["file"])
    assert page.locator(".el-message--error").filter(has_text=expected["message"]).count() == 1
    assert page.locator("#import-report").inner_text() == ""  # no report of a file that was refused
    page.context.close()
