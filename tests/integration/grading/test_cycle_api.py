"""grading-service's cycle against PostgreSQL: deployment, scores, levels, the cap, publicity, history."""
from __future__ import annotations

import uuid
from io import BytesIO
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from grading_service.service import publicity as grading_service_module
from grading_service.domain.classification import CycleStateError

from .conftest import CYCLES, all_indicators, branch_round, cycle_body, open_cycle, outbox

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def branch_url(cycle, branch_id, tail: str = "") -> str:
    return f"{CYCLES}/{cycle['id']}/branches/{branch_id}{tail}"


def score(service, who, cycle, branch_id, part: str, value: float, reason: str = ""):
    return service.client.put(branch_url(cycle, branch_id, f"/{part}"),
                              json={"scores": all_indicators(value), "reason": reason}, headers=service.headers(who))


def set_level(service, who, cycle, branch_id, **body):
    return service.client.post(branch_url(cycle, branch_id, "/level"), json=body, headers=service.headers(who))


def classify(service, org, cycle, branch_id, secretary, reviewer, value: float) -> dict:
    """Every part scored ``value``, then the general branch confirms the suggested level."""
    assert score(service, secretary, cycle, branch_id, "self-assessment", value).status_code == 200
    assert score(service, reviewer, cycle, branch_id, "superior-scores", value).status_code == 200
    service.deliver("evaluation.completed", branch_round(branch_id, value, year=cycle["year"]))
    response = set_level(service, reviewer, cycle, branch_id, action="confirm")
    assert response.status_code == 200, response.json
    return response.json


def both_branches_classified(service, org, values: tuple[float, float], **cycle_options) -> dict:
    """A cycle with both branches scored and confirmed, the other branch by a secretary of its own."""
    other_secretary = org.add_person("赵支书", org.other_branch, [("branch_secretary", org.other_branch)])
    cycle = open_cycle(service, org, **cycle_options)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, values[0])
    classify(service, org, cycle, org.other_branch, other_secretary, org.outsider_reviewer, values[1])
    return cycle


def test_the_organisation_department_opens_a_cycle_over_every_branch(grading_service, org):
    cycle = open_cycle(grading_service, org, cap_per_general_branch=True)
    assert cycle["state"] == "open" and cycle["branch_count"] == 2
    assert cycle["advanced_cap_percent"] == 50 and cycle["publicity_days"] == 0
    assert cycle["criteria"]["leader"] == "书记政治素质好、工作能力强"
    assert sum(cycle["indicator_weights"].values()) == 100
    [opened] = outbox(grading_service, "grading.cycle_opened")
    assert sorted(opened["branch_ids"]) == sorted([str(org.branch), str(org.other_branch)])
    assert opened["year"] == 2026
    listed = grading_service.client.get(f"{CYCLES}?limit=5", headers=grading_service.headers(org.member)).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == cycle["id"]


def test_a_cycle_can_list_its_branches(grading_service, org):
    cycle = open_cycle(grading_service, org, branch_ids=[str(org.branch)])
    assert cycle["branch_count"] == 1


def test_bad_cycles_are_clear_4xx(grading_service, org):
    weights = {"leader": 20, "work_plan": 10, "rules": 10, "venue": 10, "support": 10, "performance": 25,
               "masses": 20}
    cases = [
        (cycle_body(indicator_weights=weights), 422, "weights"),
        (cycle_body(part_weights={"self": 50, "members_and_masses": 50, "superior": 10}), 422, "weights"),
        (cycle_body(advanced_cap_percent=120), 422, "advanced_cap_percent"),
        (cycle_body(advanced_cap_percent=-1), 422, "advanced_cap_percent"),
        ({k: v for k, v in cycle_body().items() if k != "advanced_cap_percent"}, 422, "advanced_cap_percent"),
        (cycle_body(branch_ids=[str(org.general_branch)]), 422, "branch_ids"),
        (cycle_body(self_assessment_deadline="not a date"), 422, "self_assessment_deadline"),
    ]
    for body, status, field in cases:
        response = grading_service.client.post(CYCLES, json=body, headers=grading_service.headers(org.org))
        assert response.status_code == status, (body, response.json)
        assert field in response.json["error"]["details"], response.json
    refused = grading_service.client.post(CYCLES, json=cycle_body(), headers=grading_service.headers(org.reviewer))
    assert refused.status_code == 403
    open_cycle(grading_service, org)
    again = grading_service.client.post(CYCLES, json=cycle_body(), headers=grading_service.headers(org.org))
    assert again.status_code == 409
    assert len(outbox(grading_service, "grading.cycle_opened")) == 1


def test_scores_respect_role_range_deadline_and_scope(grading_service, org):
    cycle = open_cycle(grading_service, org)
    service = grading_service
    assert score(service, org.secretary, cycle, org.branch, "self-assessment", 88).status_code == 200
    # Another branch's secretary, and the general branch's secretary, may not self-assess this branch.
    assert score(service, org.reviewer, cycle, org.branch, "self-assessment", 88).status_code == 403
    out_of_range = service.client.put(branch_url(cycle, org.branch, "/self-assessment"),
                                      json={"scores": [{"indicator": "leader", "score": 101}]},
                                      headers=service.headers(org.secretary))
    assert out_of_range.status_code == 422
    twice = service.client.put(branch_url(cycle, org.branch, "/self-assessment"),
                               json={"scores": [{"indicator": "venue", "score": 80}, {"indicator": "venue", "score": 90}]},
                               headers=service.headers(org.secretary))
    assert twice.status_code == 422 and "venue" in twice.json["error"]["details"]
    assert score(service, org.reviewer, cycle, org.branch, "superior-scores", 80).status_code == 200
    outside = score(service, org.reviewer, cycle, org.other_branch, "superior-scores", 80)
    assert outside.status_code == 403
    assert "不属于本党总支" in outside.json["error"]["message"]
    assert service.client.get(branch_url(cycle, org.other_branch),
                              headers=service.headers(org.reviewer)).status_code == 403
    mine = service.client.get(f"{CYCLES}/{cycle['id']}/branches", headers=service.headers(org.reviewer)).json
    assert [b["branch_id"] for b in mine["items"]] == [str(org.branch)] and mine["total"] == 1


def test_a_self_assessment_after_the_deadline_is_refused(grading_service, org):
    cycle = open_cycle(grading_service, org, self_assessment_deadline=YESTERDAY)
    response = score(grading_service, org.secretary, cycle, org.branch, "self-assessment", 90)
    assert response.status_code == 422
    assert "self_assessment_deadline" in response.json["error"]["details"]


def test_totals_levels_and_every_change_with_who_when_why(grading_service, org):
    service = grading_service
    cycle = open_cycle(grading_service, org)
    score(service, org.secretary, cycle, org.branch, "self-assessment", 80)
    pending = service.client.get(branch_url(cycle, org.branch), headers=service.headers(org.secretary)).json
    assert pending["total"] is None and pending["suggested_level"] is None
    assert set_level(service, org.reviewer, cycle, org.branch, action="confirm").status_code == 409
    score(service, org.reviewer, cycle, org.branch, "superior-scores", 95)
    service.deliver("evaluation.completed", branch_round(org.branch, 90))
    detail = service.client.get(branch_url(cycle, org.branch), headers=service.headers(org.secretary)).json
    # 20 % × 80 + 30 % × 90 + 50 % × 95 = 90.5
    assert detail["part_totals"] == {"self": 80.0, "members_and_masses": 90.0, "superior": 95.0}
    assert detail["total"] == 90.5 and detail["suggested_level"] == "advanced"
    assert detail["scores"]["self"]["leader"]["evidence"] == "会议记录"

    no_reason = set_level(service, org.reviewer, cycle, org.branch, action="override", level="ordinary")
    assert no_reason.status_code == 422 and "reason" in no_reason.json["error"]["details"]
    overridden = set_level(service, org.reviewer, cycle, org.branch, action="override", level="ordinary",
                           reason="群众反映活动开展不经常")
    assert overridden.status_code == 200
    assert (overridden.json["level"], overridden.json["level_source"]) == ("ordinary", "overridden")
    changed = score(service, org.reviewer, cycle, org.branch, "superior-scores", 85, reason="复核后下调")
    level_changes = [c for c in changed.json["changes"] if c["what"] == "level"]
    assert level_changes[-1]["reason"] == "群众反映活动开展不经常"
    assert level_changes[-1]["actor_id"] == org.reviewer.subject and level_changes[-1]["at"]
    leader = [c for c in changed.json["changes"] if c["what"] == "score:superior:leader"]
    assert [(c["old"], c["new"], c["reason"]) for c in leader] == [(None, "95.0", "会议记录"),
                                                                    ("95.0", "85.0", "复核后下调")]


def test_publishing_is_refused_over_the_cap_by_how_many_then_publicity_objections_and_final(grading_service, org):
    service = grading_service
    cycle = both_branches_classified(service, org, (95, 92), advanced_cap_percent=30)
    publish = f"{CYCLES}/{cycle['id']}/publish"
    refused = service.client.post(publish, headers=service.headers(org.org))
    # 30 % of 2 branches is 0.6: no 先进 at all may be named, two were.
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "advanced_cap_exceeded"
    assert "需减少 2 个" in refused.json["error"]["message"]
    assert refused.json["error"]["details"]["cap"][0]["exceeded_by"] == 2
    for branch_id, reviewer in ((org.branch, org.reviewer), (org.other_branch, org.outsider_reviewer)):
        set_level(service, reviewer, cycle, branch_id, action="override", level="ordinary", reason="名额所限")
    published = service.client.post(publish, headers=service.headers(org.org))
    assert published.status_code == 200 and published.json["state"] == "publicity"
    assert score(service, org.reviewer, cycle, org.branch, "superior-scores", 70).status_code == 409

    objection = service.client.post(branch_url(cycle, org.branch, "/objections"), json={"text": "评分偏低"},
                                    headers=service.headers(org.member))
    assert objection.status_code == 201
    finalise = f"{CYCLES}/{cycle['id']}/finalise"
    unanswered = service.client.post(finalise, headers=service.headers(org.org))
    assert unanswered.status_code == 409 and "异议" in unanswered.json["error"]["message"]
    answer_url = f"{CYCLES}/{cycle['id']}/objections/{objection.json['id']}/answer"
    assert service.client.post(answer_url, json={"answer": "已复核"},
                               headers=service.headers(org.outsider_reviewer)).status_code == 403
    assert service.client.post(answer_url, json={"answer": "已复核，维持原等次"},
                               headers=service.headers(org.reviewer)).status_code == 200
    final = service.client.post(finalise, headers=service.headers(org.org))
    assert final.status_code == 200 and final.json["state"] == "final"
    events = outbox(service, "grading.level_finalised")
    assert sorted((e["branch_id"], e["grade"]) for e in events) == sorted(
        [(str(org.branch), "ordinary"), (str(org.other_branch), "ordinary")])
    assert all(e["previous_grade"] is None for e in events)


def test_every_member_sees_the_publicity_list_objects_until_its_last_day_and_reads_the_answer(grading_service, org):
    service = grading_service
    cycle = both_branches_classified(service, org, (80, 80), publicity_days=3)
    publicity = f"{CYCLES}/{cycle['id']}/publicity"
    early = service.client.get(publicity, headers=service.headers(org.member))
    assert early.status_code == 409 and early.json["error"]["details"]["state"] == ["open"]
    assert service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).status_code == 200

    shown = service.client.get(publicity, headers=service.headers(org.member))
    assert shown.status_code == 200 and shown.json["total"] == 2
    assert {(b["branch_id"], b["level"]) for b in shown.json["items"]} == {
        (str(org.branch), "ordinary"), (str(org.other_branch), "ordinary")}
    assert set(shown.json["items"][0]) == {"branch_id", "name", "general_branch_id", "level"}
    assert service.client.get(f"{CYCLES}/{uuid.uuid4()}/publicity", headers=service.headers(org.member)).status_code == 404

    # A member may object to a branch other than their own; only they and its secretaries see it.
    lodged = service.client.post(branch_url(cycle, org.other_branch, "/objections"), json={"text": "群众评价偏高"},
                                 headers=service.headers(org.member))
    assert lodged.status_code == 201, lodged.json
    mine = f"{CYCLES}/{cycle['id']}/objections"
    assert [o["id"] for o in service.client.get(mine, headers=service.headers(org.member)).json["items"]] == [
        lodged.json["id"]]
    assert service.client.get(mine, headers=service.headers(org.peer)).json["total"] == 0
    assert service.client.get(mine, headers=service.headers(org.reviewer)).json["total"] == 0  # another general branch
    answer = f"{CYCLES}/{cycle['id']}/objections/{lodged.json['id']}/answer"
    assert service.client.post(answer, json={"answer": "经复核，维持一般"},
                                headers=service.headers(org.outsider_reviewer)).status_code == 200
    [read] = service.client.get(mine, headers=service.headers(org.member)).json["items"]
    assert read["answer"] == "经复核，维持一般" and read["answered_at"]

    ends = date.fromisoformat(service.client.get(f"{CYCLES}/{cycle['id']}", headers=service.headers(org.member))
                              .json["publicity_ends_on"])
    last_day = datetime.combine(ends, datetime.min.time(), ZoneInfo("Asia/Shanghai")).replace(hour=23, minute=59)
    with service.uow_factory() as uow:
        assert grading_service_module.lodge_objection(uow, org.peer, uuid.UUID(cycle["id"]), org.branch, "最后一天",
                                                      now=last_day)["text"] == "最后一天"
    with pytest.raises(CycleStateError), service.uow_factory() as uow:
        grading_service_module.lodge_objection(uow, org.peer, uuid.UUID(cycle["id"]), org.branch, "晚了",
                                               now=last_day + timedelta(minutes=2))


def test_per_general_branch_quotas_refuse_a_general_branch_over_its_share(grading_service, org):
    service = grading_service
    third = uuid.uuid4()
    service.deliver("directory.unit_upserted", {"unit_id": third, "name": "教工第二党支部", "kind": "branch",
                                                "parent_id": org.general_branch, "revision": 1})
    third_secretary = org.add_person("孙支书", third, [("branch_secretary", third)])
    other_secretary = org.add_person("赵支书", org.other_branch, [("branch_secretary", org.other_branch)])
    # 3 branches at 34 %: one 先进 overall; the general branch with two branches gets it (2/3 > 1/3).
    cycle = open_cycle(grading_service, org, advanced_cap_percent=34, cap_per_general_branch=True)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 75)
    classify(service, org, cycle, third, third_secretary, org.reviewer, 75)
    classify(service, org, cycle, org.other_branch, other_secretary, org.outsider_reviewer, 95)
    refused = service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org))
    assert refused.status_code == 409
    assert refused.json["error"]["details"]["cap"] == [
        {"scope": str(org.other_general_branch), "branches": 1, "advanced": 1, "max_advanced": 0, "exceeded_by": 1}]
    quota = service.client.get(f"{CYCLES}/{cycle['id']}/results", headers=service.headers(org.org)).json
    assert quota["advanced_quota"] == {"overall": 1, "by_general_branch": {
        str(org.general_branch): 1, str(org.other_general_branch): 0}}


def test_two_years_show_the_change_of_level_in_the_history(grading_service, org):
    service = grading_service
    for year, value in ((2025, 80), (2026, 95)):
        cycle = open_cycle(service, org, year=year, branch_ids=[str(org.branch)], advanced_cap_percent=100)
        classify(service, org, cycle, org.branch, org.secretary, org.reviewer, value)
        assert service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).status_code == 200
        assert service.client.post(f"{CYCLES}/{cycle['id']}/finalise", headers=service.headers(org.org)).status_code == 200
    history = service.client.get(f"/api/grading/branches/{org.branch}/history",
                                 headers=service.headers(org.secretary)).json["years"]
    assert [(h["year"], h["level"], h["change_zh"]) for h in history] == [
        (2025, "ordinary", None), (2026, "advanced", "晋位")]
    assert outbox(service, "grading.level_finalised")[-1]["previous_grade"] == "ordinary"
    assert service.client.get(f"/api/grading/branches/{org.branch}/history",
                              headers=service.headers(org.outsider_reviewer)).status_code == 403
    results = service.client.get(f"{CYCLES}/{cycle['id']}/results", headers=service.headers(org.org)).json
    assert results["distribution"] == {"advanced": 1, "ordinary": 0, "lagging": 0, "undecided": 0}
    assert results["moved"] == {"up": 1, "same": 0, "down": 0}
    assert results["indicator_averages"]["superior"]["leader"] == 95.0
    report = service.client.get(f"{CYCLES}/{cycle['id']}/report.xlsx", headers=service.headers(org.org))
    assert report.status_code == 200 and report.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(report.data))
    assert book.sheetnames == ["分类定级结果", "等次分布", "指标平均分"]
    rows = list(book["分类定级结果"].values)
    assert rows[1][0] == "教工第一党支部" and rows[1][4] == 95.0 and rows[1][6:] == ("先进", "一般", "晋位")


def test_finalising_waits_for_the_end_of_the_publicity_period(grading_service, org):
    service = grading_service
    cycle = open_cycle(service, org, branch_ids=[str(org.branch)], advanced_cap_percent=100, publicity_days=5)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 80)
    published = service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).json
    today_in_shanghai = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert published["publicity_ends_on"] == (today_in_shanghai + timedelta(days=5)).isoformat()
    early = service.client.post(f"{CYCLES}/{cycle['id']}/finalise", headers=service.headers(org.org))
    assert early.status_code == 409 and "公示期" in early.json["error"]["message"]
    assert outbox(service, "grading.level_finalised") == []


def test_a_retried_score_with_the_same_idempotency_key_is_kept_once(grading_service, org):
    service = grading_service
    cycle = open_cycle(service, org)
    headers = service.headers(org.secretary, **{"Idempotency-Key": "self-1"})
    body = {"scores": all_indicators(85)}
    first = service.client.put(branch_url(cycle, org.branch, "/self-assessment"), json=body, headers=headers)
    second = service.client.put(branch_url(cycle, org.branch, "/self-assessment"), json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(second.json["changes"]) == 7
