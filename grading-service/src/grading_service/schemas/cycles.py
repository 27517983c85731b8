"""The shapes of api/cycles.py: a grading cycle opened and read (also what publish and finalise answer)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from ..domain.classification import CycleState
from ..domain.model import Indicator
from .common import _values


class Thresholds(Schema):
    advanced = fields.Float(load_default=90)
    ordinary = fields.Float(load_default=70)


class CycleOpen(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    branch_ids = fields.List(fields.UUID(), load_default=None, validate=validate.Length(max=20000),
                             metadata={"description": "Default: every branch in the directory"})
    criteria = fields.Dict(keys=fields.String(validate=validate.OneOf(_values(Indicator))),
                           values=fields.String(validate=validate.Length(max=5000)), load_default=dict,
                           metadata={"description": "Criteria text per indicator (评价标准)"})
    indicator_weights = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None,
                                    metadata={"description": "Percent per indicator; the seven add up to 100"})
    part_weights = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None,
                               metadata={"description": "Percent per part; the three add up to 100"})
    thresholds = fields.Nested(Thresholds, load_default=None)
    advanced_cap_percent = fields.Raw(required=True, metadata={"description": "先进比例上限, 0–100"})
    cap_per_general_branch = fields.Boolean(load_default=False)
    self_assessment_deadline = fields.Date(required=True)
    superior_deadline = fields.Date(load_default=None, allow_none=True)
    publicity_days = fields.Integer(load_default=5, validate=validate.Range(0, 30),
                                    metadata={"description": "公示 period in days"})


class CycleOut(Schema):
    id = fields.UUID()
    year = fields.Integer()
    state = fields.String(metadata={"enum": _values(CycleState)})
    advanced_cap_percent = fields.Float()
    cap_per_general_branch = fields.Boolean()
    indicator_weights = fields.Dict(keys=fields.String(), values=fields.Float())
    part_weights = fields.Dict(keys=fields.String(), values=fields.Float())
    thresholds = fields.Dict(keys=fields.String(), values=fields.Float())
    criteria = fields.Dict(keys=fields.String(), values=fields.String())
    self_assessment_deadline = fields.Date()
    superior_deadline = fields.Date(allow_none=True)
    publicity_days = fields.Integer()
    publicity_ends_on = fields.Date(allow_none=True)
    publicity_without_login = fields.Boolean(metadata={
        "description": "The publicity list is also readable without login from the campus network"})
    opened_at = fields.AwareDateTime()
    branch_count = fields.Integer()
    decided = fields.Integer(metadata={"description": "Branches with a level (拟定 or final); 0: no results yet"})


class CyclePage(Page):
    items = fields.List(fields.Nested(CycleOut))
