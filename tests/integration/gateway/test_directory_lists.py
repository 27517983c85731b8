"""The directory's lists: people by unit (and every unit below it), role, active and name, windows of a unit
and the units below it, each with a total of everyone that matches, not of the page."""
from __future__ import annotations

from .conftest import DEMO, bearer


def test_people_and_windows_by_unit_and_the_units_below_role_and_state(gateway, login):
    org = bearer(login("zuzhibu"))

    def created(path: str, body: dict) -> str:
        response = gateway.client.post(f"/api/directory/{path}", json=body, headers=org)
        assert response.status_code == 201, response.json
        return response.json["id"]

    general = created("units", {"name": "测试学院党总支", "kind": "general_branch", "parent_id": str(DEMO("committee"))})
    first = created("units", {"name": "测试第一党支部", "kind": "branch", "parent_id": general})
    second = created("units", {"name": "测试第二党支部", "kind": "branch", "parent_id": general})
    group = created("units", {"name": "测试第一党小组", "kind": "group", "parent_id": first})
    people = {
        "测试甲": {"unit_id": first, "roles": [{"role": "member", "unit_id": first}]},
        "测试乙": {"unit_id": first, "group_id": group, "roles": [{"role": "member", "unit_id": first}]},
        "测试丙": {"unit_id": second, "roles": [{"role": "member", "unit_id": second},
                                               {"role": "branch_secretary", "unit_id": second}]},
        "测试丁": {"unit_id": first, "roles": [{"role": "general_branch_secretary", "unit_id": general}]},
        "测试戊": {"unit_id": second, "roles": [{"role": "member", "unit_id": second}]},
    }
    ids = {name: created("persons", {"name": name, "member_status": "full", **body}) for name, body in people.items()}
    assert gateway.client.patch(f"/api/directory/persons/{ids['测试戊']}", json={"active": False},
                                headers=org).status_code == 200

    def persons(**query) -> dict:
        response = gateway.client.get("/api/directory/persons", query_string=query, headers=org)
        assert response.status_code == 200, response.json
        return response.json

    def names(**query) -> set[str]:
        return {p["name"] for p in persons(limit=500, **query)["items"]}

    assert names(unit_id=first) == {"测试丁", "测试乙", "测试甲"}
    assert names(unit_id=group) == {"测试乙"}  # a group's people are those placed in it
    assert names(unit_id=general) == set()
    everyone = persons(unit_id=general, include_below="true", limit=2)
    assert (everyone["total"], len(everyone["items"])) == (5, 2)  # all of them, not the page
    assert names(unit_id=general, include_below="true") == set(people)
    assert names(unit_id=general, include_below="true", role="branch_secretary") == {"测试丙"}
    assert names(unit_id=general, include_below="true", role="branch_secretary,general_branch_secretary") == \
        names(unit_id=general, include_below="true", role=["branch_secretary", "general_branch_secretary"]) == \
        {"测试丁", "测试丙"}
    assert names(unit_id=general, include_below="true", active="false") == {"测试戊"}
    assert persons(unit_id=general, include_below="true", active="true")["total"] == 4
    assert names(unit_id=general, include_below="true", q="乙") == {"测试乙"}
    assert names(unit_id=second, include_below="true", role="member", active="true") == {"测试丙"}
    # every general branch secretary of the directory, wherever they are: the demo's two and the new one
    assert {p["id"] for p in persons(role="general_branch_secretary")["items"]} == {
        ids["测试丁"], str(DEMO("zongzhi")), str(DEMO("jiguan"))}

    window = created("windows", {"name": "测试服务窗口", "unit_id": second})

    def windows(**query) -> dict:
        response = gateway.client.get("/api/directory/windows", query_string=query, headers=org)
        assert response.status_code == 200, response.json
        return response.json

    assert windows(unit_id=general)["total"] == 0  # the unit itself only, as before
    below = windows(unit_id=general, include_below="true")
    assert (below["total"], [w["id"] for w in below["items"]]) == (1, [window])

    for bad in ({"role": "king"}, {"include_below": "maybe"}, {"active": "sometimes"}):
        refused = gateway.client.get("/api/directory/persons", query_string=bad, headers=org)
        assert refused.status_code == 422 and set(bad) & set(refused.json["error"]["details"]), refused.json
    assert gateway.client.get("/api/directory/persons", query_string={"unit_id": general},
                              headers=bearer(login("dangyuan"))).status_code == 403
