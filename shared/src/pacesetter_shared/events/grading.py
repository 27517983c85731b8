"""``grading.*`` and ``rectification.*``: the yearly grading of branches (晋位升级)."""
from marshmallow import fields, validate

from .registry import EventData, event_schema

GRADES = ("advanced", "ordinary", "lagging")  # 先进 / 一般 / 后进


@event_schema("grading.cycle_opened", 1)
class CycleOpened(EventData):
    cycle_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    branch_ids = fields.List(fields.UUID(), required=True)
    self_assessment_deadline = fields.Date(required=True)


@event_schema("grading.published", 1)
class GradePublished(EventData):
    cycle_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    branch_id = fields.UUID(required=True)
    grade = fields.String(required=True, validate=validate.OneOf(GRADES))
    previous_grade = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(GRADES))
    total = fields.Float(required=True)


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
