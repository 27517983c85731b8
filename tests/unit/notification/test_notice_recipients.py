"""Who hears of which event, and in which language, decided from the directory projection alone."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from notification_service.domain.inbox import notices_for
from notification_service.domain.model import DirectoryGap, NoticeKind

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
EVENT = uuid.uuid4()


def notices(org, event_type, data):
    return {n.person_id: n for n in notices_for(EVENT, event_type, data, org.directory, NOW)}


def member_pledge(org, sample_data, event_type, pledger=None, **overrides):
    return sample_data(event_type, pledger_kind="member", pledger_id=pledger or org.member, unit_id=org.branch,
                       kind="annual", title="带头搞好教书育人", due_date="2025-12-31", **overrides)


def unit_pledge(org, sample_data, event_type, **overrides):
    return sample_data(event_type, pledger_kind="unit", pledger_id=org.branch, unit_id=org.branch,
                       kind="instant", title="迎新服务", due_date="2025-09-10", **overrides)


def test_a_submitted_pledge_goes_to_the_general_branch_above_it(org, sample_data):
    data = member_pledge(org, sample_data, "pledge.submitted")
    found = notices(org, "pledge.submitted", data)
    assert list(found) == [org.reviewer]
    notice = found[org.reviewer]
    assert notice.kind is NoticeKind.TASK
    assert notice.title == "承诺待审核：《带头搞好教书育人》"
    assert notice.body == "陈党员（教工第一党支部）提交了年度承诺《带头搞好教书育人》，完成时限 2025-12-31，请及时审核。"
    assert notice.link == f"/pledges/{data['pledge_id']}"
    assert (notice.event_id, notice.event_type, notice.created_at, notice.read_at) == (
        EVENT, "pledge.submitted", NOW, None)


def test_a_unit_with_no_general_branch_above_it_has_no_reviewer_to_tell(org, sample_data):
    data = sample_data("pledge.submitted", pledger_kind="member", pledger_id=org.member, unit_id=org.direct_branch)
    assert notices(org, "pledge.submitted", data) == {}


def test_a_unit_the_projection_has_not_heard_of_is_a_gap_to_retry_not_silence(org, sample_data):
    unknown = uuid.uuid4()
    data = sample_data("pledge.submitted", pledger_kind="member", pledger_id=org.member, unit_id=unknown)
    with pytest.raises(DirectoryGap) as raised:
        notices(org, "pledge.submitted", data)
    assert raised.value.details == {"unit_ids": [str(unknown)]}


@pytest.mark.parametrize("event_type", ["pledge.returned", "pledge.approved", "pledge.published",
                                        "pledge.due_soon", "pledge.fulfilled"])
def test_the_member_hears_of_their_own_pledge_in_their_language(org, sample_data, event_type):
    zh = notices(org, event_type, member_pledge(org, sample_data, event_type))
    en = notices(org, event_type, member_pledge(org, sample_data, event_type, pledger=org.english_member))
    assert list(zh) == [org.member] and list(en) == [org.english_member]
    assert "您的年度承诺《带头搞好教书育人》" in zh[org.member].body
    assert "Your annual pledge “带头搞好教书育人”" in en[org.english_member].body


def test_a_returned_pledge_carries_the_reason(org, sample_data):
    data = member_pledge(org, sample_data, "pledge.returned", reason="承诺目标不够具体")
    notice = notices(org, "pledge.returned", data)[org.member]
    assert notice.kind is NoticeKind.TASK
    assert notice.body.endswith("退回理由：承诺目标不够具体")


def test_an_organisations_pledge_is_answered_by_its_branch_secretaries(org, sample_data):
    found = notices(org, "pledge.approved", unit_pledge(org, sample_data, "pledge.approved"))
    assert list(found) == [org.secretary]
    assert found[org.secretary].title == "Pledge approved: “迎新服务”"


def test_an_overdue_pledge_reminds_the_member_and_tells_the_branch(org, sample_data):
    found = notices(org, "pledge.overdue", member_pledge(org, sample_data, "pledge.overdue"))
    assert set(found) == {org.member, org.secretary}
    assert found[org.member].title == "承诺已逾期：《带头搞好教书育人》"
    assert found[org.secretary].title == "Overdue pledge in your branch: “带头搞好教书育人”"
    assert "of 陈党员 passed its due date (2025-12-31)" in found[org.secretary].body
    assert {n.kind for n in found.values()} == {NoticeKind.REMINDER}


def test_a_secretary_hears_once_of_their_own_units_overdue_pledge_as_its_pledger(org, sample_data):
    found = notices(org, "pledge.overdue", unit_pledge(org, sample_data, "pledge.overdue"))
    assert list(found) == [org.secretary]
    assert found[org.secretary].title == "Pledge overdue: “迎新服务”"


def test_someone_who_left_hears_nothing_and_someone_not_yet_known_hears_in_chinese(org, sample_data):
    assert notices(org, "pledge.approved", member_pledge(org, sample_data, "pledge.approved",
                                                         pledger=org.former_member)) == {}
    newcomer = uuid.uuid4()
    found = notices(org, "pledge.approved", member_pledge(org, sample_data, "pledge.approved", pledger=newcomer))
    assert found[newcomer].title == "承诺已通过审核：《带头搞好教书育人》"


def _evaluation(org, sample_data, subject):
    return sample_data("evaluation.completed", subject_person_id=subject, unit_id=org.branch, target_kind="member_year",
                       score=82, level="good", breakdown=[
                           {"party": "self", "weight": 40, "score": 85, "raters": 1},
                           {"party": "masses", "weight": 60, "score": None, "raters": 2}])


def test_an_evaluation_result_goes_to_the_member_and_their_branch_secretary(org, sample_data):
    found = notices(org, "evaluation.completed", _evaluation(org, sample_data, org.member))
    assert set(found) == {org.member, org.secretary}
    assert found[org.member].body.startswith("您的年度民主评议已完成：综合得分 82.0 分，等次“良好”。")
    assert "群众评议（权重 60%）：不予显示（参评人数不足）" in found[org.member].body
    assert found[org.secretary].title == "Evaluation result for 陈党员: annual democratic evaluation"
    assert "not shown (too few raters)" in found[org.secretary].body
    assert {n.kind for n in found.values()} == {NoticeKind.RESULT}


def test_a_branchs_own_evaluation_goes_to_its_secretaries_naming_the_branch(org, sample_data):
    found = notices(org, "evaluation.completed", _evaluation(org, sample_data, None))
    assert list(found) == [org.secretary]
    assert found[org.secretary].title == "Evaluation result for 教工第一党支部: annual democratic evaluation"


def test_an_opened_cycle_goes_to_the_secretaries_of_every_branch_in_it_once_each(org, sample_data):
    org.directory.roles.add((org.secretary, "branch_secretary", org.other_branch))
    data = sample_data("grading.cycle_opened", year=2025, branch_ids=[org.branch, org.other_branch],
                       self_assessment_deadline="2025-12-15")
    found = notices(org, "grading.cycle_opened", data)
    assert set(found) == {org.secretary, org.other_secretary}
    assert found[org.other_secretary].body == "2025年度基层党组织晋位升级工作已启动，请于 2025-12-15 前完成本支部自评。"
    assert found[org.secretary].kind is NoticeKind.TASK


@pytest.mark.parametrize("event_type", ["grading.level_finalised", "grading.published"])  # and its old name
def test_a_final_grade_goes_to_that_branchs_secretaries(org, sample_data, event_type):
    data = sample_data(event_type, branch_id=org.other_branch, year=2025, grade="advanced",
                       previous_grade="ordinary", total=91.5)
    found = notices(org, event_type, data)
    assert list(found) == [org.other_secretary]
    assert found[org.other_secretary].title == "2025年度定级结果：学生第一党支部“先进”"


def test_publicity_tells_every_branch_and_general_branch_secretary_once_with_the_objection_deadline(org, sample_data):
    org.directory.roles.add((org.reviewer, "branch_secretary", org.branch))  # both: told once, as the superior
    data = sample_data("grading.publicity_started", year=2025, branch_ids=[org.branch, org.other_branch],
                       general_branch_ids=[org.general_branch], publicity_ends_on="2025-12-12",
                       objection_deadline="2025-12-12T15:59:00+00:00")
    found = notices(org, "grading.publicity_started", data)
    assert set(found) == {org.reviewer, org.secretary, org.other_secretary}
    assert found[org.other_secretary].body.startswith("2025年度基层党组织分类定级结果已公示，公示期至 2025-12-12，"
                                                      "异议受理截止时间 2025-12-12 23:59（北京时间）")
    assert "objections are taken until 2025-12-12 23:59 (Beijing time)" in found[org.secretary].body
    assert "请及时答复" in found[org.reviewer].body
    assert found[org.reviewer].link == f"/grading/publicity?cycle={data['cycle_id']}"


def test_a_member_who_fulfils_their_own_pledge_is_not_told_so(org, sample_data):
    own_act = member_pledge(org, sample_data, "pledge.fulfilled", actor_id=org.member)
    assert notices(org, "pledge.fulfilled", own_act) == {}
    # the reviewer who returns a pledge is the actor; the member still hears of it
    returned = member_pledge(org, sample_data, "pledge.returned", actor_id=org.reviewer, reason="不具体")
    assert list(notices(org, "pledge.returned", returned)) == [org.member]


def test_the_weekly_overdue_list_goes_to_the_branch_secretaries(org, sample_data):
    data = sample_data("pledge.overdue_list", unit_id=org.other_branch, week="2025-W10", pledges=[
        {"pledge_id": str(uuid.uuid4()), "pledger_kind": "member", "pledger_id": str(org.member),
         "title": "带头搞好教书育人", "due_date": "2025-02-28"},
        {"pledge_id": str(uuid.uuid4()), "pledger_kind": "unit", "pledger_id": str(org.other_branch),
         "title": "迎新服务", "due_date": "2025-03-01"}])
    found = notices(org, "pledge.overdue_list", data)
    assert list(found) == [org.other_secretary]
    notice = found[org.other_secretary]
    assert notice.title == "本周逾期承诺清单：学生第一党支部（2 项）"
    assert notice.body.splitlines()[1:] == ["· 《带头搞好教书育人》（完成时限 2025-02-28）",
                                            "· 《迎新服务》（完成时限 2025-03-01）"]


def test_a_reminder_to_pledge_tells_each_listed_member_once_in_their_language(org, sample_data):
    # the secretary who asked is listed too (no pledge of their own): a reminder names no actor to leave out
    data = sample_data("pledge.reminder_requested", unit_id=org.branch, year=2025, requested_by=org.secretary,
                       member_ids=[org.member, org.english_member, org.member, org.former_member, org.secretary])
    found = notices(org, "pledge.reminder_requested", data)
    assert sorted(found, key=str) == sorted([org.member, org.english_member, org.secretary], key=str)
    zh, en = found[org.member], found[org.english_member]
    assert zh.kind is NoticeKind.REMINDER and zh.title == "请作出2025年度承诺"
    assert zh.body.startswith("教工第一党支部提醒您：您还没有作出 2025 年度承诺。")
    assert en.title == "Please make your 2025 annual pledge"
    assert en.body.startswith("教工第一党支部 reminds you that you have not made your annual pledge for 2025 yet.")
    assert zh.link == en.link == "/pledges/mine?year=2025"
    assert zh.group_key == f"unit:{org.branch}"


def test_each_rater_is_asked_with_the_deadline_in_beijing_time(org, sample_data):
    data = sample_data("evaluation.requested", subject_person_id=org.member, unit_id=org.branch,
                       target_kind="member_year", party="peer", rater_ids=[org.secretary, org.other_secretary,
                                                                           org.former_member],
                       deadline="2025-03-10T16:00:00+00:00")
    found = notices(org, "evaluation.requested", data)
    assert set(found) == {org.secretary, org.other_secretary}
    assert found[org.other_secretary].body == "请以“党员互评”身份参加陈党员的年度民主评议，截止时间 2025-03-11 00:00（北京时间）。"
    assert found[org.secretary].title == "Please take part: annual democratic evaluation of 陈党员"
    assert found[org.secretary].kind is NoticeKind.TASK


def test_an_incomplete_round_tells_the_subject_and_the_branch_what_is_missing(org, sample_data):
    data = sample_data("evaluation.incomplete", subject_person_id=org.member, unit_id=org.branch,
                       target_kind="pledge", missing_parties=["masses", "leader"])
    found = notices(org, "evaluation.incomplete", data)
    assert set(found) == {org.member, org.secretary}
    assert found[org.member].body.endswith("缺少：群众评议、领导点评。")
    assert found[org.secretary].body.endswith("Missing: evaluation by the masses, leader's comment.")


def _case(org, sample_data, event_type, responsible, **extra):
    deadline = "2025-03-02T02:30:00+00:00"
    if event_type == "feedback.negative":  # v3: the place, and its one case here
        place = {k: extra.pop(k) for k in ("window_id", "source") if k in extra}
        case = {"case_id": str(uuid.uuid4()), "level": 1, "reasons": [], "deadline": deadline, **extra}
        return sample_data(event_type, unit_id=org.branch, responsible_id=responsible, cases=[case], **place)
    return sample_data(event_type, unit_id=org.branch, responsible_id=responsible, deadline=deadline, **extra)


def test_a_bad_rating_goes_to_the_responsible_person_else_to_the_branch(org, sample_data):
    with_person = _case(org, sample_data, "feedback.negative", org.member, level=1, reasons=["服务态度", "服务效率"])
    found = notices(org, "feedback.negative", with_person)
    assert list(found) == [org.member]
    assert found[org.member].body == ("教工第一党支部的服务窗口收到“非常不满意”评价（原因：服务态度、服务效率），"
                                      "请于 2025-03-02 10:30（北京时间）前核实整改并回访。")
    nobody = _case(org, sample_data, "feedback.negative", None, level=2, reasons=[])
    found = notices(org, "feedback.negative", nobody)
    assert list(found) == [org.secretary]
    assert "rated “dissatisfied” (reasons: no reason given)" in found[org.secretary].body


def test_an_overdue_follow_up_is_escalated_to_the_general_branch(org, sample_data):
    found = notices(org, "feedback.followup_overdue", _case(org, sample_data, "feedback.followup_overdue", org.member))
    assert set(found) == {org.member, org.reviewer}
    assert "已报党总支督办" in found[org.member].body
    assert found[org.reviewer].title == "差评整改逾期督办：教工第一党支部"
    direct = sample_data("feedback.followup_overdue", unit_id=org.direct_branch, responsible_id=org.member)
    assert list(notices(org, "feedback.followup_overdue", direct)) == [org.member]


def test_rectification_news_goes_to_the_task_owner_and_the_branch(org, sample_data):
    overdue = sample_data("rectification.task_overdue", branch_id=org.branch, owner_id=org.member,
                          title="规范三会一课", deadline="2025-06-30")
    found = notices(org, "rectification.task_overdue", overdue)
    assert set(found) == {org.member, org.secretary}
    assert found[org.member].body == "您负责的整改任务《规范三会一课》已超过完成时限（2025-06-30），请尽快完成。"
    accepted = sample_data("rectification.accepted", branch_id=org.other_branch, passed=False, notes="台账不全")
    found = notices(org, "rectification.accepted", accepted)
    assert list(found) == [org.other_secretary]
    assert found[org.other_secretary].title == "整改考核验收结果：学生第一党支部未通过验收"
    assert found[org.other_secretary].kind is NoticeKind.RESULT


def test_a_complaint_to_a_unit_names_no_window(org, sample_data):
    data = _case(org, sample_data, "feedback.negative", org.secretary, level=2, reasons=["意见箱投诉"],
                 window_id=None, source="suggestion")
    found = notices(org, "feedback.negative", data)
    assert list(found) == [org.secretary]
    assert found[org.secretary].body.startswith("教工第一党支部 was rated “dissatisfied” (reasons: 意见箱投诉).")


def test_a_star_window_goes_to_its_responsible_person_and_a_service_model_to_the_member(org, sample_data):
    window = sample_data("evaluation.star_graded", scope="window", unit_id=org.branch, responsible_id=org.member,
                         month="2025-02", stars=5, previous_stars=4, satisfaction_rate=0.99, ratings=120)
    found = notices(org, "evaluation.star_graded", window)
    assert list(found) == [org.member]
    assert found[org.member].title == "星级窗口评定：教工第一党支部 2025-02 5星"
    assert found[org.member].body == "教工第一党支部的服务窗口 2025-02 的群众满意率为 99.0%，评定为“5星”（上次：4星）。"
    member = sample_data("evaluation.star_graded", scope="on_duty", unit_id=org.branch, responsible_id=org.member,
                         month="2025-02", stars=0, previous_stars=None, satisfaction_rate=None, ratings=None)
    [notice] = notices(org, "evaluation.star_graded", member).values()
    assert notice.body == "您 2025-02 值守服务窗口的群众满意率为 （评价人数不足，不予显示），评定为“未评星”。"
