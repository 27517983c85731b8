"""The shapes of /api/forms (api/forms.py): the printed forms, their templates, the yearly archives."""
from __future__ import annotations

from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field

from ..domain.forms import FORMATS


class FormQuery(Schema):
    """Which data the form shows: the ids its kind asks for (see GET /api/forms/kinds, ``asks``)."""

    format = fields.String(load_default="pdf", validate=validate.OneOf(list(FORMATS)),
                           metadata={"description": "pdf (A4, Chinese fonts embedded) or docx (to edit)"})
    pledge_id = fields.UUID(load_default=None, metadata={"description": "承诺书: the pledge"})
    window_id = fields.UUID(load_default=None, metadata={"description": "承诺桌牌 / 承诺名片: the window"})
    person_id = fields.UUID(load_default=None, metadata={"description": "承诺桌牌 / 承诺名片: the member on duty"})
    round_id = fields.UUID(load_default=None, metadata={"description": "党员评议表: the closed evaluation round"})
    cycle_id = fields.UUID(load_default=None, metadata={"description": "定级申报表, 分类定级结果, 整改方案: the cycle"})
    branch_id = fields.UUID(load_default=None, metadata={"description": "定级申报表, 分类定级结果, 整改方案: the branch"})


class KindOut(Schema):
    code = fields.String()
    zh = fields.String()
    en = fields.String()
    asks = fields.List(fields.String(), metadata={"description": "The query ids GET /api/forms/{kind} needs"})
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields",
                          metadata={"description": "The fields a template of this form may use"})
    active_version = fields.Integer(metadata={"description": "The version in use; 0: the suite's default"})


class KindList(Schema):
    items = fields.List(fields.Nested(KindOut))


class VersionOut(Schema):
    version = fields.Integer()
    filename = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    active = fields.Boolean()
    uploaded_by = fields.UUID()
    uploaded_by_name = fields.String()
    uploaded_at = fields.AwareDateTime()


class VersionQuery(Schema):
    limit = limit_field(20, 100)
    offset = offset_field()


class VersionPage(Page):
    items = fields.List(fields.Nested(VersionOut))


class ArchiveIn(Schema):
    unit_id = fields.UUID(required=True, metadata={"description": "A branch, a general branch or the committee"})
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))


class ArchiveOut(Schema):
    id = fields.UUID()
    unit_id = fields.UUID()
    unit_name = fields.String()
    year = fields.Integer()
    state = fields.String(metadata={"enum": ["queued", "running", "ready", "failed"]})
    total = fields.Integer(metadata={"description": "Files to make; 0 until the worker has listed them"})
    done = fields.Integer()
    requested_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    filename = fields.String(allow_none=True)


class ArchivePage(Page):
    items = fields.List(fields.Nested(ArchiveOut))
