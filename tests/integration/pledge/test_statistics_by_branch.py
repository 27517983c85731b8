"""Pledge coverage and fulfilment of every branch under a unit in one call (the dashboards' bar chart)."""
from __future__ import annotations

import uuid

from .lifecycle import NEXT_YEAR, publish


def by_branch(service, who, unit_id, year=NEXT_YEAR):
    return service.client.get(f"/api/pledges/statistics/branches?unit_id={unit_id}&year={year}",
                              headers=service.headers(who))


def test_every_branch_under_a_unit_with_its_groups_counted_in(pledge_service, org):
    service = pledge_service
    group = uuid.uuid4()
    service.deliver("directory.unit_upserted", {"unit_id": group, "name": "第一党小组", "kind": "group",
                                                "parent_id": org.branch, "revision": 1})
    grouped = org.add_person("组员", group, [("member", group)])
    done = publish(service, org)
    assert service.client.post(f"/api/pledges/{done['id']}/fulfil", json={},
                               headers=service.headers(org.member)).status_code == 200
    publish(service, org, pledger=grouped)
    response = by_branch(service, org.org, org.committee)
    assert response.status_code == 200, response.json
    items = {i["name"]: i for i in response.json["items"]}
    assert sorted(items) == ["教务处党支部", "教工第一党支部"]  # the group is counted in its branch, not listed
    mine = items["教工第一党支部"]
    # member, peer, secretary, reviewer and the group's member are expected; two of them pledged
    assert (mine["members_expected"], mine["members_with_annual_pledge"]) == (5, 2)
    assert (mine["pledges_total"], mine["fulfilled"]) == (2, 1)
    assert mine["coverage_percent"] == 40.0 and mine["fulfilment_percent"] == 50.0
    assert items["教务处党支部"]["fulfilment_percent"] is None  # no pledge: nothing to divide


def test_a_general_branch_secretary_sees_their_branches_and_no_other(pledge_service, org):
    service = pledge_service
    mine = by_branch(service, org.reviewer, org.general_branch)
    assert mine.status_code == 200 and [i["name"] for i in mine.json["items"]] == ["教工第一党支部"]
    assert by_branch(service, org.reviewer, org.other_general_branch).status_code == 403
    assert by_branch(service, org.member, org.branch).status_code == 403
