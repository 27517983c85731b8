"""Shapes several resources share: a page's query, an appeal (filed under /api/ratings and /api/feedback)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import limit_field, offset_field


def _values(enum):
    return [e.value for e in enum]


class PageQuery(Schema):
    limit = limit_field(20, 100)
    offset = offset_field()


class AppealIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 4000))


class AppealOut(Schema):
    id = fields.UUID()
    rating_id = fields.Integer(allow_none=True)
    suggestion_id = fields.UUID(allow_none=True)
    appellant_id = fields.UUID()
    reason = fields.String()
    filed_at = fields.DateTime()
    decision = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    decided_by = fields.UUID(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
