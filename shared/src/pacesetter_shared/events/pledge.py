"""``pledge.*``: the life of a pledge (党员承诺践诺), published by pledge-service."""
from marshmallow import fields, validate

from .registry import EventData, event_schema

PLEDGE_KINDS = ("annual", "instant")  # 年度承诺 / 即时承诺
PLEDGER_KINDS = ("member", "unit")


class PledgeFacts(EventData):
    """What every pledge event carries, so that a consumer needs no other lookup."""

    pledge_id = fields.UUID(required=True)
    pledger_kind = fields.String(required=True, validate=validate.OneOf(PLEDGER_KINDS))
    pledger_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)  # the branch the pledge belongs to
    kind = fields.String(required=True, validate=validate.OneOf(PLEDGE_KINDS))
    title = fields.String(required=True)
    year = fields.Integer(required=True)
    due_date = fields.Date(required=True)
    actor_id = fields.UUID(allow_none=True, load_default=None)  # who caused the transition


@event_schema("pledge.submitted", 1)
class PledgeSubmitted(PledgeFacts):
    pass


@event_schema("pledge.returned", 1)
class PledgeReturned(PledgeFacts):
    reason = fields.String(required=True)


@event_schema("pledge.approved", 1)
class PledgeApproved(PledgeFacts):
    pass


@event_schema("pledge.published", 1)
class PledgePublished(PledgeFacts):
    pass


@event_schema("pledge.progressed", 1)
class PledgeProgressed(PledgeFacts):
    report_id = fields.UUID(required=True)


@event_schema("pledge.due_soon", 1)
class PledgeDueSoon(PledgeFacts):
    days_left = fields.Integer(required=True)


@event_schema("pledge.overdue", 1)
class PledgeOverdue(PledgeFacts):
    pass


@event_schema("pledge.fulfilled", 1)
class PledgeFulfilled(PledgeFacts):
    # What the self-assessment of its one-event-one-evaluation round reports against (一事一评).
    targets = fields.List(fields.String(), load_default=list)


@event_schema("pledge.withdrawn", 1)
class PledgeWithdrawn(PledgeFacts):
    reason = fields.String(required=True)


class OverdueItem(EventData):
    pledge_id = fields.UUID(required=True)
    pledger_kind = fields.String(required=True, validate=validate.OneOf(PLEDGER_KINDS))
    pledger_id = fields.UUID(required=True)
    title = fields.String(required=True)
    due_date = fields.Date(required=True)


@event_schema("pledge.overdue_list", 1)
class OverdueList(EventData):
    """The weekly list of a branch's overdue pledges, for its secretary (督促检查)."""

    unit_id = fields.UUID(required=True)
    week = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-W\d{2}$"))  # ISO week, Shanghai
    pledges = fields.List(fields.Nested(OverdueItem), required=True)


@event_schema("pledge.statistics_updated", 1)
class StatisticsUpdated(EventData):
    """A unit's pledge figures for a year, as they stand now (feeds 工作业绩 in grading)."""

    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True)
    members_expected = fields.Integer(required=True)  # non-exempt members
    members_with_annual_pledge = fields.Integer(required=True)
    pledges_total = fields.Integer(required=True)
    fulfilled = fields.Integer(required=True)
    fulfilled_on_time = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    by_area = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    as_of = fields.AwareDateTime(required=True)  # lets a consumer keep the newest of out-of-order copies


@event_schema("pledge.reminder_requested", 1)
class ReminderRequested(EventData):
    """A secretary reminds a branch's members who have made no annual pledge for the year (督促承诺).

    Each listed member hears of it once. ``requested_by`` is who asked (not an ``actor_id``: a secretary
    without a pledge of their own is among those reminded).
    """

    unit_id = fields.UUID(required=True)  # the branch (党支部) of the members
    year = fields.Integer(required=True)
    member_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1))
    requested_by = fields.UUID(allow_none=True, load_default=None)
