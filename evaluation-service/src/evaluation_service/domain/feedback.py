"""The suggestion box (意见箱) and appeals against ratings (申诉复核). Plain Python."""
from __future__ import annotations

from enum import Enum

from pacesetter_shared.i18n import _, term, term_list

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
        allowed = sorted(s.value for s in NEXT_STATES[current])
        raise IllegalStep(_("A note that is {state} cannot become {target}.", state=term("note_state", current.value),
                            target=term("note_state", target.value)),
                          {"state": [_("from {state}: {choices}", state=term("note_state", current.value),
                                       choices=term_list("note_state", allowed) if allowed else _("(none)"))]})
    if target is SuggestionState.ANSWERED and not (reply or "").strip():
        raise InvalidEvaluation(_("An answer needs a reply."), {"reply": [_("required to answer")]})
    if publish and not (reply or "").strip():
        raise InvalidEvaluation(_("Only a reply can be published."), {"publish": [_("write a reply first")]})


class AppealDecision(str, Enum):
    UPHELD = "upheld"  # 申诉成立: the rating leaves statistics and rankings, and stays stored
    REJECTED = "rejected"  # 申诉不成立


PENDING = "pending"  # an appeal not decided yet (no decision stored)
APPEAL_STATES = [PENDING, *(d.value for d in AppealDecision)]


def decide(current: str | None, decision: str, note: str) -> AppealDecision:
    """An appeal is decided once, and the decision says why: the audit keeps the reason with who and when."""
    if current is not None:
        raise IllegalStep(_("This appeal was decided already."), {"decision": [current]})
    if not note.strip():
        raise InvalidEvaluation(_("A decision needs its reason."), {"note": [_("required to decide")]})
    return AppealDecision(decision)
