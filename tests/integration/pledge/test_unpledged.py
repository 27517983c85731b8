"""Who has not pledged (未承诺名单, issue 21 gap 2): a branch secretary lists the members without an annual pledge,
the exempted apart, and reminds them in one action; the general branch and 组织部 see the same per branch."""
from __future__ import annotations

import uuid

from tests.support.services import person

from .lifecycle import NEXT_YEAR, create, events
from .test_linked_pledges import unit_pledge

URL = "/api/pledges/unpledged"


def add_member(org, name, unit_id, *, status="full", exemptions=(), roles=None):
    """A person of the directory with the exemptions OrgFixture.add_person cannot give."""
    person_id = uuid.uuid4()
    roles = roles if roles is not None else [("member", unit_id)]
    org.service.deliver("directory.person_upserted", {
        "person_id": person_id, "name": name, "unit_id": unit_id, "member_status": status, "revision": 1,
        "exemptions": [{"year": y, "reason": r} for y, r in exemptions],
        "roles": [{"role": r, "unit_id": u} for r, u in roles]})
    return person(person_id, unit_id, roles, name)


def listing(service, who, **query):
    response = service.client.get(URL, query_string=query, headers=service.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def names(page):
    return [item["name"] for item in page["items"]]


def remind(service, who, unit_id, **extra):
    return service.client.post(f"{URL}/remind", json={"unit_id": str(unit_id), "year": NEXT_YEAR},
                               headers=service.headers(who, **extra))


def test_the_branch_lists_who_has_not_pledged_and_the_exempted_apart(pledge_service, org):
    service = pledge_service
    group = uuid.uuid4()
    service.deliver("directory.unit_upserted", {"unit_id": group, "name": "第一党小组", "kind": "group",
                                                "parent_id": org.branch, "revision": 1})
    in_group = add_member(org, "孙小组", group)
    old = add_member(org, "吴老师", org.branch, exemptions=[(NEXT_YEAR, "年老体弱")])
    add_member(org, "钱群众", org.branch, status="none", roles=[])  # not a Party member: on neither list
    add_member(org, "郑去年", org.branch, exemptions=[(NEXT_YEAR - 1, "病休")])  # exempted another year only
    # a collective pledge counts for its participants (陈党员 and 刘伟); a draft or a withdrawn pledge for nobody
    create(service, org.member, mode="collective", participant_ids=[org.peer.subject], submit=True)
    create(service, org.secretary)
    withdrawn = create(service, org.reviewer, submit=True)
    assert service.client.post(f"/api/pledges/{withdrawn['id']}/withdraw", json={"reason": "重写"},
                               headers=service.headers(org.reviewer)).status_code == 200
    # an organisation pledge is the branch's, nobody's own
    unit_pledge(service, org)

    page = listing(service, org.secretary, unit_id=str(org.branch), year=NEXT_YEAR)
    assert names(page) == sorted(["孙小组", "张支书", "李总支", "郑去年"])
    assert page["items"][0]["branch_id"] == str(org.branch) and page["items"][0]["branch_name"] == "教工第一党支部"
    assert {i["name"]: i["unit_id"] for i in page["items"]}["孙小组"] == str(group)
    assert (page["total"], page["missing_total"], page["exempted_total"], page["year"]) == (4, 4, 1, NEXT_YEAR)
    assert page["branches"] == [{"unit_id": str(org.branch), "name": "教工第一党支部", "parent_id": str(org.general_branch),
                                 "members_expected": 6, "missing": 4, "exempted": 1}]
    exempted = listing(service, org.secretary, unit_id=str(org.branch), year=NEXT_YEAR, list="exempted")
    assert [(i["person_id"], i["name"], i["exemption_reason"]) for i in exempted["items"]] == [
        (old.subject, "吴老师", "年老体弱")]
    assert (exempted["total"], exempted["list"]) == (1, "exempted")

    # pages and a name typed by the secretary
    second = listing(service, org.secretary, unit_id=str(org.branch), year=NEXT_YEAR, limit=2, offset=2)
    assert names(second) == names(page)[2:] and (second["limit"], second["offset"], second["total"]) == (2, 2, 4)
    assert names(listing(service, org.secretary, unit_id=str(org.branch), year=NEXT_YEAR, name="小组")) == ["孙小组"]
    # the year defaults to this year, when nobody here has pledged yet
    this_year = listing(service, org.secretary, unit_id=str(org.branch))
    assert this_year["year"] == NEXT_YEAR - 1 and this_year["missing_total"] == 7 - 1  # 郑去年 is exempted this year
    assert in_group.subject in {i["person_id"] for i in this_year["items"]}


def test_the_general_branch_and_the_organisation_department_see_it_per_branch(pledge_service, org):
    service = pledge_service
    add_member(org, "赵其他", org.other_branch)
    create(service, org.member, submit=True)

    by_reviewer = listing(service, org.reviewer, unit_id=str(org.general_branch), year=NEXT_YEAR)
    assert [(b["name"], b["missing"]) for b in by_reviewer["branches"]] == [("教工第一党支部", 3)]
    by_org = listing(service, org.org, unit_id=str(org.committee), year=NEXT_YEAR)
    assert [(b["name"], b["missing"], b["members_expected"]) for b in by_org["branches"]] == [
        ("教务处党支部", 2, 2), ("教工第一党支部", 3, 4)]  # by the branches' names
    assert [i["branch_name"] for i in by_org["items"]] == ["教务处党支部"] * 2 + ["教工第一党支部"] * 3
    only = listing(service, org.org, unit_id=str(org.committee), year=NEXT_YEAR, branch_id=str(org.other_branch))
    assert sorted(names(only)) == sorted(["赵其他", "周总支"]) and only["missing_total"] == 5

    # nobody else sees a branch's list, and a wrong question is a 4xx in the one error shape
    for who, unit in ((org.member, org.branch), (org.outsider_reviewer, org.branch), (org.secretary, org.general_branch)):
        response = service.client.get(URL, query_string={"unit_id": str(unit)}, headers=service.headers(who))
        assert response.status_code == 403 and response.json["error"]["code"], (who.name, response.json)
    for query in ({}, {"unit_id": "nope"}, {"unit_id": str(org.branch), "list": "all"},
                  {"unit_id": str(org.branch), "limit": 0}, {"unit_id": str(uuid.uuid4())},
                  {"unit_id": str(org.general_branch), "branch_id": str(org.other_branch)}):
        response = service.client.get(URL, query_string=query, headers=service.headers(org.org))
        assert response.status_code == 422, (query, response.json)
        assert set(response.json["error"]) >= {"code", "message", "details"}


def test_one_action_reminds_each_member_without_a_pledge_once(pledge_service, org):
    service = pledge_service
    other = add_member(org, "赵其他", org.other_branch)
    add_member(org, "吴老师", org.branch, exemptions=[(NEXT_YEAR, "年老体弱")])
    create(service, org.member, mode="collective", participant_ids=[org.peer.subject], submit=True)

    response = remind(service, org.secretary, org.branch, **{"Idempotency-Key": "remind-1"})
    assert response.status_code == 200, response.json
    assert (response.json["reminded"], response.json["already_reminded"]) == (2, 0)
    [event] = events(service, "pledge.reminder_requested")
    assert (event["unit_id"], event["year"], event["requested_by"]) == (str(org.branch), NEXT_YEAR, org.secretary.subject)
    # the secretary, who has no pledge either, is reminded like the others; the exempted and the pledgers are not
    assert sorted(event["member_ids"]) == sorted([org.secretary.subject, org.reviewer.subject])
    # the same request again (a flaky network) is answered as before, and nothing more is sent
    again = remind(service, org.secretary, org.branch, **{"Idempotency-Key": "remind-1"})
    assert again.status_code == 200 and again.json == response.json
    assert len(events(service, "pledge.reminder_requested")) == 1

    # 组织部 reminds every branch: the branch's members heard today already, the other branch's now
    everyone = remind(service, org.org, org.committee)
    assert everyone.status_code == 200, everyone.json
    assert [(b["name"], b["reminded"], b["already_reminded"]) for b in everyone.json["branches"]] == [
        ("教务处党支部", 2, 0), ("教工第一党支部", 0, 2)]
    sent = events(service, "pledge.reminder_requested")
    assert len(sent) == 2 and sent[1]["unit_id"] == str(org.other_branch)
    assert sorted(sent[1]["member_ids"]) == sorted([other.subject, org.outsider_reviewer.subject])

    # only those who oversee the branch may remind it
    assert remind(service, org.member, org.branch).status_code == 403
    assert remind(service, org.outsider_reviewer, org.branch).status_code == 403
    bad = service.client.post(f"{URL}/remind", json={"year": NEXT_YEAR}, headers=service.headers(org.secretary))
    assert bad.status_code == 422 and "unit_id" in bad.json["error"]["details"]
    assert len(events(service, "pledge.reminder_requested")) == 2


def test_the_lists_are_in_the_openapi_document(pledge_service):
    spec = pledge_service.client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json["paths"]
    assert "get" in paths["/api/pledges/unpledged"] and "post" in paths["/api/pledges/unpledged/remind"]
    params = {p["name"] for p in paths["/api/pledges/unpledged"]["get"]["parameters"]}
    assert {"unit_id", "year", "list", "branch_id", "name", "limit", "offset"} <= params
