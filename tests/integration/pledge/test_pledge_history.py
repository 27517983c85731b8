"""Against PostgreSQL: a pledge read by id carries its whole path for the portal's timeline (submitted, returned
with the reason, approved, published, progress, fulfilled), each step with when, why and who by name; pages of
pledges name the pledger and the branch beside their ids."""
from __future__ import annotations

from tests.integration.pledge.lifecycle import create


def _post(service, who, path, **body):
    response = service.client.post(path, json=body, headers=service.headers(who))
    assert response.status_code in (200, 201), response.json
    return response.json


def test_a_pledge_carries_its_path_with_reasons_times_and_names(pledge_service, org):
    s = pledge_service
    pledge = create(s, org.member, title="带头完善教学档案", submit=True)
    path = f"/api/pledges/{pledge['id']}"
    _post(s, org.reviewer, f"{path}/return", reason="目标不够具体")
    _post(s, org.member, f"{path}/submit")
    for action in ("approve", "publish"):
        _post(s, org.reviewer, f"{path}/{action}")
    _post(s, org.member, f"{path}/progress", evidence="已整理一半")
    _post(s, org.member, f"{path}/fulfil")

    for who in (org.member, org.reviewer, org.secretary):
        seen = s.client.get(path, headers=s.headers(who))
        assert seen.status_code == 200, seen.json
        got = seen.json
        assert (got["pledger_name"], got["unit_name"]) == ("陈党员", "教工第一党支部")
        steps = [(t["action"], t["from_state"], t["to_state"], t["reason"], t["actor_name"]) for t in got["history"]]
        assert steps == [
            ("submit", "draft", "submitted", None, "陈党员"),
            ("return", "submitted", "returned", "目标不够具体", "李总支"),
            ("submit", "returned", "submitted", None, "陈党员"),
            ("approve", "submitted", "approved", None, "李总支"),
            ("publish", "approved", "published", None, "李总支"),
            ("report_progress", "published", "published", None, "陈党员"),
            ("fulfil", "published", "fulfilled", None, "陈党员"),
        ]
        times = [t["at"] for t in got["history"]]
        assert all(times) and times == sorted(times) and got["created_at"] <= times[0]

    # the answer to an action names them too
    other = create(s, org.member, title="带头参加志愿服务", submit=True)
    returned = _post(s, org.reviewer, f"/api/pledges/{other['id']}/return", reason="请补充完成时限")
    assert returned["history"][-1]["actor_name"] == "李总支" and returned["pledger_name"] == "陈党员"

    # a page of pledges names the pledger and the branch (the reviewer's table), without the history
    page = s.client.get("/api/pledges", query_string={"scope": "review", "state": "returned,fulfilled"},
                        headers=s.headers(org.reviewer)).json
    assert page["total"] == 2
    assert {(p["pledger_name"], p["unit_name"]) for p in page["items"]} == {("陈党员", "教工第一党支部")}
    assert all("history" not in p for p in page["items"])


def test_an_organisation_pledge_is_named_after_its_unit(pledge_service, org):
    s = pledge_service
    pledge = create(s, org.secretary, pledger_kind="unit", unit_id=str(org.branch), title="建设群众满意窗口")
    got = s.client.get(f"/api/pledges/{pledge['id']}", headers=s.headers(org.secretary)).json
    assert (got["pledger_name"], got["unit_name"]) == ("教工第一党支部", "教工第一党支部")
