"""The shapes of api/history.py: a branch's levels over the years."""
from marshmallow import Schema

from pacesetter_shared.web import fields



class HistoryEntry(Schema):
    year = fields.Integer()
    cycle_id = fields.UUID()
    level = fields.String()
    level_zh = fields.String()
    total = fields.Float(allow_none=True)
    change = fields.String(allow_none=True, metadata={"enum": ["up", "same", "down"]})
    change_zh = fields.String(allow_none=True, metadata={"description": "晋位 / 持平 / 降位"})


class HistoryOut(Schema):
    branch_id = fields.UUID()
    years = fields.List(fields.Nested(HistoryEntry))
