"""``evaluation.*`` and ``feedback.*``: judgements people make (三评), from evaluation-service."""
from marshmallow import fields, validate

from .labels import LEVEL_WORDS, PARTY_WORDS
from .registry import EventData, event_schema

TARGET_KINDS = ("pledge", "member_year", "branch", "window")
PARTIES = tuple(PARTY_WORDS)  # 个人自评 / 党员互评 / 群众评议 / 领导点评
LEVELS = tuple(LEVEL_WORDS)  # 优秀 / 良好 / 一般 / 较差


class PartyResult(EventData):
    party = fields.String(required=True, validate=validate.OneOf(PARTIES))
    weight = fields.Float(required=True)
    # None when fewer raters took part than anonymity allows to show
    score = fields.Float(allow_none=True, load_default=None)
    raters = fields.Integer(required=True)


@event_schema("evaluation.round_opened", 1)
class RoundOpened(EventData):
    round_id = fields.UUID(required=True)
    target_kind = fields.String(required=True, validate=validate.OneOf(TARGET_KINDS))
    target_id = fields.UUID(required=True)
    subject_person_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    parties = fields.List(fields.String(validate=validate.OneOf(PARTIES)), required=True)
    deadline = fields.AwareDateTime(required=True)


# Routed by its target: most rounds are of one kind (a pledge, a branch, a window), and each consumer but notification
# keeps one kind only; bound to its kind, a queue is not handed (and does not decode, validate and claim) the others.
@event_schema("evaluation.completed", 1, routed_by="target_kind")
class EvaluationCompleted(EventData):
    round_id = fields.UUID(required=True)
    target_kind = fields.String(required=True, validate=validate.OneOf(TARGET_KINDS))
    target_id = fields.UUID(required=True)
    subject_person_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    score = fields.Float(required=True, validate=validate.Range(0, 100))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    breakdown = fields.List(fields.Nested(PartyResult), required=True)


@event_schema("feedback.negative", 1)
class NegativeFeedback(EventData):
    """A 不满意 / 非常不满意 rating or a complaint: opens a follow-up case (差评整改)."""

    case_id = fields.UUID(required=True)
    window_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    reasons = fields.List(fields.String(), load_default=list)
    deadline = fields.AwareDateTime(required=True)


@event_schema("evaluation.requested", 1)
class EvaluationRequested(EventData):
    """Raters of one party are asked to take part in a round (to each rater)."""

    round_id = fields.UUID(required=True)
    target_kind = fields.String(required=True, validate=validate.OneOf(TARGET_KINDS))
    target_id = fields.UUID(required=True)
    subject_person_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    party = fields.String(required=True, validate=validate.OneOf(PARTIES))
    rater_ids = fields.List(fields.UUID(), required=True)
    deadline = fields.AwareDateTime(required=True)


@event_schema("evaluation.incomplete", 1)
class EvaluationIncomplete(EventData):
    """The deadline passed without the quorum: no result."""

    round_id = fields.UUID(required=True)
    target_kind = fields.String(required=True, validate=validate.OneOf(TARGET_KINDS))
    target_id = fields.UUID(required=True)
    subject_person_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    missing_parties = fields.List(fields.String(validate=validate.OneOf(PARTIES)), required=True)


@event_schema("evaluation.window_satisfaction", 1)
class WindowSatisfaction(EventData):
    """A window's masses' ratings over a month, as they stand (feeds 群众评价 in grading)."""

    window_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    ratings = fields.Integer(required=True)  # counted ones: upheld appeals excluded
    satisfied = fields.Integer(required=True)  # 非常满意 + 满意 + 基本满意
    satisfaction_rate = fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 1))
    as_of = fields.AwareDateTime(required=True)


@event_schema("evaluation.window_satisfaction", 2)
class WindowSatisfactionV2(EventData):
    """A window's month as the anonymity guard shows it: counts only when shown, so that nothing added up
    downstream tells what the guard hides (v1 sent every month's raw counts)."""

    window_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    shown = fields.Boolean(required=True)
    ratings = fields.Integer(allow_none=True, load_default=None)  # counted ones: upheld appeals excluded
    satisfied = fields.Integer(allow_none=True, load_default=None)  # 非常满意 + 满意 + 基本满意
    satisfaction_rate = fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 1))
    as_of = fields.AwareDateTime(required=True)


@event_schema("feedback.followup_overdue", 1)
class FollowupOverdue(EventData):
    """A bad-rating follow-up case passed its deadline: escalated to the general branch."""

    case_id = fields.UUID(required=True)
    window_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    deadline = fields.AwareDateTime(required=True)


@event_schema("feedback.followup_closed", 1)
class FollowupClosed(EventData):
    case_id = fields.UUID(required=True)
    window_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    called_back = fields.Boolean(required=True)
    action_taken = fields.String(required=True)


FEEDBACK_SOURCES = ("rating", "suggestion")  # a bad rating, or a complaint to the suggestion box


class FollowupCaseV2(EventData):
    """What every v2 event of a follow-up case (差评整改) says: the case, the window if there is one, the
    unit, who answers for it, and whether a rating or a suggestion opened it."""

    case_id = fields.UUID(required=True)
    window_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    source = fields.String(required=True, validate=validate.OneOf(FEEDBACK_SOURCES))


@event_schema("feedback.negative", 2)
class NegativeFeedbackV2(FollowupCaseV2):
    """v2: a complaint to a unit names no window (its branch secretary follows it up), and says where it came from."""

    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    reasons = fields.List(fields.String(), load_default=list)
    deadline = fields.AwareDateTime(required=True)


class NegativeCase(EventData):
    """One case of a v3 event: its own level, reasons and deadline."""

    case_id = fields.UUID(required=True)
    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    reasons = fields.List(fields.String(), load_default=list)
    deadline = fields.AwareDateTime(required=True)


@event_schema("feedback.negative", 3)
class NegativeFeedbackV3(EventData):
    """v3: the cases one request opened at one place, in one event (a kiosk's batch with five bad ratings sent
    five events and made five notices). Each case is still deadlined, closed and escalated on its own; v1 and v2
    are still read (one case each), so a consumer upgraded first reads what the old producer still sends."""

    window_id = fields.UUID(allow_none=True, load_default=None)
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    source = fields.String(required=True, validate=validate.OneOf(FEEDBACK_SOURCES))
    cases = fields.List(fields.Nested(NegativeCase), required=True, validate=validate.Length(min=1))


@event_schema("feedback.followup_overdue", 2)
class FollowupOverdueV2(FollowupCaseV2):
    """v2: the case may concern a unit without a window."""

    deadline = fields.AwareDateTime(required=True)


@event_schema("feedback.followup_closed", 2)
class FollowupClosedV2(FollowupCaseV2):
    """v2: the case may concern a unit without a window."""

    called_back = fields.Boolean(required=True)
    action_taken = fields.String(required=True)


@event_schema("evaluation.star_graded", 1)
class StarGraded(EventData):
    """A window (星级窗口) or a member on duty (服务标兵) got its stars for a month, or they changed."""

    scope = fields.String(required=True, validate=validate.OneOf(("window", "on_duty")))
    key = fields.UUID(required=True)  # the window, or the member on duty
    unit_id = fields.UUID(required=True)
    # who hears of it: the window's responsible person, or the member
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    stars = fields.Integer(required=True, validate=validate.Range(0, 5))  # 0: not graded (too few ratings)
    previous_stars = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(0, 5))
    ratings = fields.Integer(allow_none=True, load_default=None)  # None when too few to show
    satisfaction_rate = fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 1))
    graded_at = fields.AwareDateTime(required=True)
