"""The shapes of api/rectifications.py: a rectification plan (整改提高), its tasks, progress and acceptance (考核验收)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields



class TaskIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    owner_id = fields.UUID(load_default=None, allow_none=True)
    deadline = fields.Date(required=True)


class PlanIn(Schema):
    problems = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), required=True,
                           validate=validate.Length(min=1, max=30), metadata={"description": "存在问题"})
    measures = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), required=True,
                           validate=validate.Length(min=1, max=30), metadata={"description": "整改措施"})
    owner_id = fields.UUID(required=True, metadata={"description": "责任人"})
    deadline = fields.Date(required=True)
    tasks = fields.List(fields.Nested(TaskIn), load_default=list, validate=validate.Length(max=50))


class ProgressIn(Schema):
    percent = fields.Integer(required=True, validate=validate.Range(0, 100))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class AcceptanceIn(Schema):
    organisation_stronger = fields.Boolean(required=True, metadata={"description": "组织建设是否得到新的加强"})
    problems_solved = fields.Boolean(required=True, metadata={"description": "突出问题是否得到较好解决"})
    masses_satisfied = fields.Boolean(required=True, metadata={"description": "党员群众是否真正满意"})
    notes = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class TaskOut(Schema):
    id = fields.UUID()
    title = fields.String()
    owner_id = fields.UUID(allow_none=True)
    deadline = fields.Date()
    percent = fields.Integer()
    state = fields.String(metadata={"enum": ["open", "overdue", "done"]})


class AcceptanceOut(Schema):
    in_cycle_id = fields.UUID()
    answers = fields.Dict(keys=fields.String(), values=fields.Boolean())
    passed = fields.Boolean()
    notes = fields.String()
    by = fields.UUID()
    at = fields.AwareDateTime()


class PlanOut(Schema):
    id = fields.UUID()
    cycle_id = fields.UUID()
    branch_id = fields.UUID()
    level = fields.String()
    emphasis = fields.String(metadata={"enum": ["consolidate", "push", "overhaul"]})
    emphasis_zh = fields.String()
    problems = fields.List(fields.String())
    measures = fields.List(fields.String())
    owner_id = fields.UUID()
    deadline = fields.Date()
    tasks = fields.List(fields.Nested(TaskOut))
    acceptance = fields.Nested(AcceptanceOut, allow_none=True)
