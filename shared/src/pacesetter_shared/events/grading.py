"""``grading.*`` and ``rectification.*``: the yearly grading of branches (晋位升级)."""
from marshmallow import fields, validate

from .labels import GRADE_WORDS
from .registry import EventData, event_schema

GRADES = tuple(GRADE_WORDS)  # 先进 / 一般 / 后进


@event_schema("grading.cycle_opened", 1)
class CycleOpened(EventData):
    cycle_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    branch_ids = fields.List(fields.UUID(), required=True)
    self_assessment_deadline = fields.Date(required=True)


@event_schema("grading.publicity_started", 1)
class PublicityStarted(EventData):
    """公示: the cycle's levels are shown to the organisation; objections are taken until the deadline."""

    cycle_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    branch_ids = fields.List(fields.UUID(), required=True)
    general_branch_ids = fields.List(fields.UUID(), required=True)  # above the cycle's branches
    publicity_ends_on = fields.Date(required=True)  # its last day, in Shanghai
    objection_deadline = fields.AwareDateTime(required=True)  # the last moment an objection is taken (UTC)


@event_schema("grading.level_finalised", 1)
class LevelFinalised(EventData):
    """结果确定: a branch's level is final once the publicity period is over and every objection answered."""

    cycle_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    branch_id = fields.UUID(required=True)
    grade = fields.String(required=True, validate=validate.OneOf(GRADES))
    previous_grade = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(GRADES))
    total = fields.Float(required=True)


# The name grading.level_finalised had before #21: no longer produced, still read, because an upgrade may
# find some in an outbox not yet relayed, in a queue, its retry queues or its dead letters (replayable).
@event_schema("grading.published", 1)
class GradePublished(LevelFinalised):
    pass


@event_schema("rectification.task_overdue", 1)
class RectificationTaskOverdue(EventData):
    """整改提高: a task of a branch's rectification plan passed its deadline."""

    cycle_id = fields.UUID(required=True)
    branch_id = fields.UUID(required=True)
    task_id = fields.UUID(required=True)
    title = fields.String(required=True)
    owner_id = fields.UUID(allow_none=True, load_default=None)
    deadline = fields.Date(required=True)


@event_schema("rectification.accepted", 1)
class RectificationAccepted(EventData):
    """考核验收: the general branch's verdict on a branch's last rectification."""

    cycle_id = fields.UUID(required=True)  # the cycle whose rectification was inspected
    branch_id = fields.UUID(required=True)
    passed = fields.Boolean(required=True)
    notes = fields.String(load_default="")
