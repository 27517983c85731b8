"""整改提高 and 考核验收: a branch's plan after its classification, its tasks, and the next year's verdict.

Plain Python: no framework here.
"""
from __future__ import annotations

from datetime import date
from enum import Enum

from pacesetter_shared.i18n import _

from .model import Grade, InvalidGrading


class Emphasis(str, Enum):
    """巩固先进、推动一般、整顿后进: what a plan stresses, set by the branch's level."""

    CONSOLIDATE = "consolidate"  # 巩固先进
    PUSH = "push"  # 推动一般
    OVERHAUL = "overhaul"  # 整顿后进


EMPHASIS_BY_LEVEL = {Grade.ADVANCED: Emphasis.CONSOLIDATE, Grade.ORDINARY: Emphasis.PUSH,
                     Grade.LAGGING: Emphasis.OVERHAUL}
EMPHASIS_LABELS = {Emphasis.CONSOLIDATE: "巩固先进", Emphasis.PUSH: "推动一般", Emphasis.OVERHAUL: "整顿后进"}

# 考核验收: is the organisation stronger, are the main problems solved, are members and the masses satisfied?
ACCEPTANCE_QUESTIONS = ("organisation_stronger", "problems_solved", "masses_satisfied")


class TaskState(str, Enum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


def emphasis_for(level: Grade) -> Emphasis:
    return EMPHASIS_BY_LEVEL[Grade(level)]


def check_deadline(deadline: date, today: date, field: str = "deadline") -> None:
    if deadline < today:
        raise InvalidGrading(_("A deadline cannot lie in the past."), {field: [_("{date} < today", date=deadline.isoformat())]})


def state_after_progress(percent: int) -> TaskState | None:
    """A task reported at 100 % is done; other reports leave its state as it is."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidGrading(_("Progress is a whole percentage from 0 to 100."), {"percent": [str(percent)]})
    return TaskState.DONE if percent == 100 else None


def is_overdue(state: TaskState, deadline: date, today: date) -> bool:
    """Past its deadline (a Shanghai date) and not done; an overdue task is announced once."""
    return TaskState(state) is TaskState.OPEN and today > deadline


def acceptance_passed(answers: dict[str, bool]) -> bool:
    """Passed when all three questions are answered yes."""
    missing = [q for q in ACCEPTANCE_QUESTIONS if not isinstance(answers.get(q), bool)]
    if missing:
        raise InvalidGrading(_("Answer each of the three questions of acceptance."), {q: [_("required")] for q in missing})
    return all(answers[q] for q in ACCEPTANCE_QUESTIONS)
