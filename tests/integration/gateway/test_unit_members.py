"""A branch's secretaries see its members and exempt them from pledging (年老体弱); a person sets their own e-mail."""
from __future__ import annotations

from .conftest import DEMO, bearer


def test_the_branch_secretary_sees_the_members_and_exempts_one(gateway, login):
    secretary = bearer(login("zhishu"))
    members = gateway.client.get(f"/api/directory/units/{DEMO('br-teachers')}/members?limit=100", headers=secretary)
    assert members.status_code == 200
    by_name = {m["name"]: m for m in members.json["items"]}
    assert by_name["刘老（年老体弱，免于承诺）"]["exemptions"] == [{"year": 2026, "reason": "年老体弱"}]
    assert "email" not in by_name["陈党员"] and "roles" not in by_name["陈党员"]

    exempted = gateway.client.put(f"/api/directory/persons/{DEMO('liuwei')}/exemptions", headers=secretary,
                                  json={"exemptions": [{"year": 2026, "reason": "长期病休"}]})
    assert exempted.status_code == 200
    assert exempted.json["exemptions"] == [{"year": 2026, "reason": "长期病休"}]
    bad = gateway.client.put(f"/api/directory/persons/{DEMO('liuwei')}/exemptions", headers=secretary,
                             json={"exemptions": [{"year": 2026, "reason": ""}]})
    assert bad.status_code == 422 and "exemptions" in bad.json["error"]["details"]


def test_other_branches_and_members_are_refused(gateway, login):
    other_secretary, member = bearer(login("sunli")), bearer(login("dangyuan"))
    teachers = DEMO("br-teachers")
    assert gateway.client.get(f"/api/directory/units/{teachers}/members", headers=other_secretary).status_code == 403
    assert gateway.client.get(f"/api/directory/units/{teachers}/members", headers=member).status_code == 403
    refused = gateway.client.put(f"/api/directory/persons/{DEMO('liuwei')}/exemptions", headers=member,
                                 json={"exemptions": [{"year": 2026, "reason": "自己豁免"}]})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    # the general branch above sees it
    above = gateway.client.get(f"/api/directory/units/{teachers}/members", headers=bearer(login("zongzhi")))
    assert above.status_code == 200 and above.json["total"] >= 5


def test_a_person_sets_their_own_email(gateway, login):
    member = bearer(login("dangyuan"))
    changed = gateway.client.patch("/api/auth/me", headers=member, json={"email": "chen@example.edu.cn"})
    assert changed.status_code == 200 and changed.json["email"] == "chen@example.edu.cn"
    assert gateway.client.get("/api/auth/me", headers=member).json["email"] == "chen@example.edu.cn"
    bad = gateway.client.patch("/api/auth/me", headers=member, json={"email": "not-an-address"})
    assert bad.status_code == 422 and "email" in bad.json["error"]["details"]
    # nothing else about oneself changes this way
    assert gateway.client.patch("/api/auth/me", headers=member, json={"roles": []}).status_code == 422


def test_the_members_list_finds_by_name_and_leaves_the_masses_out(gateway, login):
    org, secretary = bearer(login("zuzhibu")), bearer(login("zhishu"))
    teachers = str(DEMO("br-teachers"))
    masses = gateway.client.post("/api/directory/persons", headers=org, json={
        "name": "群众代表周某", "unit_id": teachers, "category": "masses", "member_status": "none"})
    assert masses.status_code == 201, masses.json
    path = f"/api/directory/units/{teachers}/members"

    everyone = gateway.client.get(f"{path}?limit=500", headers=secretary).json
    party = gateway.client.get(f"{path}?limit=500&category=member,leader", headers=secretary).json
    assert "群众代表周某" in {m["name"] for m in everyone["items"]}
    assert "群众代表周某" not in {m["name"] for m in party["items"]}
    assert party["total"] == everyone["total"] - 1 == len(party["items"])

    found = gateway.client.get(f"{path}?q=刘", headers=secretary).json
    assert found["total"] == len(found["items"]) >= 2
    assert all("刘" in m["name"] for m in found["items"])
    bad = gateway.client.get(f"{path}?category=nobody", headers=secretary)
    assert bad.status_code == 422 and "category" in bad.json["error"]["details"]
