"""The organisation department's forms say what is wrong next to the field that is wrong, keep a sum of
weights from being sent until it adds up to 100, and keep the directory by hand (nothing here changes
what other tests use: the directory test adds a unit, a person and a window of its own)."""
from __future__ import annotations

import uuid

import pytest

from gateway.demo import DEMO_PASSWORD, _id
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


def test_units_people_with_roles_and_windows_are_created_and_edited_by_hand(suite, page):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:4]
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-directory")
    unit_form = page.locator("#unit-form")
    unit_form.wait_for()
    unit_form.locator("[name=name]").fill(f"图书馆党支部{tag}")
    unit_form.locator("[name=parent_id]").select_option(str(_id("gb-admin")))
    unit_form.locator("button[type=submit]").click()
    row = page.locator("#units-table tr", has=page.locator(f"th:text-is('图书馆党支部{tag}')"))
    row.locator("button.edit").click()
    assert page.evaluate("document.activeElement.textContent").startswith("编辑组织")
    unit_form = page.locator("#unit-form")
    assert unit_form.locator("[name=kind]").is_disabled()
    unit_form.locator("[name=name]").fill(f"图书馆直属党支部{tag}")
    unit_form.locator("[name=department_kind]").select_option("administrative")
    unit_form.locator("button[type=submit]").click()
    page.locator(f"#units-table th:text-is('图书馆直属党支部{tag}')").wait_for()
    unit = next(u for u in org.get("/api/directory/units?limit=500").json["items"] if u["name"] == f"图书馆直属党支部{tag}")
    assert (unit["kind"], unit["parent_id"], unit["department_kind"]) == ("branch", str(_id("gb-admin")), "administrative")

    person_form = page.locator("#person-form")
    person_form.locator("[name=name]").fill(f"钱馆员{tag}")
    person_form.locator("[name=username]").fill(f"qian{tag}")
    person_form.locator("[name=password]").fill("pacesetter-2026")
    person_form.locator("[name=unit_id]").select_option(unit["id"])
    person_form.locator("button.add-role").click()
    person_form.locator(".role-row").nth(1).locator("[name=role]").select_option("branch_secretary")
    person_form.locator("button[type=submit]").click()  # neither role names its branch yet
    assert "branch" in _error_beside(page, "#person-form", "roles")
    screenshot(page, "org-directory-person-error")
    for i in range(2):
        person_form.locator(".role-row").nth(i).locator("[name=role_unit]").select_option(unit["id"])
    person_form.locator("button[type=submit]").click()
    page.locator(f"#persons-table th:text-is('钱馆员{tag}')").wait_for()
    person = org.get(f"/api/directory/persons?q=qian{tag}").json["items"][0]
    assert sorted((r["role"], r["unit_id"]) for r in person["roles"]) == [("branch_secretary", unit["id"]),
                                                                          ("member", unit["id"])]
    page.locator("#persons-table tr", has=page.locator(f"th:text-is('钱馆员{tag}')")).locator("button.edit").click()
    person_form = page.locator("#person-form")
    assert person_form.locator("[name=name]").input_value() == f"钱馆员{tag}"
    person_form.locator(".role-row:has(option[value=branch_secretary]:checked) button.remove-role").click()
    person_form.locator("[name=member_status]").select_option("probationary")
    person_form.locator("button[type=submit]").click()
    page.locator("#persons-table tr", has=page.locator(f"th:text-is('钱馆员{tag}')")).locator("td:text-is('预备党员')").wait_for()
    person = org.get(f"/api/directory/persons/{person['id']}").json
    assert person["member_status"] == "probationary" and [r["role"] for r in person["roles"]] == ["member"]

    window_form = page.locator("#window-form")
    window_form.locator("[name=name]").fill(f"借阅服务窗口{tag}")
    window_form.locator("[name=unit_id]").select_option(unit["id"])
    window_form.locator(f"input[name=on_duty][value='{person['id']}']").check()
    window_form.locator("[name=responsible_id]").select_option(person["id"])
    window_form.locator("[name=standards]").fill("图书借还\n文献传递")
    window_form.locator("[name=time_limit]").fill("即时办结")
    window_form.locator("button[type=submit]").click()
    row = page.locator("#windows-table tr", has=page.locator(f"a:text-is('借阅服务窗口{tag}')"))
    row.locator("button.edit").click()
    window_form = page.locator("#window-form")
    window_form.locator(f"input[name=on_duty][value='{person['id']}']:checked").wait_for()  # the duty is shown
    window_form.locator("[name=location]").fill("图书馆一楼大厅")
    window_form.locator("button[type=submit]").click()
    page.locator("#windows-table td:text-is('图书馆一楼大厅')").wait_for()
    screenshot(page, "org-directory-edited")
    window = next(w for w in org.get(f"/api/directory/windows?unit_id={unit['id']}").json["items"])
    assert (window["location"], window["on_duty_ids"], window["responsible_id"]) == (
        "图书馆一楼大厅", [person["id"]], person["id"])
    assert window["standards"]["items"] == ["图书借还", "文献传递"]
