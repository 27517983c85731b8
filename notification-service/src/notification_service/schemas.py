"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, fields, validate

from pacesetter_shared.web.paging import Page

from .domain.delivery import Channel, DeliveryStatus
from .domain.model import NoticeKind
from .domain.preferences import PERSONAL_CHANNELS
from .domain.webhook import RobotStyle


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


class DeliveryOut(Schema):
    id = fields.UUID()
    event_id = fields.UUID()
    event_type = fields.String()
    recipient_id = fields.UUID(metadata={"description": "A person, or for a webhook the unit"})
    channel = fields.Function(lambda d: d.channel.value, metadata={"enum": [c.value for c in Channel]})
    address = fields.String(allow_none=True)
    status = fields.Function(lambda d: d.status.value, metadata={"enum": [s.value for s in DeliveryStatus]})
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    delivered_at = fields.AwareDateTime(allow_none=True)


class DeliveryPage(Page):
    items = fields.List(fields.Nested(DeliveryOut))


class PageQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 200))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))


class QuietHoursSchema(Schema):
    start = fields.Time(required=True, format="%H:%M", metadata={"description": "Beijing time, e.g. 22:00"})
    end = fields.Time(required=True, format="%H:%M", metadata={"description": "Beijing time, e.g. 07:30"})


def _quiet_out(quiet) -> dict | None:
    return {"start": quiet.start.strftime("%H:%M"), "end": quiet.end.strftime("%H:%M")} if quiet else None


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


_KINDS = [k.value for k in NoticeKind]
_PERSONAL = [c.value for c in PERSONAL_CHANNELS]


class PreferencesIn(Schema):
    channels = fields.Dict(
        keys=fields.String(validate=validate.OneOf(_KINDS)),
        values=fields.List(fields.String(validate=validate.OneOf(_PERSONAL))), load_default=dict,
        metadata={"description": "Per kind of notice, its channels; the inbox is always one of them. "
                                 "Kinds left out keep every channel."})
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None,
                                metadata={"description": "No e-mail in this window; sent when it ends"})
    daily_digest = fields.Boolean(load_default=False,
                                  metadata={"description": "Secretaries: overdue pledges once a day, not one by one"})


class PreferencesOut(Schema):
    channels = fields.Function(lambda p: {k.value: sorted(c.value for c in v) for k, v in p.channels.items()})
    quiet_hours = fields.Function(lambda p: _quiet_out(p.quiet_hours))
    daily_digest = fields.Boolean()
    updated_at = fields.AwareDateTime(allow_none=True)
