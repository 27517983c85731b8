"""组织与人员 (the organisation department's directory pages): units, people with their roles and service windows
created and edited by hand in drawers — the browser's rules first, in the user's language, then the service's
messages beside the field concerned, a confirm before someone is deactivated — and the people found by unit
(with the units below) and role with the true count of all of them. Nothing here changes what other tests use:
every unit, person and window is the test's own."""
from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api

from .conftest import screenshot
from .portal import go, login, settle

pytestmark = pytest.mark.e2e


def choose_unit(page, field, unit_id: str, name: str) -> None:
    """Choose a unit in a UnitTreeSelect the way a person does: open it, type part of the name, click the unit."""
    field.locator(".el-select__wrapper").click()
    page.keyboard.type(name)
    page.locator(f".unit-tree-popper:visible .unit-node[data-id='{unit_id}']").click()
    page.locator(".unit-tree-popper:visible").first.wait_for(state="hidden")  # chosen, the list closes


def choose_option(page, select, label: str) -> None:
    """Choose an option of an el-select by its exact label."""
    select.locator(".el-select__wrapper").first.click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter(
        has_text=re.compile(f"^{re.escape(label)}$")).click()


def choose_person(page, field, person_id: str, name: str, label: str) -> None:
    """Choose a person in a PersonSelect (its list is named `label`): type part of the name, the directory
    answers, click the person."""
    field.locator(".el-select__wrapper").click()
    page.keyboard.type(name)
    page.get_by_role("listbox", name=label).locator(f".el-select-dropdown__item[data-id='{person_id}']").click()
    page.keyboard.press("Escape")


def field_error(form, name: str) -> str:
    """The message a form shows beside one of its fields (an el-form-item's error)."""
    error = form.locator(f"[data-field={name}] .el-form-item__error")
    try:
        error.wait_for(timeout=15000)
    except Exception:
        screenshot(form.page, f"directory-no-error-{name}")
        raise AssertionError(f"no message beside {name}: toasts {form.page.locator('.el-message').all_inner_texts()}, "
                             f"errors {form.page.locator('.el-form-item__error').all_inner_texts()}") from None
    return error.inner_text()


def toasted(page, text: str) -> None:
    """A toast (ElMessage) saying exactly this shows."""
    try:
        page.locator(".el-message .el-message__content").filter(
            has_text=re.compile(f"^{re.escape(text)}$")).first.wait_for(timeout=15000)
    except Exception:
        screenshot(page, "directory-no-toast")
        raise AssertionError(f"no toast {text!r}: toasts {page.locator('.el-message').all_inner_texts()}, "
                             f"errors {page.locator('.el-form-item__error').all_inner_texts()}") from None


def drawer_closed(page, form_id: str) -> None:
    page.locator(f"#{form_id}").wait_for(state="detached")


def test_units_people_with_roles_and_windows_are_created_and_edited_by_hand(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:4]
    page = login(browser, suite, "zuzhibu", path="/directory/units")

    # a branch under 机关党总支, then renamed and made an administrative department
    page.click("[data-test=new-unit]")
    form = page.locator("#unit-form")
    form.locator("[data-field=name] input").fill(f"图书馆党支部{tag}")
    page.click("[data-test=save]")  # no parent yet: the browser says so before anything is sent
    assert field_error(form, "parent_id") == "请选择上级党总支"
    choose_unit(page, form.locator("[data-field=parent_id]"), str(_id("gb-admin")), "机关党总支")
    page.click("[data-test=save]")
    toasted(page, f"已保存：图书馆党支部{tag}")
    drawer_closed(page, "unit-form")
    page.fill("#units-filter input[name=q]", tag)  # a branch sits two levels down: found by its name
    row = page.locator("#units-table tr", has=page.locator(f".unit-name:text-is('图书馆党支部{tag}')"))
    row.locator("button.edit").click()
    form = page.locator("#unit-form")
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'name'")  # the focus is in the form
    assert page.locator(".el-drawer__title").inner_text() == f"编辑组织：图书馆党支部{tag}"
    assert form.locator("[data-field=kind] .el-select__wrapper.is-disabled").count() == 1  # a unit keeps its kind
    form.locator("[data-field=name] input").fill(f"图书馆直属党支部{tag}")
    form.locator("[data-field=department_kind] label", has_text="机关管理部门").click()
    page.click("[data-test=save]")
    toasted(page, f"已保存：图书馆直属党支部{tag}")
    page.locator(f"#units-table .unit-name:text-is('图书馆直属党支部{tag}')").wait_for()
    unit = next(u for u in org.get("/api/directory/units?limit=500").json["items"] if u["name"] == f"图书馆直属党支部{tag}")
    assert (unit["kind"], unit["parent_id"], unit["department_kind"]) == ("branch", str(_id("gb-admin")), "administrative")

    # a person with two roles on that branch: the browser's rule, then the service's messages beside the fields
    go(page, suite, "/directory/persons", "persons")
    page.click("[data-test=new-person]")
    form = page.locator("#person-form")
    form.locator("[data-field=name] input").fill(f"钱馆员{tag}")
    form.locator("[data-field=username] input").fill("zhishu")  # taken: the service will say so
    form.locator("[data-field=password] input").fill("pacesetter-2026")
    choose_unit(page, form.locator("[data-field=unit_id]"), unit["id"], f"图书馆直属党支部{tag}")
    # the branch chosen is where the member role is held, unless said otherwise
    assert form.locator(".role-row").nth(0).locator(".role-unit .el-select__placeholder").inner_text() == f"图书馆直属党支部{tag}"
    form.locator("button.add-role").click()
    choose_option(page, form.locator(".role-row").nth(1).locator(".role"), "支部书记")
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" and "/api/directory/persons" in r.url else None)
    page.click("[data-test=save]")  # the secretary's role names no branch yet
    assert field_error(form, "roles") == "请为“支部书记”选择所在党支部"
    assert sent == []
    screenshot(page, "directory-person-error")
    choose_unit(page, form.locator(".role-row").nth(1).locator(".role-unit"), unit["id"], f"图书馆直属党支部{tag}")
    expected = org.post("/api/directory/persons", {"name": "重名检查", "username": "zhishu"}).json["error"]
    page.click("[data-test=save]")
    assert field_error(form, "username") == "；".join(expected["details"]["username"])
    assert len(sent) == 1
    form.locator("[data-field=username] input").fill(f"qian{tag}")
    page.click("[data-test=save]")
    toasted(page, f"已保存：钱馆员{tag}")
    drawer_closed(page, "person-form")
    page.fill("#persons-filter input[name=q]", f"qian{tag}")
    page.click("#persons-filter button[type=submit]")
    row = page.locator("#persons-table tr", has=page.locator(f".person-name:text-is('钱馆员{tag}')"))
    row.wait_for()
    person = org.get(f"/api/directory/persons?q=qian{tag}").json["items"][0]
    assert sorted((r["role"], r["unit_id"]) for r in person["roles"]) == [("branch_secretary", unit["id"]),
                                                                          ("member", unit["id"])]
    row.locator("button.edit").click()
    form = page.locator("#person-form")
    assert form.locator("[data-field=name] input").input_value() == f"钱馆员{tag}"
    form.locator(".role-row[data-role=branch_secretary] button.remove-role").click()
    choose_option(page, form.locator("[data-field=member_status]"), "预备党员")
    page.click("[data-test=save]")
    toasted(page, f"已保存：钱馆员{tag}")
    row.locator("td", has_text="预备党员").wait_for()
    person = org.get(f"/api/directory/persons/{person['id']}").json
    assert person["member_status"] == "probationary" and [r["role"] for r in person["roles"]] == ["member"]

    # a window of the branch, with that person responsible and on duty
    go(page, suite, "/directory/windows", "windows")
    page.click("[data-test=new-window]")
    form = page.locator("#window-form")
    form.locator("[data-field=name] input").fill(f"借阅服务窗口{tag}")
    choose_unit(page, form.locator("[data-field=unit_id]"), unit["id"], f"图书馆直属党支部{tag}")
    choose_person(page, form.locator("[data-field=on_duty_ids]"), person["id"], f"钱馆员{tag}", "在岗人员（亮身份）")
    choose_person(page, form.locator("[data-field=responsible_id]"), person["id"], f"钱馆员{tag}", "负责人")
    form.locator("[data-field=standards] textarea").fill("图书借还\n文献传递")
    form.locator("[data-field=time_limit] input").fill("即时办结")
    page.click("[data-test=save]")
    toasted(page, f"已保存：借阅服务窗口{tag}")
    drawer_closed(page, "window-form")
    choose_unit(page, page.locator("#windows-filter"), unit["id"], f"图书馆直属党支部{tag}")
    row = page.locator("#windows-table tr", has=page.locator(f"a.window-name:text-is('借阅服务窗口{tag}')"))
    row.locator("button.edit").click()
    form = page.locator("#window-form")
    form.locator("[data-field=on_duty_ids] .el-tag", has_text=f"钱馆员{tag}").wait_for()  # the duty is shown
    assert form.locator("[data-field=responsible_id] .el-select__placeholder").inner_text() == f"钱馆员{tag}"
    form.locator("[data-field=location] input").fill("图书馆一楼大厅")
    page.click("[data-test=save]")
    row.locator("td", has_text="图书馆一楼大厅").wait_for()
    screenshot(page, "directory-windows-edited")
    window = next(w for w in org.get(f"/api/directory/windows?unit_id={unit['id']}").json["items"])
    assert (window["location"], window["on_duty_ids"], window["responsible_id"]) == (
        "图书馆一楼大厅", [person["id"]], person["id"])
    assert window["standards"]["items"] == ["图书借还", "文献传递"]

    # deactivating someone asks first: cancelled, nothing changes; confirmed, they are inactive
    go(page, suite, "/directory/persons", "persons")
    page.fill("#persons-filter input[name=q]", f"qian{tag}")
    page.click("#persons-filter button[type=submit]")
    row = page.locator("#persons-table tr", has=page.locator(f".person-name:text-is('钱馆员{tag}')"))
    row.locator("button.deactivate").click()
    box = page.locator(".el-message-box")
    assert f"钱馆员{tag}" in box.inner_text()
    box.locator("button", has_text="取消").click()
    box.wait_for(state="hidden")
    assert org.get(f"/api/directory/persons/{person['id']}").json["active"] is True
    row.locator("button.deactivate").click()
    page.locator(".el-message-box button", has_text="确定").click()
    toasted(page, f"已停用：钱馆员{tag}")
    row.locator(".el-tag", has_text="已停用").wait_for()
    assert org.get(f"/api/directory/persons/{person['id']}").json["active"] is False
    page.context.close()


def test_the_people_of_a_unit_with_the_units_below_and_of_a_role_are_counted_in_full(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:4]
    general = org.post("/api/directory/units", {"name": f"统计学院党总支{tag}", "kind": "general_branch",
                                                "parent_id": str(_id("committee"))}).json["id"]
    branch = org.post("/api/directory/units", {"name": f"统计学院教工党支部{tag}", "kind": "branch",
                                               "parent_id": general}).json["id"]
    for i in range(23):  # more than a page of the list
        roles = [{"role": "member", "unit_id": branch}] + (
            [{"role": "branch_secretary", "unit_id": branch}] if i == 0 else [])
        assert org.post("/api/directory/persons", {"name": f"统计{tag}成员{i:02d}", "unit_id": branch,
                                                   "member_status": "full", "roles": roles}).status == 201

    def total(**query) -> int:
        path = "/api/directory/persons?limit=1&" + "&".join(f"{k}={v}" for k, v in query.items())
        return org.get(path).json["total"]

    page = login(browser, suite, "zuzhibu", path="/directory/persons")
    count = page.locator("[data-test=person-count]")
    choose_unit(page, page.locator("#persons-filter .unit-filter"), general, f"统计学院党总支{tag}")
    assert total(unit_id=general, include_below="true") == 23
    page.wait_for_function("() => document.querySelector('[data-test=person-count]').textContent === '共 23 人'")
    settle(page)
    assert page.locator("#persons-table .el-table__body tr").count() == 20  # a page of them …
    assert page.locator(".pager .el-pagination__total").inner_text() == "共 23 条"  # … of all of them
    page.locator(".pager .btn-next").click()
    page.wait_for_function("() => document.querySelectorAll('#persons-table .el-table__body tr').length === 3")

    page.locator("#persons-filter label.el-checkbox").click()  # the general branch itself only
    page.wait_for_function("() => document.querySelector('[data-test=person-count]').textContent === '共 0 人'")
    assert total(unit_id=general) == 0
    page.locator("#persons-filter label.el-checkbox").click()
    page.wait_for_function("() => document.querySelector('[data-test=person-count]').textContent === '共 23 人'")

    choose_option(page, page.locator("#persons-filter [data-test=role-filter]"), "支部书记")
    expected = total(unit_id=general, include_below="true", role="branch_secretary")
    assert expected == 1
    page.wait_for_function(f"() => document.querySelector('[data-test=person-count]').textContent === '共 {expected} 人'")
    assert page.locator("#persons-table .person-name").all_inner_texts() == [f"统计{tag}成员00"]
    assert count.inner_text() == "共 1 人"
    screenshot(page, "directory-persons-filtered")
    page.context.close()


def test_a_branch_secretary_exempts_a_member_from_pledging_and_the_general_branch_sees_it(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    year = date.today().year
    page = login(browser, suite, "zhishu", path="/directory/members")
    assert page.inner_text("[data-test=branch-name]") == "教育学院教工第一党支部"  # a branch secretary keeps theirs
    member = page.locator("#members .el-table__body tr", has_text="赵敏")
    state = member.locator(".state")
    state.wait_for()
    assert state.inner_text() in ("未作年度承诺", "已作年度承诺")
    member.locator("button.exempt").click()
    form = page.locator("#exempt-form")
    assert form.locator("[name=reason]").input_value() == "年老体弱"  # the usual reason, ready to confirm
    form.locator("[name=reason]").fill("")
    page.click(".el-dialog [data-test=save]")
    assert field_error(form, "reason") == "此项为必填项"  # the browser's rule, before anything is sent
    form.locator("[name=reason]").fill("长期病休")
    page.click(".el-dialog [data-test=save]")
    toasted(page, "赵敏 已免于承诺")
    member.locator(".state", has_text="免于承诺（长期病休）").wait_for()
    screenshot(page, "directory-branch-members")
    assert {"year": year, "reason": "长期病休"} in org.get(f"/api/directory/persons/{_id('zhaomin')}").json["exemptions"]

    # the general branch's secretary chooses the branch among theirs and sees the same
    above = login(browser, suite, "zongzhi", path="/directory/members")
    choose_option(above, above.locator("#branch-picker"), "教育学院教工第一党支部")
    above.locator("#members .el-table__body tr", has_text="赵敏").locator(".state", has_text="免于承诺（长期病休）").wait_for()
    above.context.close()

    member.locator("button.unexempt").click()  # and lifted again: the demo member pledges like the others
    toasted(page, "已取消 赵敏 的免于承诺")
    member.locator("button.exempt").wait_for()
    assert all(e["year"] != year for e in org.get(f"/api/directory/persons/{_id('zhaomin')}").json["exemptions"])
    page.context.close()
