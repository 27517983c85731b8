"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, fields, validate

from .domain.model import NoticeKind


class NoticeOut(Schema):
    id = fields.UUID()
    event_type = fields.String()
    kind = fields.Function(lambda n: n.kind.value, metadata={"enum": [k.value for k in NoticeKind]})
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True, metadata={"description": "A portal path to the thing the notice is about"})
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)
    unread = fields.Boolean()


class NoticePage(Schema):
    items = fields.List(fields.Nested(NoticeOut))
    total = fields.Integer(metadata={"description": "Notices matching the query"})
    unread = fields.Integer(metadata={"description": "All my unread notices, whatever the query"})
    limit = fields.Integer()
    offset = fields.Integer()


class NoticeListQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 200))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))
    unread_only = fields.Boolean(load_default=False)


class UnreadCountOut(Schema):
    unread = fields.Integer()


class ReadAllOut(Schema):
    count = fields.Integer(metadata={"description": "Notices marked read by this call"})
