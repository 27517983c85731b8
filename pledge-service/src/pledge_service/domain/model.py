"""Pledges and their life cycle (承诺 → 审核 → 公开 → 践诺 → 评议). Plain Python: no framework here."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from pacesetter_shared.i18n import _, term


class PledgeError(Exception):
    """A rule of the pledge system was broken by the request."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class InvalidPledge(PledgeError):
    pass


class IllegalTransition(PledgeError):
    pass


class PledgeKind(str, Enum):
    ANNUAL = "annual"  # 年度承诺: made at the start of the year, evaluated once a year
    INSTANT = "instant"  # 即时承诺: phase work, a temporary task or an emergency, evaluated one by one


class PledgeMode(str, Enum):
    INDIVIDUAL = "individual"  # 党员个人承诺
    COLLECTIVE = "collective"  # 党员集体承诺
    WITH_MASSES = "with_masses"  # 党员带领群众共同承诺


class LeadArea(str, Enum):
    """五带头: the five areas in which a member takes the lead."""

    STUDY = "study"  # 带头学习提高
    ACHIEVEMENT = "achievement"  # 带头争创佳绩
    SERVING_MASSES = "serving_masses"  # 带头服务群众
    DISCIPLINE = "discipline"  # 带头遵纪守法
    UPRIGHT_SPIRIT = "upright_spirit"  # 带头弘扬正气


class InstantTrigger(str, Enum):
    PHASE_WORK = "phase_work"  # 阶段性重点工作
    TEMPORARY_TASK = "temporary_task"  # 临时性任务
    EMERGENCY = "emergency"  # 突发性事件


class PledgeState(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"  # 审核通过
    PUBLISHED = "published"  # 公开承诺
    OVERDUE = "overdue"
    FULFILLED = "fulfilled"  # 践诺完成
    EVALUATED = "evaluated"  # 评议结果已记录
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


S = PledgeState
# action -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[frozenset[PledgeState], PledgeState | None]] = {
    "submit": (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    "return": (frozenset({S.SUBMITTED}), S.RETURNED),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED),
    "publish": (frozenset({S.APPROVED}), S.PUBLISHED),
    "report_progress": (frozenset({S.PUBLISHED, S.OVERDUE}), None),
    "mark_overdue": (frozenset({S.PUBLISHED}), S.OVERDUE),
    "fulfil": (frozenset({S.PUBLISHED, S.OVERDUE}), S.FULFILLED),
    "record_evaluation": (frozenset({S.PUBLISHED, S.OVERDUE, S.FULFILLED}), S.EVALUATED),
    "close": (frozenset({S.EVALUATED}), S.CLOSED),
    "withdraw": (frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.PUBLISHED, S.OVERDUE}), S.WITHDRAWN),
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


def allowed_actions(state: PledgeState) -> list[str]:
    return sorted(action for action, (sources, _) in TRANSITIONS.items() if state in sources)


@dataclass(frozen=True)
class Transition:
    action: str
    from_state: PledgeState
    to_state: PledgeState
    actor_id: uuid.UUID
    at: datetime
    reason: str | None = None
    actor_name: str | None = None  # for display, from the directory; None for the system (overdue, result)


@dataclass(frozen=True)
class EvaluationResult:
    """The outcome of the pledge's evaluation round (评议结果), as evaluation-service sent it."""

    round_id: uuid.UUID
    score: float
    level: str
    at: datetime


@dataclass(frozen=True)
class ProgressReport:
    """A dated account of what was done (践诺记录), with evidence and attachment metadata."""

    id: uuid.UUID
    pledge_id: uuid.UUID
    reported_on: date
    evidence: str
    attachments: list[dict]
    reporter_id: uuid.UUID  # the pledger or, on a collective pledge, the participant who reported
    created_at: datetime
    reporter_name: str | None = None  # for display, from the directory


@dataclass
class Pledge:
    id: uuid.UUID
    pledger_kind: str  # "member" or "unit" (基层党组织承诺)
    pledger_id: uuid.UUID
    unit_id: uuid.UUID  # the branch it belongs to
    kind: PledgeKind
    mode: PledgeMode
    title: str
    content: str
    due_date: date
    year: int
    areas: list[LeadArea]
    targets: list[str] = field(default_factory=list)  # measurable targets or milestones
    trigger: InstantTrigger | None = None
    participant_ids: list[uuid.UUID] = field(default_factory=list)  # collective: fellow members
    masses_participants: list[str] = field(default_factory=list)  # with the masses: who joined
    linked_to: uuid.UUID | None = None  # the organisation pledge a member's pledge supports
    state: PledgeState = S.DRAFT
    created_at: datetime | None = None
    return_reason: str | None = None
    fulfilled_at: datetime | None = None
    evaluation: EvaluationResult | None = None
    progress_count: int = 0
    # for display, from the directory: who pledged (a member's or the unit's name) and the branch's name
    pledger_name: str | None = None
    unit_name: str | None = None
    history: list[Transition] = field(default_factory=list)
    new_transitions: list[Transition] = field(default_factory=list, repr=False)

    @classmethod
    def draft(cls, *, id: uuid.UUID, pledger_kind: str, pledger_id: uuid.UUID, unit_id: uuid.UUID,
              kind: PledgeKind, mode: PledgeMode, title: str, content: str, due_date: date,
              areas: list[LeadArea], today: date, now: datetime, targets: list[str] | None = None,
              trigger: InstantTrigger | None = None, participant_ids: list[uuid.UUID] | None = None,
              masses_participants: list[str] | None = None, linked_to: uuid.UUID | None = None) -> "Pledge":
        pledge = cls(id=id, pledger_kind=pledger_kind, pledger_id=pledger_id, unit_id=unit_id, kind=kind,
                     mode=mode, title=title.strip(), content=content.strip(), due_date=due_date,
                     year=today.year if kind is PledgeKind.INSTANT else due_date.year,
                     areas=list(dict.fromkeys(areas)), targets=list(targets or []), trigger=trigger,
                     participant_ids=list(dict.fromkeys(participant_ids or [])),
                     masses_participants=list(masses_participants or []), linked_to=linked_to, created_at=now)
        pledge.check(today)
        return pledge

    def check(self, today: date) -> None:
        """The rules a pledge's content must keep; raises InvalidPledge naming each field."""
        errors: dict[str, list[str]] = {}
        if not self.title:
            errors["title"] = [_("must not be empty")]
        if not self.areas:
            errors["areas"] = [_("choose at least one of the five areas")]
        if self.due_date < today:
            errors["due_date"] = [_("must not be in the past")]
        if self.kind is PledgeKind.INSTANT and self.trigger is None:
            errors["trigger"] = [_("an instant pledge records what prompted it")]
        if self.kind is PledgeKind.ANNUAL and self.trigger is not None:
            errors["trigger"] = [_("only instant pledges have a trigger")]
        if self.mode is PledgeMode.COLLECTIVE and len(set(self.participant_ids) | {self.pledger_id}) < 2:
            errors["participant_ids"] = [_("a collective pledge needs at least two members")]
        if self.mode is PledgeMode.WITH_MASSES and not self.masses_participants:
            errors["masses_participants"] = [_("record who among the masses takes part")]
        if self.linked_to is not None and self.pledger_kind != "member":
            errors["linked_to"] = [_("only a member's pledge is linked to an organisation pledge")]
        if errors:
            raise InvalidPledge(_("The pledge is not valid."), errors)

    @property
    def participants(self) -> list[uuid.UUID]:
        """The fellow members of a collective pledge (党员集体承诺), whose pledge it is too; nobody else's.

        Ids left from an earlier collective draft edited to another mode name nobody.
        """
        if self.pledger_kind != "member" or self.mode is not PledgeMode.COLLECTIVE:
            return []
        return [i for i in self.participant_ids if i != self.pledger_id]

    def takes_part(self, person_id: uuid.UUID) -> bool:
        """A participant reads the pledge and reports progress on it as the pledger does."""
        return person_id in self.participants

    def edit(self, today: date, **changes) -> None:
        if self.state not in EDITABLE:
            raise IllegalTransition(
                _("A {state} pledge cannot be edited.", state=term("pledge_state", self.state.value)),
                {"state": self.state.value, "allowed": allowed_actions(self.state)})
        for name, value in changes.items():
            setattr(self, name, value)
        if self.kind is PledgeKind.ANNUAL:
            self.year = self.due_date.year
        self.check(today)

    def report_progress(self, *, report_id: uuid.UUID, reported_on: date, evidence: str,
                        attachments: list[dict], actor_id: uuid.UUID, today: date, now: datetime) -> ProgressReport:
        """A progress report (践诺进展) is only for a public, running pledge, dated no later than today."""
        if reported_on > today:
            raise InvalidPledge(_("A progress report cannot be dated in the future."),
                                {"reported_on": [_("must not be after today")]})
        if not evidence.strip():
            raise InvalidPledge(_("Say what was done."), {"evidence": [_("must not be empty")]})
        self.apply("report_progress", actor_id, now)
        self.progress_count += 1
        return ProgressReport(report_id, self.id, reported_on, evidence.strip(), list(attachments), actor_id, now)

    def record_evaluation(self, result: EvaluationResult, actor_id: uuid.UUID) -> bool:
        """Keep the evaluation result; False when this round's result is already here (a duplicate).

        The round may finish before the pledger declares completion (a published or overdue
        pledge); the result is kept either way and the pledge moves to evaluated when it may.
        """
        if self.evaluation is not None and self.evaluation.round_id == result.round_id:
            return False
        self.evaluation = result
        if self.state in TRANSITIONS["record_evaluation"][0]:
            self.apply("record_evaluation", actor_id, result.at)
        return True

    def is_due_soon(self, today: date, days: int) -> bool:
        return self.state is S.PUBLISHED and today <= self.due_date <= today + timedelta(days=days)

    def is_past_due(self, today: date) -> bool:
        return self.state is S.PUBLISHED and self.due_date < today

    def apply(self, action: str, actor_id: uuid.UUID, now: datetime, reason: str | None = None) -> Transition:
        sources, target = TRANSITIONS[action]
        if self.state not in sources:
            raise IllegalTransition(
                _("Cannot {action} a {state} pledge.", action=term("pledge_action", action, action.replace("_", " ")),
                  state=term("pledge_state", self.state.value)),
                {"state": self.state.value, "allowed": allowed_actions(self.state)})
        if action in ("return", "withdraw") and not (reason and reason.strip()):
            raise InvalidPledge(_("A reason is required to {action}.", action=term("pledge_action", action)),
                                {"reason": [_("required")]})
        before = self.state
        if target is not None:
            self.state = target
        if action == "return":
            self.return_reason = reason
        elif action == "submit":
            self.return_reason = None
        elif action == "fulfil":
            self.fulfilled_at = now
        transition = Transition(action, before, self.state, actor_id, now, reason)
        self.history.append(transition)
        self.new_transitions.append(transition)
        return transition


# Guidance by department kind (分类指导): suggested areas and wording for the portal.
GUIDANCE = {
    "teaching": {
        "areas": [LeadArea.STUDY, LeadArea.ACHIEVEMENT, LeadArea.SERVING_MASSES],
        "themes_zh": ["贯彻党的教育方针", "推进教育改革", "搞好教书育人", "加强教学科研"],
        "themes_en": ["Carry out the Party's education policy", "Advance education reform",
                      "Teach and educate well", "Strengthen teaching and research"],
    },
    "administrative": {
        "areas": [LeadArea.SERVING_MASSES, LeadArea.DISCIPLINE, LeadArea.UPRIGHT_SPIRIT],
        "themes_zh": ["改进作风", "提高效能", "服务师生", "廉洁自律"],
        "themes_en": ["Improve work style", "Raise efficiency", "Serve staff and students", "Integrity"],
    },
    "other": {
        "areas": [LeadArea.SERVING_MASSES, LeadArea.ACHIEVEMENT],
        "themes_zh": ["建设群众满意窗口", "创造优质服务品牌", "提高服务水平"],
        "themes_en": ["Build windows the masses are satisfied with", "Create a quality service brand",
                      "Raise the level of service"],
    },
}
