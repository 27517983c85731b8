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
    pass


@event_schema("pledge.withdrawn", 1)
class PledgeWithdrawn(PledgeFacts):
    reason = fields.String(required=True)
