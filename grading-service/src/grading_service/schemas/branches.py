"""The shapes of api/branches.py: a cycle's branches, their scores (自评, 上级评定), level and changes."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from ..domain.model import Grade, Indicator
from .common import _values


class ScoreEntry(Schema):
    indicator = fields.String(required=True, validate=validate.OneOf(_values(Indicator)))
    score = fields.Float(required=True, validate=validate.Range(0, 100))
    evidence = fields.String(load_default="", validate=validate.Length(max=5000))


class ScoresIn(Schema):
    scores = fields.List(fields.Nested(ScoreEntry), required=True, validate=validate.Length(min=1, max=7))
    reason = fields.String(load_default="", validate=validate.Length(max=2000),
                           metadata={"description": "Why a score changes (kept in the history)"})


class LevelIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["confirm", "override"]))
    level = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(_values(Grade)))
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ChangeOut(Schema):
    what = fields.String()
    old = fields.String(allow_none=True)
    new = fields.String()
    actor_id = fields.UUID()
    at = fields.AwareDateTime()
    reason = fields.String()


class ScoreOut(Schema):
    score = fields.Float()
    evidence = fields.String()
    by = fields.UUID()
    at = fields.AwareDateTime()


class BranchOut(Schema):
    branch_id = fields.UUID()
    name = fields.String()
    general_branch_id = fields.UUID(allow_none=True)
    part_totals = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    total = fields.Float(allow_none=True)
    suggested_level = fields.String(allow_none=True, metadata={"enum": _values(Grade)})
    level = fields.String(allow_none=True, metadata={"enum": _values(Grade)})
    level_source = fields.String(allow_none=True, metadata={"enum": ["confirmed", "overridden"]})
    members_and_masses = fields.Dict(keys=fields.String(), values=fields.Float())
    indicator_scores = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), metadata={
        "description": "分项: each indicator's score weighted over the parts; null until every part that weighs scored it"})
    evaluation_rounds = fields.Integer()
    satisfaction = fields.Float(allow_none=True)
    pledge_score = fields.Float(allow_none=True)
    last_rectification = fields.Dict(allow_none=True, metadata={"description": "考核验收 of last year's plan"})
    previous_level = fields.String(allow_none=True, metadata={"description": "Final level of the latest earlier cycle"})
    change = fields.String(allow_none=True, metadata={"enum": ["up", "same", "down"],
                                                      "description": "晋位 / 持平 / 降位"})


class BranchDetail(BranchOut):
    scores = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                  values=fields.Nested(ScoreOut)))
    changes = fields.List(fields.Nested(ChangeOut))


class BranchPage(Page):
    items = fields.List(fields.Nested(BranchOut))
