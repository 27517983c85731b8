"""The shapes of the pledges resource (api/pledges.py), in marshmallow: what a client may send and what it gets back."""
from marshmallow import Schema, ValidationError, validate, validates_schema

from pacesetter_shared.i18n import _
from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList, sort_field

from ..domain.model import InstantTrigger, LeadArea, PledgeKind, PledgeMode, PledgeState, TRANSITIONS


def _values(enum):
    return [e.value for e in enum]


class PledgeCreate(Schema):
    pledger_kind = fields.String(load_default="member", validate=validate.OneOf(["member", "unit"]))
    unit_id = fields.UUID(load_default=None, metadata={"description": "Required for an organisation pledge"})
    kind = fields.String(required=True, validate=validate.OneOf(_values(PledgeKind)))
    mode = fields.String(load_default="individual", validate=validate.OneOf(_values(PledgeMode)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    content = fields.String(load_default="", validate=validate.Length(max=5000))
    targets = fields.List(fields.String(validate=validate.Length(min=1, max=500)), load_default=list,
                          validate=validate.Length(max=20))
    areas = fields.List(fields.String(validate=validate.OneOf(_values(LeadArea))), required=True,
                        validate=validate.Length(min=1, max=5))
    due_date = fields.Date(required=True)
    trigger = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(_values(InstantTrigger)))
    participant_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=200))
    masses_participants = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                                      validate=validate.Length(max=200))
    linked_to = fields.UUID(load_default=None, allow_none=True,
                            metadata={"description": "The branch's organisation pledge this member pledge supports"})
    submit = fields.Boolean(load_default=False, metadata={"description": "Submit for review right away"})


class PledgeAction(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class TransitionOut(Schema):
    action = fields.String()
    from_state = fields.Function(lambda t: t.from_state.value)
    to_state = fields.Function(lambda t: t.to_state.value)
    actor_id = fields.UUID()
    at = fields.AwareDateTime()
    reason = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True, metadata={"description": "Who did it; null for the system"})


class PledgeOut(Schema):
    id = fields.UUID()
    pledger_kind = fields.String()
    pledger_id = fields.UUID()
    pledger_name = fields.String(allow_none=True, metadata={"description": "The member's (or the unit's) name"})
    unit_id = fields.UUID()
    unit_name = fields.String(allow_none=True, metadata={"description": "The branch the pledge belongs to"})
    kind = fields.Function(lambda p: p.kind.value)
    mode = fields.Function(lambda p: p.mode.value)
    title = fields.String()
    content = fields.String()
    targets = fields.List(fields.String())
    areas = fields.Function(lambda p: [a.value for a in p.areas])
    due_date = fields.Date()
    year = fields.Integer()
    trigger = fields.Function(lambda p: p.trigger.value if p.trigger else None)
    participant_ids = fields.List(fields.UUID())
    masses_participants = fields.List(fields.String())
    linked_to = fields.UUID(allow_none=True)
    state = fields.Function(lambda p: p.state.value, metadata={"enum": _values(PledgeState)})
    return_reason = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    fulfilled_at = fields.AwareDateTime(allow_none=True)
    progress_count = fields.Integer()
    evaluation = fields.Function(lambda p: {"round_id": str(p.evaluation.round_id), "score": p.evaluation.score,
                                            "level": p.evaluation.level} if p.evaluation else None)
    history = fields.List(fields.Nested(TransitionOut))


class PledgeSummary(PledgeOut):
    class Meta:
        exclude = ("history",)


class PledgePage(Page):
    items = fields.List(fields.Nested(PledgeSummary))


PLEDGE_SORTS = ["-created_at", "created_at", "due_date", "-due_date"]


class PledgeListQuery(Schema):
    scope = fields.String(load_default="mine", validate=validate.OneOf(["mine", "review"]), metadata={
        "description": "mine: my own pledges; review: the pledges of the units I review (submitted ones when no "
                       "state is given)"})
    state = CommaList(fields.String(validate=validate.OneOf(_values(PledgeState))), load_default=None, metadata={
        "description": "One or several states, repeated or comma-separated (state=published,overdue)"})
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))
    kind = fields.String(load_default=None, validate=validate.OneOf(_values(PledgeKind)),
                         metadata={"description": "annual (年度承诺) or instant (即时承诺)"})
    pledger_id = fields.UUID(load_default=None, metadata={"description": "One member's (or unit's) pledges"})
    sort = sort_field(PLEDGE_SORTS, "-created_at", "created_at: when made; due_date: when due.")
    limit = limit_field(20, 200)
    offset = offset_field()


class GuidanceOut(Schema):
    department_kind = fields.String()
    areas = fields.List(fields.String())
    themes_zh = fields.List(fields.String())
    themes_en = fields.List(fields.String())


# Progress reports have their own endpoint; the system marks overdue and records evaluations.
ACTIONS = sorted(a for a in TRANSITIONS if a not in ("mark_overdue", "record_evaluation", "report_progress"))


class PledgeEdit(Schema):
    """What the pledger may change in a draft or returned pledge; every field optional."""

    mode = fields.String(validate=validate.OneOf(_values(PledgeMode)))
    title = fields.String(validate=validate.Length(min=1, max=200))
    content = fields.String(validate=validate.Length(max=5000))
    targets = fields.List(fields.String(validate=validate.Length(min=1, max=500)), validate=validate.Length(max=20))
    areas = fields.List(fields.String(validate=validate.OneOf(_values(LeadArea))), validate=validate.Length(min=1, max=5))
    due_date = fields.Date()
    trigger = fields.String(allow_none=True, validate=validate.OneOf(_values(InstantTrigger)))
    participant_ids = fields.List(fields.UUID(), validate=validate.Length(max=200))
    masses_participants = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                                      validate=validate.Length(max=200))
    linked_to = fields.UUID(allow_none=True)


class Attachment(Schema):
    """Metadata of a file kept elsewhere (the file itself is not uploaded here)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    url = fields.Url(required=True, validate=validate.Length(max=2000))
    content_type = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    size = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0))


class ProgressIn(Schema):
    reported_on = fields.Date(load_default=None, metadata={"description": "Defaults to today (Asia/Shanghai)"})
    evidence = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    attachments = fields.List(fields.Nested(Attachment), load_default=list, validate=validate.Length(max=20))


class ProgressOut(Schema):
    id = fields.UUID()
    pledge_id = fields.UUID()
    reported_on = fields.Date()
    evidence = fields.String()
    attachments = fields.List(fields.Dict())
    reporter_id = fields.UUID()
    reporter_name = fields.String(allow_none=True, metadata={
        "description": "Who reported: the pledger, or a participant of a collective pledge"})
    created_at = fields.AwareDateTime()


class Paging(Schema):
    limit = limit_field(20, 200)
    offset = offset_field()


class ProgressPage(Page):
    items = fields.List(fields.Nested(ProgressOut))


class UnitYearQuery(Schema):
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))


class StatisticsOut(Schema):
    unit_id = fields.UUID()
    year = fields.Integer()
    members_expected = fields.Integer(metadata={"description": "Non-exempt party members"})
    members_with_annual_pledge = fields.Integer()
    pledges_total = fields.Integer()
    fulfilled = fields.Integer()
    fulfilled_on_time = fields.Integer()
    overdue = fields.Integer()
    by_area = fields.Dict(keys=fields.String(), values=fields.Integer())
    as_of = fields.AwareDateTime()


class BranchStatisticsOut(StatisticsOut):
    name = fields.String()
    parent_id = fields.UUID(allow_none=True)
    coverage_percent = fields.Float(allow_none=True, metadata={"description": "人人承诺: annual pledgers / expected"})
    fulfilment_percent = fields.Float(allow_none=True, metadata={"description": "践诺: fulfilled / pledges"})


class StatisticsByBranchOut(Schema):
    unit_id = fields.UUID()
    year = fields.Integer()
    items = fields.List(fields.Nested(BranchStatisticsOut))


# The ledger's orders (承诺台账): the secretary sorts the columns the table shows; the export keeps the same order.
LEDGER_SORTS = [f"{way}{column}" for column in ("due_date", "pledger_name", "created_at", "progress_count", "state",
                                                "linked_title")
                for way in ("", "-")]


class LedgerFilters(UnitYearQuery):
    """What narrows the ledger, the same for a page of it and for its export."""

    state = fields.List(fields.String(validate=validate.OneOf(_values(PledgeState))), load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(_values(PledgeKind)))
    pledger_kind = fields.String(load_default=None, validate=validate.OneOf(["member", "unit"]), metadata={
        "description": "member: members' pledges; unit: organisation pledges (基层党组织承诺)"})
    pledger_id = fields.UUID(load_default=None, metadata={"description": "One member's (or unit's) pledges"})
    pledger_name = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                                 metadata={"description": "Pledgers whose name contains this text"})
    linked_to = fields.UUID(load_default=None, metadata={
        "description": "The members' pledges supporting this organisation pledge (基层党组织承诺)"})
    sort = sort_field(LEDGER_SORTS, "due_date", "due_date: when due; pledger_name: by name; created_at: when made; "
                      "progress_count: progress reports; state; linked_title: the organisation pledge supported.")


class LedgerQuery(LedgerFilters, Paging):
    """A page of the ledger."""


class LedgerExportQuery(LedgerFilters):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["csv", "xlsx"]))


class LedgerRow(Schema):
    id = fields.UUID()
    pledger_kind = fields.String()
    pledger_id = fields.UUID()
    pledger_name = fields.String()
    unit_name = fields.String(metadata={"description": "The branch the pledge belongs to"})
    kind = fields.String()
    mode = fields.String()
    title = fields.String()
    areas = fields.List(fields.String())
    state = fields.String()
    created_at = fields.AwareDateTime()
    due_date = fields.Date()
    fulfilled_at = fields.AwareDateTime(allow_none=True)
    progress_count = fields.Integer()
    evaluation_level = fields.String(allow_none=True)
    evaluation_score = fields.Float(allow_none=True)
    linked_to = fields.UUID(allow_none=True, metadata={
        "description": "The organisation pledge this member's pledge supports (基层党组织承诺), if any"})
    linked_title = fields.String(allow_none=True, metadata={"description": "That organisation pledge's title"})


class LedgerPage(Page):
    items = fields.List(fields.Nested(LedgerRow))


class WallQuery(Paging):
    unit_id = fields.UUID(load_default=None)
    window_id = fields.UUID(load_default=None)

    @validates_schema
    def _one_place(self, data, **_kwargs):
        if (data.get("unit_id") is None) == (data.get("window_id") is None):
            raise ValidationError(_("Give exactly one of unit_id and window_id."), "unit_id")


class WallItem(Schema):
    """Only what the pledge wall may show in public (亮承诺): no ids, no history, no results."""

    pledger_name = fields.String()
    unit_name = fields.String()
    title = fields.String()
    content = fields.String()
    areas = fields.List(fields.String())
    state = fields.String()


class WallPage(Page):
    items = fields.List(fields.Nested(WallItem))


# -- Who has not pledged (未承诺名单) --

class UnpledgedQuery(Paging):
    unit_id = fields.UUID(required=True, metadata={
        "description": "A branch, or a general branch or the committee: each branch under it"})
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100),
                          metadata={"description": "Defaults to this year (Asia/Shanghai)"})
    list = fields.String(load_default="missing", validate=validate.OneOf(["missing", "exempted"]), metadata={
        "description": "missing: without an annual pledge; exempted: exempted that year (免于承诺), listed apart"})
    branch_id = fields.UUID(load_default=None, metadata={"description": "Only this branch under the unit"})
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                         metadata={"description": "Members whose name contains this text"})


class UnpledgedMember(Schema):
    person_id = fields.UUID()
    name = fields.String()
    unit_id = fields.UUID(metadata={"description": "The branch or party group (党小组) the member belongs to"})
    branch_id = fields.UUID()
    branch_name = fields.String()
    exemption_reason = fields.String(allow_none=True, metadata={"description": "Why exempted (exempted list)"})


class UnpledgedBranch(Schema):
    unit_id = fields.UUID()
    name = fields.String()
    parent_id = fields.UUID(allow_none=True)
    members_expected = fields.Integer(metadata={"description": "Party members expected to pledge (not exempted)"})
    missing = fields.Integer(metadata={"description": "Of them, without an annual pledge"})
    exempted = fields.Integer(metadata={"description": "Exempted that year"})


class UnpledgedPage(Page):
    unit_id = fields.UUID()
    year = fields.Integer()
    list = fields.String()
    missing_total = fields.Integer(metadata={"description": "Members without an annual pledge, every branch"})
    exempted_total = fields.Integer(metadata={"description": "Members exempted, every branch"})
    branches = fields.List(fields.Nested(UnpledgedBranch), metadata={
        "description": "Every branch at or under the unit with its counts, by name"})
    items = fields.List(fields.Nested(UnpledgedMember))


class RemindIn(Schema):
    unit_id = fields.UUID(required=True, metadata={
        "description": "A branch, or a general branch or the committee: every branch under it"})
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100),
                          metadata={"description": "Defaults to this year (Asia/Shanghai)"})


class RemindedBranch(Schema):
    unit_id = fields.UUID()
    name = fields.String()
    reminded = fields.Integer(metadata={"description": "Members reminded now"})
    already_reminded = fields.Integer(metadata={"description": "Members reminded earlier today, not again"})


class RemindOut(Schema):
    unit_id = fields.UUID()
    year = fields.Integer()
    reminded = fields.Integer()
    already_reminded = fields.Integer()
    branches = fields.List(fields.Nested(RemindedBranch))
