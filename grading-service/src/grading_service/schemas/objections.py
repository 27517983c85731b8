"""The shapes of api/objections.py: objections (异议) and their answers."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from .common import PageQuery


class ObjectionQuery(PageQuery):
    mine = fields.Boolean(load_default=False, metadata={"description": "Only the objections I lodged"})
    answered = fields.Boolean(load_default=None, allow_none=True)
    branch_id = fields.UUID(load_default=None)


class ObjectionIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AnswerIn(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ObjectionOut(Schema):
    id = fields.UUID()
    cycle_id = fields.UUID()
    branch_id = fields.UUID()
    text = fields.String()
    lodged_by = fields.UUID()
    lodged_at = fields.AwareDateTime()
    answer = fields.String(allow_none=True)
    answered_by = fields.UUID(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)


class ObjectionPage(Page):
    items = fields.List(fields.Nested(ObjectionOut))
