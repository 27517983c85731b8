"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, fields

from .domain.model import AssessmentPart, Indicator


def _values(enum):
    return [e.value for e in enum]


class IndicatorOut(Schema):
    code = fields.Function(lambda i: i["code"].value, metadata={"enum": _values(Indicator)})
    zh = fields.String()
    en = fields.String()
    default_weight = fields.Float(metadata={"description": "Percent; the seven weights add up to 100"})


class PartOut(Schema):
    code = fields.Function(lambda p: p["code"].value, metadata={"enum": _values(AssessmentPart)})
    zh = fields.String()
    en = fields.String()
    default_weight = fields.Float(metadata={"description": "Percent; the three weights add up to 100"})


class IndicatorsOut(Schema):
    indicators = fields.List(fields.Nested(IndicatorOut))
    parts = fields.List(fields.Nested(PartOut))
