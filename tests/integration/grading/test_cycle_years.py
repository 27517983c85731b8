"""A cycle is opened for last, this or next year only (a typed 2058 opened a cycle no one grades, which every
year picker then showed first); and the lists the portal pages: branches by name and level, objections of mine
or unanswered, each with a true total; a cycle says how many branches have a level (whether it has results)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.support.services import OrgFixture, start_service

from .conftest import CYCLES, cycle_body, open_cycle

THIS_YEAR = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).year


@pytest.fixture
def strict_service(fresh_database, make_settings):
    """grading-service under its default settings (the other tests widen the years they may open)."""
    service = start_service("grading", fresh_database("grading"), make_settings)
    yield service
    service.engine.dispose()


@pytest.mark.parametrize("offset", [-2, 2, 32])
def test_a_year_beyond_last_this_and_next_is_refused_beside_the_year(strict_service, offset):
    org = OrgFixture(strict_service)
    year = THIS_YEAR + offset
    refused = strict_service.client.post(CYCLES, json=cycle_body(year=year), headers=strict_service.headers(
        org.org, **{"Accept-Language": "en"}))
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["year"] == [f"a year from {THIS_YEAR - 1} to {THIS_YEAR + 1}"]
    chinese = strict_service.client.post(CYCLES, json=cycle_body(year=year), headers=strict_service.headers(
        org.org, **{"Accept-Language": "zh-CN"})).json["error"]
    assert chinese["details"]["year"] == [f"应为 {THIS_YEAR - 1} 至 {THIS_YEAR + 1} 之间的年度"]
    listed = strict_service.client.get(CYCLES, headers=strict_service.headers(org.org)).json
    assert listed["total"] == 0


def test_last_this_and_next_year_open(strict_service):
    org = OrgFixture(strict_service)
    for offset in (-1, 0, 1):
        cycle = open_cycle(strict_service, org, year=THIS_YEAR + offset)
        assert cycle["year"] == THIS_YEAR + offset and cycle["decided"] == 0


def test_a_wider_span_is_a_setting(fresh_database, make_settings):
    service = start_service("grading", fresh_database("grading"), make_settings, cycle_year_span=3)
    try:
        org = OrgFixture(service)
        assert open_cycle(service, org, year=THIS_YEAR + 3)["year"] == THIS_YEAR + 3
        refused = service.client.post(CYCLES, json=cycle_body(year=THIS_YEAR + 4), headers=service.headers(org.org))
        assert refused.status_code == 422
    finally:
        service.engine.dispose()


def _override(service, who, cycle, branch_id, level):
    response = service.client.post(f"{CYCLES}/{cycle['id']}/branches/{branch_id}/level",
                                   json={"action": "override", "level": level, "reason": "定级"},
                                   headers=service.headers(who))
    assert response.status_code == 200, response.json


def test_branches_filter_by_name_and_level_with_a_true_total(strict_service):
    service = strict_service
    org = OrgFixture(service)
    cycle = open_cycle(service, org, year=THIS_YEAR, advanced_cap_percent=100)
    url = f"{CYCLES}/{cycle['id']}/branches"
    _override(service, org.reviewer, cycle, org.branch, "advanced")
    names = lambda body: [b["name"] for b in body["items"]]  # noqa: E731
    every = service.client.get(f"{url}?limit=1", headers=service.headers(org.org)).json
    assert every["total"] == 2 and len(every["items"]) == 1
    assert names(service.client.get(f"{url}?q=教务", headers=service.headers(org.org)).json) == ["教务处党支部"]
    advanced = service.client.get(f"{url}?level=advanced", headers=service.headers(org.org)).json
    assert names(advanced) == ["教工第一党支部"] and advanced["total"] == 1
    undecided = service.client.get(f"{url}?level=none", headers=service.headers(org.org)).json
    assert names(undecided) == ["教务处党支部"]
    both = service.client.get(f"{url}?level=advanced,none", headers=service.headers(org.org)).json
    assert both["total"] == 2
    by_general = service.client.get(f"{url}?general_branch_id={org.other_general_branch}",
                                    headers=service.headers(org.org)).json
    assert names(by_general) == ["教务处党支部"]
    assert service.client.get(f"{url}?level=best", headers=service.headers(org.org)).status_code == 422
    # 分项: each indicator over the parts, null until every part that weighs has scored it
    assert set(every["items"][0]["indicator_scores"]) == {
        "leader", "work_plan", "rules", "venue", "support", "performance", "masses"}
    cycles = service.client.get(CYCLES, headers=service.headers(org.org)).json["items"]
    assert [c["decided"] for c in cycles] == [1]
    results = service.client.get(f"{CYCLES}/{cycle['id']}/results", headers=service.headers(org.reviewer)).json
    assert results["advanced"] == {"overall": 1, "by_general_branch": {str(org.general_branch): 1}}


def test_objections_of_mine_and_unanswered(strict_service):
    service = strict_service
    org = OrgFixture(service)
    cycle = open_cycle(service, org, year=THIS_YEAR, advanced_cap_percent=100, publicity_days=5)
    _override(service, org.reviewer, cycle, org.branch, "ordinary")
    _override(service, org.outsider_reviewer, cycle, org.other_branch, "ordinary")
    assert service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).status_code == 200
    url = f"{CYCLES}/{cycle['id']}"
    lodged = []
    for who, branch in ((org.member, org.branch), (org.member, org.other_branch), (org.peer, org.branch)):
        response = service.client.post(f"{url}/branches/{branch}/objections", json={"text": "请复核"},
                                       headers=service.headers(who))
        assert response.status_code == 201
        lodged.append(response.json)
    answer = service.client.post(f"{url}/objections/{lodged[0]['id']}/answer", json={"answer": "维持"},
                                 headers=service.headers(org.reviewer))
    assert answer.status_code == 200
    ids = lambda body: {o["id"] for o in body["items"]}  # noqa: E731
    mine = service.client.get(f"{url}/objections?mine=true&limit=1", headers=service.headers(org.member)).json
    assert mine["total"] == 2 and len(mine["items"]) == 1
    # the general branch's secretary reads those to their branch; only mine: none
    theirs = service.client.get(f"{url}/objections", headers=service.headers(org.reviewer)).json
    assert ids(theirs) == {lodged[0]["id"], lodged[2]["id"]}
    assert service.client.get(f"{url}/objections?mine=true", headers=service.headers(org.reviewer)).json["total"] == 0
    waiting = service.client.get(f"{url}/objections?answered=false", headers=service.headers(org.reviewer)).json
    assert ids(waiting) == {lodged[2]["id"]}
    of_branch = service.client.get(f"{url}/objections?branch_id={org.other_branch}",
                                   headers=service.headers(org.org)).json
    assert ids(of_branch) == {lodged[1]["id"]}
    public = service.client.get(f"{url}/publicity?q=教工", headers=service.headers(org.member)).json
    assert [b["name"] for b in public["items"]] == ["教工第一党支部"] and public["total"] == 1
