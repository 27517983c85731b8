"""The shapes of /api/directory (api/directory.py)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList

from ..domain.model import DEPARTMENT_KINDS, MEMBER_STATUSES, PERSON_CATEGORIES, ROLES, UNIT_KINDS
from .common import ExemptionIO, KioskOut, PersonOut, RoleGrantIO


class UnitIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    parent_id = fields.UUID(load_default=None, allow_none=True)
    department_kind = fields.String(load_default="other", validate=validate.OneOf(DEPARTMENT_KINDS))


class UnitOut(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.UUID(allow_none=True)
    department_kind = fields.String()
    secretary_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    revision = fields.Integer()


class PersonIn(Schema):
    username = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{2,64}$"))
    password = fields.String(load_default=None, load_only=True, validate=validate.Length(min=1, max=200),
                             metadata={"description": "Kept to the password policy (PASSWORD_MIN_LENGTH, strength)"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    language = fields.String(load_default="zh", validate=validate.OneOf(["zh", "en"]))
    category = fields.String(load_default="member", validate=validate.OneOf(PERSON_CATEGORIES))
    unit_id = fields.UUID(load_default=None, allow_none=True)
    group_id = fields.UUID(load_default=None, allow_none=True)
    member_status = fields.String(load_default="none", validate=validate.OneOf(MEMBER_STATUSES))
    joined_on = fields.Date(load_default=None, allow_none=True)
    exemptions = fields.List(fields.Nested(ExemptionIO), load_default=list)
    roles = fields.List(fields.Nested(RoleGrantIO), load_default=list)


class MemberOut(Schema):
    """A unit's member as the secretary sees them (no e-mail, no roles)."""

    id = fields.UUID()
    name = fields.String()
    category = fields.String()
    member_status = fields.String()
    exemptions = fields.List(fields.Nested(ExemptionIO))
    active = fields.Boolean()


class MemberPage(Page):
    items = fields.List(fields.Nested(MemberOut))


class ExemptionsIn(Schema):
    exemptions = fields.List(fields.Nested(ExemptionIO), required=True, validate=validate.Length(max=50))


class PageQuery(Schema):
    limit = limit_field(50, 500)
    offset = offset_field()


class MemberQuery(PageQuery):
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                      metadata={"description": "Part of a name"})
    category = CommaList(fields.String(validate=validate.OneOf(PERSON_CATEGORIES)), load_default=None, metadata={
        "description": "Only people of these categories (member, leader: the Party members and cadres; masses), "
                       "repeated or comma-separated"})


class UnitQuery(PageQuery):
    parent_id = fields.UUID(load_default=None)


class PersonQuery(PageQuery):
    unit_id = fields.UUID(load_default=None, metadata={"description": "People whose unit or group this is"})
    include_below = fields.Boolean(load_default=False, metadata={
        "description": "With unit_id: the people of every unit under it too (a general branch's branches and "
                       "their groups)"})
    role = CommaList(fields.String(validate=validate.OneOf(ROLES)), load_default=None, metadata={
        "description": "People holding one of these roles (in any unit), repeated or comma-separated"})
    active = fields.Boolean(load_default=None, metadata={"description": "Only active (true) or inactive (false) "
                                                                        "people; both when left out"})
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                      metadata={"description": "Part of a name or user name"})


class UnitPage(Page):
    items = fields.List(fields.Nested(UnitOut))


class PersonPage(Page):
    items = fields.List(fields.Nested(PersonOut))


class CountOut(Schema):
    count = fields.Integer()


class UnitPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    parent_id = fields.UUID(allow_none=True, metadata={"description": "Move the unit under another of the same kind"})
    department_kind = fields.String(validate=validate.OneOf(DEPARTMENT_KINDS))
    secretary_id = fields.UUID(allow_none=True)
    active = fields.Boolean()


class PersonPatch(Schema):
    password = fields.String(load_only=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "A new password, kept to the policy; ends the person's sessions. Not one's own: see "
                       "POST /api/auth/password"})
    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email(allow_none=True)
    language = fields.String(validate=validate.OneOf(["zh", "en"]))
    category = fields.String(validate=validate.OneOf(PERSON_CATEGORIES))
    unit_id = fields.UUID(allow_none=True)
    group_id = fields.UUID(allow_none=True)
    member_status = fields.String(validate=validate.OneOf(MEMBER_STATUSES))
    joined_on = fields.Date(allow_none=True)
    exemptions = fields.List(fields.Nested(ExemptionIO))
    roles = fields.List(fields.Nested(RoleGrantIO))
    active = fields.Boolean()


class StandardsIO(Schema):
    items = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                        validate=validate.Length(max=50), metadata={"description": "服务事项"})
    workflow = fields.String(load_default="", validate=validate.Length(max=2000), metadata={"description": "工作流程"})
    time_limit = fields.String(load_default="", validate=validate.Length(max=200), metadata={"description": "办结时限"})


WINDOW_KINDS = ["window", "vanguard_post", "responsibility_area"]


class WindowIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default="window", validate=validate.OneOf(WINDOW_KINDS))
    location = fields.String(load_default="", validate=validate.Length(max=200))
    unit_id = fields.UUID(required=True)
    responsible_id = fields.UUID(load_default=None, allow_none=True)
    on_duty_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=100))
    standards = fields.Nested(StandardsIO, load_default=None, allow_none=True)


class WindowPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(WINDOW_KINDS))
    location = fields.String(validate=validate.Length(max=200))
    responsible_id = fields.UUID(allow_none=True)
    on_duty_ids = fields.List(fields.UUID(), validate=validate.Length(max=100))
    standards = fields.Nested(StandardsIO)
    active = fields.Boolean()


class WindowOut(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    location = fields.String()
    unit_id = fields.UUID()
    responsible_id = fields.UUID(allow_none=True)
    on_duty_ids = fields.List(fields.String())
    standards = fields.Nested(StandardsIO)
    active = fields.Boolean()
    revision = fields.Integer()


class WindowQuery(PageQuery):
    unit_id = fields.UUID(load_default=None)
    include_below = fields.Boolean(load_default=False, metadata={
        "description": "With unit_id: the windows of every unit under it too"})


class WindowPage(Page):
    items = fields.List(fields.Nested(WindowOut))


class OnDutyOut(Schema):
    name = fields.String()
    party_member = fields.Boolean(metadata={"description": "亮身份: shown as a Party member"})
    member_status = fields.String()


class PublicUnitOut(Schema):
    """What anyone may read of a unit: its name (the suggestion box and display screen name it)."""
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()


class PublicWindowOut(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    location = fields.String()
    unit_name = fields.String()
    standards = fields.Nested(StandardsIO)
    on_duty = fields.List(fields.Nested(OnDutyOut))


class KioskIn(Schema):
    window_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class KioskQuery(PageQuery):
    window_id = fields.UUID(load_default=None)


class KioskPage(Page):
    items = fields.List(fields.Nested(KioskOut))


class ImportQuery(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["units", "persons"]))
    dry_run = fields.Boolean(load_default=True)


class ImportRowError(Schema):
    line = fields.Integer()
    field = fields.String()
    reason = fields.String()


class ImportOut(Schema):
    kind = fields.String()
    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    errors = fields.List(fields.Nested(ImportRowError))
