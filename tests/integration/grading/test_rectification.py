"""整改提高 and 考核验收 against PostgreSQL: plans by level, task progress, the overdue job, acceptance."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from grading_service.service import rectification as grading

from .conftest import CYCLES, all_indicators, branch_round, open_cycle, outbox

IN_A_MONTH = (date.today() + timedelta(days=30)).isoformat()
IN_A_WEEK = (date.today() + timedelta(days=7)).isoformat()


def final_cycle(service, org, year: int, level: str) -> dict:
    """A finalised cycle of one branch at ``level``, set by the general branch."""
    cycle = open_cycle(service, org, year=year, branch_ids=[str(org.branch)], advanced_cap_percent=100)
    base = f"{CYCLES}/{cycle['id']}/branches/{org.branch}"
    service.client.put(f"{base}/self-assessment", json={"scores": all_indicators(70)},
                       headers=service.headers(org.secretary))
    service.client.put(f"{base}/superior-scores", json={"scores": all_indicators(60)},
                       headers=service.headers(org.reviewer))
    service.deliver("evaluation.completed", branch_round(org.branch, 65, year=year))
    response = service.client.post(f"{base}/level", json={"action": "override", "level": level,
                                                          "reason": "活动开展不经常"},
                                   headers=service.headers(org.reviewer))
    assert response.status_code == 200, response.json
    for step in ("publish", "finalise"):
        assert service.client.post(f"{CYCLES}/{cycle['id']}/{step}", headers=service.headers(org.org)).status_code == 200
    return cycle


def plan_body(org, **overrides) -> dict:
    values = {"problems": ["组织生活不规范"], "measures": ["每月固定主题党日"], "owner_id": org.secretary.subject,
              "deadline": IN_A_MONTH,
              "tasks": [{"title": "建立三会一课台账", "owner_id": org.member.subject, "deadline": IN_A_WEEK},
                        {"title": "整顿软弱涣散", "deadline": IN_A_MONTH}]}
    values.update(overrides)
    return values


def plan_url(cycle, org) -> str:
    return f"{CYCLES}/{cycle['id']}/branches/{org.branch}/rectification"


def test_a_plan_follows_the_final_results_with_the_emphasis_of_the_level(grading_service, org):
    service = grading_service
    early = open_cycle(service, org, year=2024, branch_ids=[str(org.branch)])
    refused = service.client.post(plan_url(early, org), json=plan_body(org), headers=service.headers(org.secretary))
    assert refused.status_code == 409
    cycle = final_cycle(service, org, 2025, "lagging")
    assert service.client.post(plan_url(cycle, org), json=plan_body(org),
                               headers=service.headers(org.outsider_reviewer)).status_code == 403
    past = plan_body(org, deadline=(date.today() - timedelta(days=2)).isoformat())
    assert service.client.post(plan_url(cycle, org), json=past, headers=service.headers(org.secretary)).status_code == 422
    created = service.client.post(plan_url(cycle, org), json=plan_body(org), headers=service.headers(org.secretary))
    assert created.status_code == 201, created.json
    assert (created.json["emphasis"], created.json["emphasis_zh"]) == ("overhaul", "整顿后进")
    assert [t["state"] for t in created.json["tasks"]] == ["open", "open"]
    again = service.client.post(plan_url(cycle, org), json=plan_body(org), headers=service.headers(org.secretary))
    assert again.status_code == 409


def test_tasks_report_progress_and_overdue_ones_are_announced_once(grading_service, org):
    service = grading_service
    cycle = final_cycle(service, org, 2025, "ordinary")
    plan = service.client.post(plan_url(cycle, org), json=plan_body(org), headers=service.headers(org.secretary)).json
    assert plan["emphasis"] == "push"
    soon, later = plan["tasks"]
    progress = f"/api/grading/rectification/tasks/{later['id']}/progress"
    assert service.client.post(progress, json={"percent": 40, "note": "已完成摸底"},
                               headers=service.headers(org.outsider_reviewer)).status_code == 403
    half = service.client.post(progress, json={"percent": 40, "note": "已完成摸底"}, headers=service.headers(org.secretary))
    assert [t["percent"] for t in half.json["tasks"]] == [0, 40]
    by_owner = service.client.post(f"/api/grading/rectification/tasks/{soon['id']}/progress",
                                   json={"percent": 100}, headers=service.headers(org.member))
    assert by_owner.json["tasks"][0]["state"] == "done"
    assert service.client.post(progress, json={"percent": 101}, headers=service.headers(org.secretary)).status_code == 422

    after_every_deadline = datetime.now(timezone.utc) + timedelta(days=40)
    with service.uow_factory() as uow:
        assert grading.mark_overdue_tasks(uow, after_every_deadline) == 1
    with service.uow_factory() as uow:
        assert grading.mark_overdue_tasks(uow, after_every_deadline) == 0
    [overdue] = outbox(service, "rectification.task_overdue")
    assert overdue["task_id"] == later["id"] and overdue["title"] == "整顿软弱涣散"
    shown = service.client.get(plan_url(cycle, org), headers=service.headers(org.reviewer)).json
    assert [t["state"] for t in shown["tasks"]] == ["done", "overdue"]


def test_acceptance_in_the_next_cycle_is_an_input_of_its_classification(grading_service, org):
    service = grading_service
    last_year = final_cycle(service, org, 2025, "lagging")
    service.client.post(plan_url(last_year, org), json=plan_body(org), headers=service.headers(org.secretary))
    cycle = open_cycle(service, org, year=2026, branch_ids=[str(org.branch)])
    accept = f"{CYCLES}/{cycle['id']}/branches/{org.branch}/acceptance"
    answers = {"organisation_stronger": True, "problems_solved": True, "masses_satisfied": False,
               "notes": "群众满意度仍需提高"}
    assert service.client.post(accept, json=answers, headers=service.headers(org.outsider_reviewer)).status_code == 403
    assert service.client.post(accept, json={k: v for k, v in answers.items() if k != "notes"},
                               headers=service.headers(org.reviewer)).status_code == 422
    accepted = service.client.post(accept, json=answers, headers=service.headers(org.reviewer))
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["acceptance"]["passed"] is False
    assert service.client.post(accept, json=answers, headers=service.headers(org.reviewer)).status_code == 409
    [event] = outbox(service, "rectification.accepted")
    assert (event["cycle_id"], event["passed"]) == (last_year["id"], False)

    service.deliver("rectification.accepted", event)
    detail = service.client.get(f"{CYCLES}/{cycle['id']}/branches/{org.branch}", headers=service.headers(org.reviewer))
    assert detail.json["last_rectification"] == {"passed": False, "notes": "群众满意度仍需提高"}
