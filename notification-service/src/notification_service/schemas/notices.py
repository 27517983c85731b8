"""My inbox's shapes (api/notices.py): a notice, a page of them, the inbox in groups, their queries, the counts."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList, sort_field

from ..domain.grouping import ITEMS_PER_GROUP
from ..domain.model import NoticeKind

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
