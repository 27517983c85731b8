"""The directory: scope, windows, kiosk devices, events."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.db import outbox_table

from .conftest import DEMO, bearer


def _events(gateway, event_type: str) -> list[dict]:
    with gateway.engine.connect() as conn:
        return [e["data"] for e in conn.execute(sa.select(outbox_table.c.envelope)
                                                 .where(outbox_table.c.event_type == event_type)
                                                 .order_by(outbox_table.c.id)).scalars()]


def test_only_the_organisation_department_changes_the_directory(gateway, login):
    member, org = bearer(login("dangyuan")), bearer(login("zuzhibu"))
    unit = {"name": "新党支部", "kind": "branch", "parent_id": str(DEMO("gb-teaching"))}
    assert gateway.client.post("/api/directory/units", json=unit, headers=member).status_code == 403
    assert gateway.client.get("/api/directory/persons", headers=member).status_code == 403
    created = gateway.client.post("/api/directory/units", json=unit, headers=org)
    assert created.status_code == 201
    assert _events(gateway, "directory.unit_upserted")[-1]["name"] == "新党支部"
    wrong_place = {"name": "悬空党小组", "kind": "group", "parent_id": str(DEMO("committee"))}
    response = gateway.client.post("/api/directory/units", json=wrong_place, headers=org)
    assert response.status_code == 422 and "parent_id" in response.json["error"]["details"]


def test_a_person_change_is_published_with_a_higher_revision(gateway, login):
    org = bearer(login("zuzhibu"))
    person_id = DEMO("dangyuan")
    before = [e for e in _events(gateway, "directory.person_upserted") if e["person_id"] == str(person_id)]
    response = gateway.client.patch(f"/api/directory/persons/{person_id}", headers=org,
                                    json={"exemptions": [{"year": 2026, "reason": "病休"}]})
    assert response.status_code == 200
    after = [e for e in _events(gateway, "directory.person_upserted") if e["person_id"] == str(person_id)]
    assert after[-1]["revision"] == before[-1]["revision"] + 1
    assert after[-1]["exemptions"] == [{"year": 2026, "reason": "病休"}]


def test_a_window_publishes_its_standards_and_shows_them_publicly(gateway, login):
    secretary = bearer(login("zhishu"))
    window = {"name": "党员服务窗口", "location": "行政楼一楼", "unit_id": str(DEMO("br-teachers")),
              "responsible_id": str(DEMO("zhishu")), "on_duty_ids": [str(DEMO("dangyuan"))],
              "standards": {"items": ["学籍证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}}
    created = gateway.client.post("/api/directory/windows", json=window, headers=secretary)
    assert created.status_code == 201, created.json
    # A secretary of another branch may not touch it.
    other = bearer(login("sunli"))
    assert gateway.client.patch(f"/api/directory/windows/{created.json['id']}", json={"name": "x"},
                                headers=other).status_code == 403
    public = gateway.client.get(f"/api/directory/windows/{created.json['id']}/public")
    assert public.status_code == 200
    assert public.json["standards"]["time_limit"] == "1个工作日"
    assert public.json["on_duty"] == [{"name": "陈党员", "party_member": True, "member_status": "full"}]
    assert "email" not in str(public.json) and "responsible_id" not in public.json
    assert _events(gateway, "directory.window_upserted")[-1]["on_duty_ids"] == [str(DEMO("dangyuan"))]


def test_a_unit_shows_its_name_and_nothing_else_to_anyone(gateway, login):
    """The masses' suggestion box names the unit a note goes to, for someone not logged in."""
    answer = gateway.client.get(f"/api/directory/units/{DEMO('br-teachers')}/public")
    assert answer.status_code == 200
    assert answer.json == {"id": str(DEMO("br-teachers")), "name": "教育学院教工第一党支部", "kind": "branch"}
    assert gateway.client.get(f"/api/directory/units/{uuid.uuid4()}/public").status_code == 404
    org = bearer(login("zuzhibu"))
    closed = gateway.client.post("/api/directory/units", headers=org, json={
        "name": "已撤销支部", "kind": "branch", "parent_id": str(DEMO("gb-teaching"))}).json
    assert gateway.client.patch(f"/api/directory/units/{closed['id']}", headers=org,
                                json={"active": False}).status_code == 200
    assert gateway.client.get(f"/api/directory/units/{closed['id']}/public").status_code == 404


def test_a_kiosk_is_paired_to_one_window_and_can_be_revoked(gateway, login):
    org = bearer(login("zuzhibu"))
    window = gateway.client.post("/api/directory/windows", headers=org, json={
        "name": "教务窗口", "unit_id": str(DEMO("br-affairs"))}).json
    assert gateway.client.post("/api/directory/kiosks", headers=bearer(login("dangyuan")),
                               json={"window_id": window["id"], "name": "1号评价器"}).status_code == 403
    device = gateway.client.post("/api/directory/kiosks", headers=org,
                                 json={"window_id": window["id"], "name": "1号评价器"})
    assert device.status_code == 201
    credential = device.json["credential"]
    kiosks = gateway.app.flask_app.extensions["gateway"].kiosks
    identity, _signed = kiosks.identity_for(credential)
    assert (identity.kind, identity.window_id, identity.unit_id) == ("kiosk", window["id"], str(DEMO("br-affairs")))
    listed = gateway.client.get("/api/directory/kiosks", headers=org).json["items"]
    assert "credential" not in listed[0] or listed[0]["credential"] is None
    assert gateway.client.post(f"/api/directory/kiosks/{device.json['id']}/revoke", headers=org).status_code == 200
    refused = gateway.client.get("/api/auth/me", headers={"Authorization": f"Kiosk {credential}", "Accept-Language": "en"})
    assert refused.status_code == 401 and "revoked" in refused.json["error"]["message"]


def test_republishing_sends_the_whole_directory_again(gateway, login):
    before = len(_events(gateway, "directory.person_upserted"))
    response = gateway.client.post("/api/directory/republish", headers=bearer(login("zuzhibu")))
    assert response.status_code == 200 and response.json["count"] >= 7 + 9
    assert len(_events(gateway, "directory.person_upserted")) == 2 * before
