"""The suggestion box (意见箱) and appeals against ratings (申诉复核). Plain Python."""
from __future__ import annotations

from enum import Enum

from .model import EvaluationError, InvalidEvaluation


class IllegalStep(EvaluationError):
    """The note or appeal is not in a state that allows this."""


class SuggestionState(str, Enum):
    OPEN = "open"  # 待处理
    IN_PROGRESS = "in_progress"  # 处理中
    ANSWERED = "answered"  # 已答复
    CLOSED = "closed"  # 已关闭


NEXT_STATES = {
    SuggestionState.OPEN: {SuggestionState.IN_PROGRESS, SuggestionState.ANSWERED, SuggestionState.CLOSED},
    SuggestionState.IN_PROGRESS: {SuggestionState.ANSWERED, SuggestionState.CLOSED},
    SuggestionState.ANSWERED: {SuggestionState.CLOSED},
    SuggestionState.CLOSED: set(),
}


def triage(current: str, to: str, reply: str | None, publish: bool) -> None:
    """Leaders move a note along open → in progress → answered / closed; an answer needs a reply."""
    current, target = SuggestionState(current), SuggestionState(to)
    if target not in NEXT_STATES[current]:
        raise IllegalStep(f"A note that is {current.value} cannot become {target.value}.",
                          {"state": [f"from {current.value}: {', '.join(sorted(s.value for s in NEXT_STATES[current])) or 'none'}"]})
    if target is SuggestionState.ANSWERED and not (reply or "").strip():
        raise InvalidEvaluation("An answer needs a reply.", {"reply": ["required to answer"]})
    if publish and not (reply or "").strip():
        raise InvalidEvaluation("Only a reply can be published.", {"publish": ["write a reply first"]})


class AppealDecision(str, Enum):
    UPHELD = "upheld"  # 申诉成立: the rating leaves statistics and rankings, and stays stored
    REJECTED = "rejected"  # 申诉不成立


def decide(current: str | None, decision: str) -> AppealDecision:
    if current is not None:
        raise IllegalStep("This appeal was decided already.", {"decision": [current]})
    return AppealDecision(decision)
