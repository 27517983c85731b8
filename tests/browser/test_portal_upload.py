"""ctx.upload: a roster goes as multipart with the session as ctx.api uses it — an access token refused on the
way is refreshed and the same upload sent once more, under the same Idempotency-Key — and the service's error
is shown beside the file field. Dry runs only: nothing here changes what other tests use."""
from __future__ import annotations

import json
import uuid

import pytest

from .test_portal_journeys import login, open_page

pytestmark = pytest.mark.e2e

IMPORTS = "/api/directory/imports"


def choose(page, name: str, content: bytes) -> None:
    page.set_input_files("#roster-import input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def test_an_upload_refreshes_a_refused_token_and_shows_the_error_beside_the_field(suite, browser):
    page = login(browser, suite, "zuzhibu")
    open_page(page, "org-directory")
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
    page.click("#roster-import button[type=submit]")
    page.locator("#import-report tr[data-line='2']", has_text="不存在的党支部").wait_for()
    assert len(sent) == 2
    (first_token, first_key), (second_token, second_key) = sent
    assert first_token != second_token  # sent again with the refreshed token …
    assert first_key == second_key and uuid.UUID(first_key)  # … as the same action
    assert page.locator("#who").is_visible() and page.locator("#login-box").is_hidden()  # still logged in

    choose(page, "empty.csv", b"")  # the gateway: 422, {"file": ["missing"]}
    page.click("#roster-import button[type=submit]")
    field = page.locator("#roster-import input[name=file]")
    page.wait_for_function("document.querySelector('#roster-import input[name=file]').getAttribute('aria-invalid') === 'true'")
    assert "missing" in page.inner_text(f"#{field.get_attribute('aria-describedby')}")
    assert page.locator("#roster-import .form-error").count() == 1
    page.context.close()
