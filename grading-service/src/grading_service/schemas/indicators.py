"""The shapes of api/indicators.py: the seven indicators and the assessment parts."""
from marshmallow import Schema

from pacesetter_shared.web import fields

from ..domain.model import AssessmentPart, Indicator
from .common import _values


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
