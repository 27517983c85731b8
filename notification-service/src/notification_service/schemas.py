"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList, sort_field

from .domain.delivery import Channel, DeliveryStatus
from .domain.model import NoticeKind
from .domain.preferences import PERSONAL_CHANNELS
from .domain.grouping import ITEMS_PER_GROUP
from .domain.webhook import RobotStyle

_KIND_ENUM = {"type": "string", "enum": [k.value for k in NoticeKind]}
GROUP_KEY = r"^[a-z_]+\.[a-z_]+\|[a-z_]+(:[0-9a-fA-F-]{32,36})?$"


class NoticeOut(Schema):
    id = fields.UUID()
    event_type = fields.String()
    kind = fields.Function(lambda n: n.kind.value, metadata=_KIND_ENUM)
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True, metadata={
        "description": "A portal path to the exact thing the notice is about: /pledges/<id>, /feedback/<case id>, "
                       "/evaluations/<round id>, /grading/<cycle id>[?branch_id=…&task_id=…], /windows/<id>[?month=…]; "
                       "lists: /pledges?unit_id=…&status=overdue, /pledges?status=overdue, "
                       "/windows/stars?by=on_duty&key=…&month=…"})
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)
    unread = fields.Boolean()
    group = fields.Function(lambda n: f"{n.event_type}|{n.group_key}" if n.group_key else None, metadata={
        "type": "string", "description": "The key of the inbox group it is in (GET /api/notifications?group=…)"})


class NoticePage(Schema):
    items = fields.List(fields.Nested(NoticeOut))
    total = fields.Integer(metadata={"description": "Notices matching the query"})
    unread = fields.Integer(metadata={"description": "All my unread notices, whatever the query"})
    limit = fields.Integer()
    offset = fields.Integer()


NOTICE_SORTS = ["unread_first", "-created_at", "created_at"]
GROUP_SORTS = ["unread_first", "-latest_at"]


class NoticeFilters(Schema):
    read = fields.Boolean(load_default=None, metadata={"description": "Only read (true) or unread (false) ones"})
    kind = CommaList(fields.String(validate=validate.OneOf([k.value for k in NoticeKind])), load_default=None,
                     metadata={"description": "task 待办, reminder 提醒, result 结果, update 动态; one or several, "
                                              "repeated or comma-separated"})


class NoticeListQuery(NoticeFilters):
    limit = limit_field(20, 200)
    offset = offset_field()
    unread_only = fields.Boolean(load_default=False, metadata={"description": "The same as read=false"})
    group = fields.String(load_default=None, validate=validate.Regexp(GROUP_KEY), metadata={
        "description": "Only the notices of one inbox group: its key from GET /api/notifications/groups"})
    sort = sort_field(NOTICE_SORTS, "unread_first", "unread_first: unread ones first, each part newest first; "
                                                    "-created_at: newest first.")


class GroupQuery(NoticeFilters):
    limit = limit_field(20, 100)
    offset = offset_field()
    sort = sort_field(GROUP_SORTS, "unread_first", "unread_first: groups with unread notices first, each part by "
                                                   "its newest notice; -latest_at: by the newest notice only.")


class GroupItemOut(Schema):
    id = fields.UUID()
    kind = fields.Function(lambda n: n.kind.value, metadata=_KIND_ENUM)
    title = fields.String()
    link = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)
    unread = fields.Boolean()


class NoticeGroupOut(Schema):
    key = fields.String(metadata={"description": "Names the group: GET /api/notifications?group=<key> pages all of it"})
    event_type = fields.String()
    kind = fields.Function(lambda g: g.newest.kind.value if g.newest else None, metadata=_KIND_ENUM)
    subject_kind = fields.Function(lambda g: g.subject[0], metadata={
        "type": "string", "enum": ["window", "unit", "pledge", "round", "cycle", "person", "all", "notice"],
        "description": "What the group is about; all: every notice of its event type; notice: one notice alone"})
    subject_id = fields.Function(lambda g: g.subject[1], metadata={"type": "string", "format": "uuid",
                                                                   "nullable": True})
    subject_name = fields.String(allow_none=True, metadata={"description": "The window's, unit's, pledge's … name"})
    title = fields.Function(lambda g: g.heading, metadata={
        "type": "string", "description": "One notice: its title; more: e.g. 教务处综合服务窗口 新增 3 件差评, in the "
                                         "language of Accept-Language (else of my notices)"})
    count = fields.Integer(metadata={"description": "Its notices matching the query"})
    unread = fields.Integer(metadata={"description": "Of those, the unread ones"})
    latest_at = fields.AwareDateTime()
    link = fields.Function(lambda g: g.newest.link if g.newest else None, metadata={
        "type": "string", "nullable": True, "description": "The newest notice's link"})
    items = fields.List(fields.Nested(GroupItemOut), metadata={
        "description": f"Its newest notices (at most {ITEMS_PER_GROUP}), newest first"})


class NoticeGroupPage(Page):
    items = fields.List(fields.Nested(NoticeGroupOut))
    total = fields.Integer(metadata={"description": "Groups matching the query, all of them"})
    unread = fields.Integer(metadata={"description": "All my unread notices, whatever the query"})


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
    limit = limit_field(20, 200)
    offset = offset_field()


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
