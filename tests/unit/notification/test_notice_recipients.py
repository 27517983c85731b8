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


def test_a_published_grade_goes_to_that_branchs_secretaries(org, sample_data):
    data = sample_data("grading.published", branch_id=org.other_branch, year=2025, grade="advanced",
                       previous_grade="ordinary", total=91.5)
    found = notices(org, "grading.published", data)
    assert list(found) == [org.other_secretary]
    assert found[org.other_secretary].title == "2025年度定级结果：学生第一党支部“先进”"
