"""An organisation pledge (基层党组织承诺) and the members' pledges that support it."""
from __future__ import annotations

import uuid

from .lifecycle import body, create, publish


def unit_pledge(service, org, unit=None, secretary=None, reviewer=None):
    secretary = secretary or org.secretary
    return publish(service, org, pledger=secretary, reviewer=reviewer, pledger_kind="unit",
                   unit_id=str(unit or org.branch), title="支部承诺：建设服务型党组织")


def test_members_link_their_pledges_and_the_branch_sees_them(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    branch_pledge = unit_pledge(pledge_service, org)
    assert branch_pledge["pledger_id"] == str(org.branch)
    public = publish(pledge_service, org, linked_to=branch_pledge["id"])
    draft = create(pledge_service, org.peer, linked_to=branch_pledge["id"])
    assert public["linked_to"] == branch_pledge["id"]
    url = f"/api/pledges/{branch_pledge['id']}/linked"
    assert {p["id"] for p in client.get(url, headers=h(org.secretary)).json["items"]} == {public["id"], draft["id"]}
    seen_by_member = client.get(url, headers=h(org.member)).json
    assert seen_by_member["total"] == 1 and seen_by_member["items"][0]["id"] == public["id"]
    assert client.get(url + "?limit=1&offset=1", headers=h(org.reviewer)).json["total"] == 2
    assert client.get(url, headers=h(org.outsider_reviewer)).status_code == 404


def test_a_link_must_name_an_organisation_pledge_of_the_same_branch(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    member_pledge = publish(pledge_service, org)
    other_secretary = org.add_person("赵支书", org.other_branch, [("member", org.other_branch),
                                                                 ("branch_secretary", org.other_branch)])
    elsewhere = unit_pledge(pledge_service, org, unit=org.other_branch, secretary=other_secretary,
                            reviewer=org.outsider_reviewer)
    for target in (member_pledge["id"], elsewhere["id"], str(uuid.uuid4())):
        response = client.post("/api/pledges", json=body(linked_to=target), headers=h(org.member))
        assert response.status_code == 422 and "linked_to" in response.json["error"]["details"], response.json
    own = unit_pledge(pledge_service, org)
    as_unit = client.post("/api/pledges", json=body(pledger_kind="unit", unit_id=str(org.branch), linked_to=own["id"]),
                          headers=h(org.secretary))
    assert as_unit.status_code == 422 and "linked_to" in as_unit.json["error"]["details"]
    draft = create(pledge_service, org.member)
    relinked = client.patch(f"/api/pledges/{draft['id']}", json={"linked_to": elsewhere["id"]}, headers=h(org.member))
    assert relinked.status_code == 422
    linked = client.patch(f"/api/pledges/{draft['id']}", json={"linked_to": own["id"]}, headers=h(org.member))
    assert linked.status_code == 200 and linked.json["linked_to"] == own["id"]
