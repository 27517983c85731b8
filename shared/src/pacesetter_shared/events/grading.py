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
