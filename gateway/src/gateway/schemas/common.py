"""Shapes several of the gateway's resources share: a person (the directory's and one's own, /api/auth/me) and a
kiosk or display device (the directory's list and the pairing's approval)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields

from ..domain.model import ROLES


class RoleGrantIO(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    unit_id = fields.UUID(load_default=None, allow_none=True)


class ExemptionIO(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PersonOut(Schema):
    id = fields.UUID()
    username = fields.String(allow_none=True)
    name = fields.String()
    email = fields.String(allow_none=True)
    language = fields.String()
    category = fields.String()
    unit_id = fields.UUID(allow_none=True)
    group_id = fields.UUID(allow_none=True)
    member_status = fields.String()
    joined_on = fields.Date(allow_none=True)
    exemptions = fields.List(fields.Nested(ExemptionIO))
    roles = fields.List(fields.Nested(RoleGrantIO))
    active = fields.Boolean()
    revision = fields.Integer()


class KioskOut(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"description": "kiosk (评价器) or display (显示屏)"})
    name = fields.String()
    window_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID(allow_none=True, metadata={"description": "A display of a whole unit"})
    registered_by = fields.UUID()
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    credential = fields.String(metadata={"description": "Shown once, at registration"})
