"""The dashboards' grading figures in one call each: the 晋位升级 movement between two cycles and a
branch's seven indicators beside the cycle's averages (radar)."""
from .conftest import CYCLES, open_cycle
from .test_cycle_api import classify, set_level


def _final(service, org, year: int, values: dict) -> dict:
    cycle = open_cycle(service, org, year=year, advanced_cap_percent=100)
    other_secretary = org.add_person("赵支书", org.other_branch, [("branch_secretary", org.other_branch)])
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, values[org.branch])
    classify(service, org, cycle, org.other_branch, other_secretary, org.outsider_reviewer, values[org.other_branch])
    for step in ("publish", "finalise"):
        assert service.client.post(f"{CYCLES}/{cycle['id']}/{step}", headers=service.headers(org.org)).status_code == 200
    return cycle


def test_movement_counts_branches_from_last_years_level_to_this_years(grading_service, org):
    service = grading_service
    first = _final(service, org, 2025, {org.branch: 80, org.other_branch: 95})
    second = open_cycle(service, org, year=2026, advanced_cap_percent=100)
    assert set_level(service, org.reviewer, second, org.branch, action="override", level="advanced",
                     reason="整改到位").status_code == 200
    moved = service.client.get(f"{CYCLES}/{second['id']}/movement", headers=service.headers(org.org)).json
    assert (moved["from_year"], moved["year"], moved["branches"]) == (2025, 2026, 2)
    assert moved["from_cycle_id"] == first["id"]
    assert moved["matrix"]["ordinary"]["advanced"] == 1  # 晋位
    assert moved["matrix"]["advanced"]["undecided"] == 1  # not determined yet this year
    assert sum(sum(row.values()) for row in moved["matrix"].values()) == 2
    # A general branch's secretary counts only their own branches.
    mine = service.client.get(f"{CYCLES}/{second['id']}/movement", headers=service.headers(org.reviewer)).json
    assert mine["branches"] == 1 and mine["matrix"]["ordinary"]["advanced"] == 1
    backwards = service.client.get(f"{CYCLES}/{first['id']}/movement?from_cycle_id={second['id']}",
                                   headers=service.headers(org.org))
    assert backwards.status_code == 422 and backwards.json["error"]["details"]["from_cycle_id"]


def test_a_branch_profile_weighs_the_parts_beside_the_average(grading_service, org):
    service = grading_service
    cycle = _final(service, org, 2026, {org.branch: 80, org.other_branch: 90})
    url = f"{CYCLES}/{cycle['id']}/branches/{org.branch}/profile"
    profile = service.client.get(url, headers=service.headers(org.org)).json
    assert profile["name"] == "教工第一党支部"
    assert profile["average_over"] == {"combined": 2, "self": 2, "members_and_masses": 2, "superior": 2}
    leader = next(i for i in profile["indicators"] if i["code"] == "leader")
    assert leader["zh"] == "党组织带头人"
    assert leader["branch"] == {"combined": 80.0, "self": 80.0, "members_and_masses": 80.0, "superior": 80.0}
    assert leader["average"]["combined"] == 85.0 and leader["average"]["superior"] == 85.0
    assert len(profile["indicators"]) == 7
    # Two branches only: the branch's own secretary would read the other's figures off the average.
    own = service.client.get(url, headers=service.headers(org.secretary)).json
    assert own["average_over"] is None and own["indicators"][0]["average"] is None
    assert service.client.get(url, headers=service.headers(org.outsider_reviewer)).status_code == 403
