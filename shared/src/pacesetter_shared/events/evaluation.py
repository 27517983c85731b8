"""``evaluation.*`` and ``feedback.*``: judgements people make (三评), from evaluation-service."""
from marshmallow import fields, validate

from .registry import EventData, event_schema

TARGET_KINDS = ("pledge", "member_year", "branch", "window")
PARTIES = ("self", "peer", "masses", "leader")  # 个人自评 / 党员互评 / 群众评议 / 领导点评
LEVELS = ("excellent", "good", "fair", "poor")  # 优秀 / 良好 / 一般 / 较差


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


@event_schema("evaluation.completed", 1)
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
