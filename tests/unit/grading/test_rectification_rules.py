"""整改提高 and 考核验收: emphasis by level, progress, overdue tasks, the three questions of acceptance."""
from datetime import date

import pytest

from grading_service.domain.model import Grade, InvalidGrading
from grading_service.domain.rectification import (
    Emphasis, TaskState, acceptance_passed, check_deadline, emphasis_for, is_overdue, state_after_progress,
)

TODAY = date(2026, 3, 10)


def test_consolidate_the_advanced_push_the_ordinary_overhaul_the_lagging():
    assert [emphasis_for(g) for g in (Grade.ADVANCED, Grade.ORDINARY, Grade.LAGGING)] == [
        Emphasis.CONSOLIDATE, Emphasis.PUSH, Emphasis.OVERHAUL]


def test_a_deadline_today_is_fine_and_yesterday_is_refused():
    check_deadline(TODAY, TODAY)
    with pytest.raises(InvalidGrading) as refused:
        check_deadline(date(2026, 3, 9), TODAY, "tasks.0.deadline")
    assert "tasks.0.deadline" in refused.value.details


@pytest.mark.parametrize("percent, state", [(0, None), (99, None), (100, TaskState.DONE)])
def test_a_task_is_done_at_100_percent(percent, state):
    assert state_after_progress(percent) is state


@pytest.mark.parametrize("percent", [-1, 101, 50.5, True])
def test_progress_is_a_whole_percentage(percent):
    with pytest.raises(InvalidGrading):
        state_after_progress(percent)


def test_a_task_is_overdue_the_day_after_its_deadline_unless_done_or_already_announced():
    deadline = date(2026, 3, 9)
    assert not is_overdue(TaskState.OPEN, TODAY, TODAY)
    assert is_overdue(TaskState.OPEN, deadline, TODAY)
    assert not is_overdue(TaskState.DONE, deadline, TODAY)
    assert not is_overdue(TaskState.OVERDUE, deadline, TODAY)


def test_acceptance_passes_only_with_three_yes():
    yes = {"organisation_stronger": True, "problems_solved": True, "masses_satisfied": True}
    assert acceptance_passed(yes) is True
    assert acceptance_passed(yes | {"masses_satisfied": False}) is False
    with pytest.raises(InvalidGrading) as refused:
        acceptance_passed({"organisation_stronger": True})
    assert set(refused.value.details) == {"problems_solved", "masses_satisfied"}
