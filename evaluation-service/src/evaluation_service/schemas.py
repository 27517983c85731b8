"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, fields

from .domain.model import Party, Rating, TargetKind


def _values(enum):
    return [e.value for e in enum]


class ScaleStepOut(Schema):
    rating = fields.Function(lambda s: s.rating.value, metadata={"enum": _values(Rating)})
    zh = fields.String()
    en = fields.String()
    points = fields.Integer(metadata={"description": "What one such rating counts as"})
    min_score = fields.Integer(metadata={"description": "The lowest result that earns this level"})


class PartyOut(Schema):
    party = fields.Function(lambda p: p["party"].value, metadata={"enum": _values(Party)})
    zh = fields.String()
    en = fields.String()
    anonymous = fields.Boolean(metadata={"description": "Shown only once at least min_group raters took part"})


class PartyWeightOut(Schema):
    party = fields.Function(lambda p: p["party"].value, metadata={"enum": _values(Party)})
    zh = fields.String()
    en = fields.String()
    weight = fields.Float(metadata={"description": "Percent; the weights of a round add up to 100"})


class TargetKindOut(Schema):
    target_kind = fields.Function(lambda t: t["target_kind"].value, metadata={"enum": _values(TargetKind)})
    zh = fields.String()
    en = fields.String()
    weights = fields.List(fields.Nested(PartyWeightOut))


class ScaleOut(Schema):
    scale = fields.List(fields.Nested(ScaleStepOut))
    parties = fields.List(fields.Nested(PartyOut))
    min_group = fields.Integer(metadata={"description": "Fewest raters for which a peer or masses result is shown"})
    target_kinds = fields.List(fields.Nested(TargetKindOut))
