"""The organisation department's forms say what is wrong next to the field that is wrong, and keep
a sum of weights from being sent until it adds up to 100 (nothing here changes what other tests use)."""
from __future__ import annotations

import pytest

from gateway.demo import DEMO_PASSWORD
from tests.support.http import Api

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def _login(page, suite) -> None:
    page.goto(f"{suite.gateway}/")
    page.fill("input[name=username]", "zuzhibu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login button")
    page.wait_for_selector("#nav-list a", state="attached")


def _error_beside(page, form: str, name: str) -> str:
    """The message the form shows for one field, found through the field's aria-describedby."""
    field = page.locator(f"{form} [name={name}]")
    page.wait_for_function(f"document.querySelector('{form} [name={name}]').getAttribute('aria-invalid') === 'true'")
    return page.inner_text(f"#{field.get_attribute('aria-describedby')}")


def test_default_weights_wait_for_a_sum_of_100_and_are_saved(suite, page):
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-evaluations")
    form = page.locator("form.weights-form[data-kind=window]")
    form.wait_for()
    first = form.locator("input").first
    original = first.input_value()
    first.fill(str(float(original) + 10))
    assert form.locator("button[type=submit]").is_disabled()
    assert "合计 110" in form.locator("output").inner_text()
    first.fill(original)  # back to what it was: other tests rate windows with these weights
    assert form.locator("button[type=submit]").is_enabled()
    form.locator("button[type=submit]").click()
    form.locator("[role=status]:has-text('已保存')").wait_for()
    scale = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD).get("/api/evaluations/scale").json
    window = next(k for k in scale["target_kinds"] if k["target_kind"] == "window")
    assert sum(w["weight"] for w in window["weights"]) == 100


def test_bulk_rounds_and_the_cycle_form_show_the_services_messages_beside_the_fields(suite, page):
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-evaluations")
    page.wait_for_selector("#bulk-rounds")
    page.fill("#bulk-rounds input[name=deadline]", "2020-01-01T10:00")
    page.click("#bulk-rounds button[type=submit]")
    assert _error_beside(page, "#bulk-rounds", "deadline")
    screenshot(page, "org-evaluations-error")

    page.goto(f"{suite.gateway}/#/org-grading")
    page.wait_for_selector("#open-cycle")
    page.fill("#open-cycle input[name=year]", "2099")
    page.fill("#open-cycle input[name=advanced_cap_percent]", "150")
    page.click("#open-cycle button[type=submit]")
    assert "0 to 100" in _error_beside(page, "#open-cycle", "advanced_cap_percent")
    assert "先进" in page.inner_text("#open-cycle .form-error")
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    assert all(c["year"] != 2099 for c in org.get("/api/grading/cycles?limit=50").json["items"])


def test_a_tag_set_without_complaints_is_refused_beside_its_box(suite, page):
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-kiosks")
    page.wait_for_selector("#tag-set textarea[name=complaint]")
    version = page.inner_text("#tag-version")
    page.fill("#tag-set textarea[name=complaint]", "   ")
    page.click("#tag-set button[type=submit]")
    assert "non-empty" in _error_beside(page, "#tag-set", "complaint")
    assert page.inner_text("#tag-version") == version  # nothing published
    screenshot(page, "org-kiosks-tags-error")
