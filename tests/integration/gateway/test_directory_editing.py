"""The organisation department keeps the directory by hand: units moved, people with their roles found and
edited, windows created — each create made once per Idempotency-Key, each change a directory.* event."""
from __future__ import annotations

import uuid

from .conftest import DEMO, bearer
from .test_directory import _events


def _with_key(headers: dict, key: str) -> dict:
    return {**headers, "Idempotency-Key": key}


def test_a_create_sent_twice_with_one_key_is_made_once_and_a_key_reused_for_another_body_is_refused(gateway, login):
    org = bearer(login("zuzhibu"))
    key = str(uuid.uuid4())
    unit = {"name": "图书馆党支部", "kind": "branch", "parent_id": str(DEMO("gb-admin"))}
    first = gateway.client.post("/api/directory/units", json=unit, headers=_with_key(org, key))
    again = gateway.client.post("/api/directory/units", json=unit, headers=_with_key(org, key))
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert [e["name"] for e in _events(gateway, "directory.unit_upserted")].count("图书馆党支部") == 1
    other = gateway.client.post("/api/directory/units", json={**unit, "name": "档案馆党支部"}, headers=_with_key(org, key))
    assert other.status_code == 422 and other.json["error"]["code"] == "idempotency_key_reused"

    person = {"name": "钱图书", "username": f"qian-{key[:6]}", "password": "pacesetter-2026",
              "unit_id": first.json["id"], "member_status": "full",
              "roles": [{"role": "member", "unit_id": first.json["id"]}]}
    made = [gateway.client.post("/api/directory/persons", json=person, headers=_with_key(org, key + "-p"))
            for _ in range(2)]
    assert [m.status_code for m in made] == [201, 201] and made[0].json["id"] == made[1].json["id"]
    window = {"name": "借阅服务窗口", "unit_id": first.json["id"], "on_duty_ids": [made[0].json["id"]]}
    windows = [gateway.client.post("/api/directory/windows", json=window, headers=_with_key(org, key + "-w"))
               for _ in range(2)]
    assert windows[0].json["id"] == windows[1].json["id"]
    listed = gateway.client.get(f"/api/directory/windows?unit_id={first.json['id']}", headers=org).json
    assert listed["total"] == 1
    # Without a key, each create is its own: the form's second click is the browser's to prevent.
    assert gateway.client.post("/api/directory/windows", json=window, headers=org).json["id"] != windows[0].json["id"]


def test_a_branch_moves_to_another_general_branch_but_never_out_of_the_tree(gateway, login):
    org = bearer(login("zuzhibu"))
    branch = str(DEMO("br-affairs"))
    moved = gateway.client.patch(f"/api/directory/units/{branch}", json={"parent_id": str(DEMO("gb-teaching"))},
                                 headers=org)
    assert moved.status_code == 200 and moved.json["parent_id"] == str(DEMO("gb-teaching"))
    last = _events(gateway, "directory.unit_upserted")[-1]
    assert (last["unit_id"], last["parent_id"]) == (branch, str(DEMO("gb-teaching")))
    for parent, reason in ((str(DEMO("committee")), "must be a general_branch"), (None, "must be a general_branch"),
                           (str(uuid.uuid4()), "no such unit")):
        refused = gateway.client.patch(f"/api/directory/units/{branch}", json={"parent_id": parent},
                                       headers=org | {"Accept-Language": "en"})
        assert refused.status_code == 422 and refused.json["error"]["details"]["parent_id"] == [reason], refused.json
    unknown = gateway.client.patch(f"/api/directory/units/{branch}", json={"secretary_id": str(uuid.uuid4())},
                                   headers=org)
    assert unknown.status_code == 422 and "secretary_id" in unknown.json["error"]["details"]
    member = bearer(login("dangyuan"))
    assert gateway.client.patch(f"/api/directory/units/{branch}", json={"name": "x"}, headers=member).status_code == 403


def test_people_are_found_by_part_of_a_name_or_user_name_and_their_roles_edited(gateway, login):
    org = bearer(login("zuzhibu"))
    found = gateway.client.get("/api/directory/persons?q=zhis", headers=org).json
    assert [p["username"] for p in found["items"]] == ["zhishu"]
    by_name = gateway.client.get("/api/directory/persons?q=党员", headers=org).json
    assert by_name["total"] >= 1 and all("党员" in p["name"] for p in by_name["items"])
    assert gateway.client.get("/api/directory/persons?q=%25", headers=org).json["total"] == 0  # % is a letter
    assert gateway.client.get("/api/directory/persons?q=", headers=org).status_code == 422

    person_id = DEMO("dangyuan")
    roles = [{"role": "member", "unit_id": str(DEMO("br-teachers"))},
             {"role": "branch_secretary", "unit_id": str(DEMO("br-teachers"))}]
    edited = gateway.client.patch(f"/api/directory/persons/{person_id}", json={"roles": roles}, headers=org)
    assert edited.status_code == 200
    assert sorted(r["role"] for r in edited.json["roles"]) == ["branch_secretary", "member"]
    published = [e for e in _events(gateway, "directory.person_upserted") if e["person_id"] == str(person_id)][-1]
    assert sorted(r["role"] for r in published["roles"]) == ["branch_secretary", "member"]
    misplaced = gateway.client.patch(f"/api/directory/persons/{person_id}", headers=org, json={
        "roles": [{"role": "general_branch_secretary", "unit_id": str(DEMO("br-teachers"))}]})
    assert misplaced.status_code == 422 and "roles" in misplaced.json["error"]["details"]
