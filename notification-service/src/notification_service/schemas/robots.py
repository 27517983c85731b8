"""A unit's chat robot's shapes (api/robots.py): what is set, what is shown (never the secret), a page of them."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from ..domain.webhook import RobotStyle
from .common import QuietHoursSchema, _quiet_out


class RobotIn(Schema):
    style = fields.String(required=True, validate=validate.OneOf([s.value for s in RobotStyle]),
                          metadata={"description": "wecom 企业微信, dingtalk 钉钉, feishu 飞书, generic (HMAC-signed JSON)"})
    url = fields.URL(required=True, schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=1000))
    secret = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                           metadata={"description": "Signing secret; never shown again"})
    active = fields.Boolean(load_default=True)
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None,
                                metadata={"description": "Nothing posted to the group then; sent when it ends"})


class RobotOut(Schema):
    unit_id = fields.UUID()
    style = fields.Function(lambda r: r.style.value)
    url = fields.String()
    signed = fields.Function(lambda r: r.secret is not None, metadata={"description": "Whether a secret is set"})
    active = fields.Boolean()
    quiet_hours = fields.Function(lambda r: _quiet_out(r.quiet_hours))
    updated_at = fields.AwareDateTime()


class RobotPage(Page):
    items = fields.List(fields.Nested(RobotOut))
