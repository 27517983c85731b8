"""Progress reports, editing, evaluation results, reminders' thresholds, statistics and the ledger's cells."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from pledge_service.domain.model import (
    EvaluationResult, IllegalTransition, InstantTrigger, InvalidPledge, LeadArea, PledgeKind, PledgeMode, PledgeState,
)
from pledge_service.domain.statistics import Member, iso_week, unit_statistics
from pledge_service.adapters.ledger_export import csv_chunks, ledger_cells

from .test_pledge_model import ME, NOW, TODAY, draft

REVIEWER = uuid.uuid4()


def published(**overrides):
    pledge = draft(**overrides)
    for action in ("submit", "approve", "publish"):
        pledge.apply(action, REVIEWER, NOW)
    return pledge


def report(pledge, **overrides):
    values = dict(report_id=uuid.uuid4(), reported_on=TODAY, evidence="完成公开课一次",
                  attachments=[{"name": "照片.jpg", "url": "https://files.example/1"}], actor_id=ME, today=TODAY,
                  now=NOW)
    values.update(overrides)
    return pledge.report_progress(**values)


def result(round_id=None, level="good"):
    return EvaluationResult(round_id or uuid.uuid4(), 86.5, level, NOW)


def test_a_progress_report_is_a_dated_record_and_counts():
    pledge = published()
    first = report(pledge)
    report(pledge, reported_on=TODAY - timedelta(days=3))
    assert first.pledge_id == pledge.id and first.attachments[0]["name"] == "照片.jpg"
    assert pledge.progress_count == 2
    assert [t.action for t in pledge.history][-1] == "report_progress"
    assert pledge.state is PledgeState.PUBLISHED


@pytest.mark.parametrize("overrides, field", [
    ({"reported_on": TODAY + timedelta(days=1)}, "reported_on"),
    ({"evidence": "   "}, "evidence"),
])
def test_a_progress_report_names_what_is_wrong(overrides, field):
    pledge = published()
    with pytest.raises(InvalidPledge) as error:
        report(pledge, **overrides)
    assert field in error.value.details
    assert pledge.progress_count == 0


def test_no_progress_on_a_pledge_that_is_not_public_yet():
    pledge = draft()
    with pytest.raises(IllegalTransition) as error:
        report(pledge)
    assert error.value.details["allowed"] == ["submit", "withdraw"]


def test_editing_a_returned_pledge_rechecks_it_and_moves_its_year():
    pledge = draft()
    pledge.apply("submit", ME, NOW)
    pledge.apply("return", REVIEWER, NOW, "目标请量化")
    pledge.edit(TODAY, title="带头服务师生（修改）", due_date=date(2027, 6, 30))
    assert pledge.title == "带头服务师生（修改）" and pledge.year == 2027
    with pytest.raises(InvalidPledge) as error:
        pledge.edit(TODAY, mode=PledgeMode.COLLECTIVE)
    assert "participant_ids" in error.value.details


def test_a_submitted_pledge_cannot_be_edited():
    pledge = draft()
    pledge.apply("submit", ME, NOW)
    with pytest.raises(IllegalTransition):
        pledge.edit(TODAY, title="改")
    assert pledge.title == "带头服务师生"


def test_an_evaluation_result_is_recorded_once_and_may_come_before_fulfilment():
    pledge = published()
    round_id = uuid.uuid4()
    assert pledge.record_evaluation(result(round_id), REVIEWER) is True
    assert pledge.state is PledgeState.EVALUATED and pledge.evaluation.level == "good"
    assert pledge.record_evaluation(result(round_id, level="poor"), REVIEWER) is False
    assert pledge.evaluation.level == "good"
    assert [t.action for t in pledge.history].count("record_evaluation") == 1


def test_an_evaluation_of_a_fulfilled_pledge_moves_it_to_evaluated():
    pledge = published()
    pledge.apply("fulfil", ME, NOW)
    assert pledge.fulfilled_at == NOW
    pledge.record_evaluation(result(), REVIEWER)
    assert pledge.state is PledgeState.EVALUATED


def test_a_result_for_a_pledge_not_yet_public_is_kept_without_a_transition():
    pledge = draft()
    assert pledge.record_evaluation(result(), REVIEWER) is True
    assert pledge.state is PledgeState.DRAFT and pledge.evaluation is not None


def test_due_soon_and_past_due_only_for_published_pledges():
    pledge = published(due_date=TODAY + timedelta(days=7))
    assert pledge.is_due_soon(TODAY, 7) and not pledge.is_due_soon(TODAY, 6)
    assert not pledge.is_past_due(TODAY + timedelta(days=7)) and pledge.is_past_due(TODAY + timedelta(days=8))
    pledge.apply("fulfil", ME, NOW)
    assert not pledge.is_due_soon(TODAY, 7) and not pledge.is_past_due(TODAY + timedelta(days=8))


def test_statistics_leave_out_exempt_members_and_count_collective_participants():
    unit, year = uuid.uuid4(), 2026
    old, sick, colleague, non_member = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    members = [Member(ME, "full"), Member(colleague, "probationary"), Member(non_member, "none"),
               Member(old, "full", [{"year": 2026, "reason": "age"}]),
               Member(sick, "full", [{"year": 2025, "reason": "health"}])]
    on_time = published(unit_id=unit, areas=[LeadArea.STUDY, LeadArea.ACHIEVEMENT])
    on_time.apply("fulfil", ME, NOW)
    late = published(unit_id=unit, pledger_id=old)
    late.apply("mark_overdue", REVIEWER, NOW)
    together = published(unit_id=unit, mode=PledgeMode.COLLECTIVE, participant_ids=[colleague], pledger_id=ME)
    instant = published(unit_id=unit, kind=PledgeKind.INSTANT, trigger=InstantTrigger.EMERGENCY, pledger_id=sick)
    stats = unit_statistics(unit, year, [on_time, late, together, instant, draft(unit_id=unit)], members, NOW)
    assert stats.members_expected == 3  # ME, colleague, sick (exempt only in 2025)
    assert stats.members_with_annual_pledge == 2  # ME and colleague; the exempt pledger is not counted
    assert stats.pledges_total == 4
    assert (stats.fulfilled, stats.fulfilled_on_time, stats.overdue) == (1, 1, 1)
    assert stats.by_area["study"] == 1 and stats.by_area["serving_masses"] == 3


def test_fulfilled_after_the_due_date_is_not_on_time():
    pledge = published(due_date=TODAY)
    pledge.apply("fulfil", ME, datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))
    stats = unit_statistics(pledge.unit_id, 2026, [pledge], [Member(ME, "full")], NOW)
    assert (stats.fulfilled, stats.fulfilled_on_time) == (1, 0)


def test_only_a_collective_pledge_counts_for_the_members_it_names():
    unit, colleague = uuid.uuid4(), uuid.uuid4()
    members = [Member(ME, "full"), Member(colleague, "full")]
    no_longer_together = draft(unit_id=unit, mode=PledgeMode.COLLECTIVE, participant_ids=[colleague])
    no_longer_together.edit(TODAY, mode=PledgeMode.INDIVIDUAL)
    for action in ("submit", "approve", "publish"):
        no_longer_together.apply(action, REVIEWER, NOW)
    stats = unit_statistics(unit, 2026, [no_longer_together], members, NOW)
    assert stats.members_with_annual_pledge == 1  # the pledger alone


def test_the_iso_week_names_the_weekly_list():
    assert iso_week(date(2026, 11, 23)) == "2026-W48"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


LEDGER_ROW = {"pledger_name": "陈党员", "unit_name": "教工第一党支部", "pledger_kind": "member", "kind": "annual", "mode": "individual",
              "title": "带头搞好教书育人", "areas": ["study", "serving_masses"], "state": "evaluated",
              "created_at": datetime(2026, 2, 28, 17, 0, tzinfo=timezone.utc), "due_date": date(2026, 12, 31),
              "fulfilled_at": None, "progress_count": 3, "evaluation_level": "excellent", "evaluation_score": 95.0}


def test_ledger_cells_are_chinese_and_dates_are_shanghai_dates():
    cells = ledger_cells()(LEDGER_ROW)
    assert cells[:9] == ["陈党员", "教工第一党支部", "党员", "年度承诺", "个人承诺", "带头搞好教书育人", "",
                         "带头学习提高、带头服务群众", "已评议"]
    assert cells[9] == "2026-03-01"  # 01:00 in Shanghai
    assert cells[11:] == ["", 3, "优秀", 95.0]


def test_the_csv_starts_with_a_byte_order_mark_for_excel_and_wps():
    data = b"".join(csv_chunks([LEDGER_ROW] * 3)).decode("utf-8")
    assert data.startswith("\ufeff承诺人,")
    assert data.count("陈党员") == 3


def test_each_csv_cell_is_its_own_value_where_values_repeat():
    # the writer works each column's value out once: a count of 0 and a score of 0.0 are two values
    rows = [LEDGER_ROW | {"progress_count": 0, "evaluation_score": 0.0},
            LEDGER_ROW | {"progress_count": 1, "evaluation_score": 1.0, "pledger_name": "=刘伟", "areas": []}]
    lines = b"".join(csv_chunks(rows)).decode("utf-8").splitlines()
    assert lines[1].endswith(",0,优秀,0.0") and lines[2].endswith(",1,优秀,1.0")
    assert lines[2].startswith("'=刘伟,") and ",,已评议," in lines[2]  # a formula stays text; no area, no text


def test_an_evaluated_pledge_never_declared_fulfilled_is_not_counted_as_fulfilled():
    pledge = published()
    pledge.record_evaluation(result(), REVIEWER)
    stats = unit_statistics(pledge.unit_id, 2026, [pledge], [Member(ME, "full")], NOW)
    assert (stats.pledges_total, stats.fulfilled, stats.fulfilled_on_time) == (1, 0, 0)


def test_only_a_members_pledge_is_linked_to_an_organisation_pledge():
    assert draft(linked_to=uuid.uuid4()).linked_to is not None
    with pytest.raises(InvalidPledge) as error:
        draft(pledger_kind="unit", linked_to=uuid.uuid4())
    assert "linked_to" in error.value.details
