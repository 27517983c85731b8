"""``directory.*``: the organisation, people, windows — published by the gateway (组织目录)."""
from marshmallow import fields, validate

from .labels import DEPARTMENT_KINDS, MEMBER_STATUSES, PERSON_CATEGORIES, ROLES, UNIT_KINDS
from .registry import EventData, event_schema


class RoleGrantData(EventData):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    unit_id = fields.UUID(allow_none=True, load_default=None)


class ExemptionData(EventData):
    """年老体弱等特殊情况: not counted as missing an annual pledge that year."""

    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    reason = fields.String(required=True)


@event_schema("directory.unit_upserted", 1)
class UnitUpserted(EventData):
    unit_id = fields.UUID(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    parent_id = fields.UUID(allow_none=True, load_default=None)
    department_kind = fields.String(validate=validate.OneOf(DEPARTMENT_KINDS), load_default="other")
    secretary_id = fields.UUID(allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)
    revision = fields.Integer(required=True)  # lets projections drop a late, older copy


@event_schema("directory.person_upserted", 1)
class PersonUpserted(EventData):
    person_id = fields.UUID(required=True)
    name = fields.String(required=True)
    email = fields.String(allow_none=True, load_default=None)
    language = fields.String(validate=validate.OneOf(("zh", "en")), load_default="zh")
    category = fields.String(validate=validate.OneOf(PERSON_CATEGORIES), load_default="member")
    unit_id = fields.UUID(allow_none=True, load_default=None)  # branch 党支部
    group_id = fields.UUID(allow_none=True, load_default=None)  # 党小组
    member_status = fields.String(validate=validate.OneOf(MEMBER_STATUSES), load_default="none")
    roles = fields.List(fields.Nested(RoleGrantData), load_default=list)
    exemptions = fields.List(fields.Nested(ExemptionData), load_default=list)
    active = fields.Boolean(load_default=True)
    revision = fields.Integer(required=True)


class WindowStandardsData(EventData):
    """亮标准: what the window does, how, and in how long."""

    items = fields.List(fields.String(), load_default=list)  # 服务事项
    workflow = fields.String(load_default="")  # 工作流程
    time_limit = fields.String(load_default="")  # 办结时限


@event_schema("directory.window_upserted", 1)
class WindowUpserted(EventData):
    """A service window (窗口) or a post (党员先锋岗 / 责任区)."""

    window_id = fields.UUID(required=True)
    name = fields.String(required=True)
    kind = fields.String(validate=validate.OneOf(("window", "vanguard_post", "responsibility_area")),
                         load_default="window")
    location = fields.String(load_default="")
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(allow_none=True, load_default=None)
    on_duty_ids = fields.List(fields.UUID(), load_default=list)
    standards = fields.Nested(WindowStandardsData,
                              load_default=lambda: {"items": [], "workflow": "", "time_limit": ""})
    active = fields.Boolean(load_default=True)
    revision = fields.Integer(required=True)
