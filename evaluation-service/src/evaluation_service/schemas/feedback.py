"""The shapes of /api/feedback (api/feedback.py): follow-up cases, the suggestion box, an appeal's decision."""
from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, validate, validates_schema

from pacesetter_shared.i18n import _
from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page
from pacesetter_shared.web.query import CommaList, sort_field

from ..domain.feedback import AppealDecision, SuggestionState
from ..domain.ratings import MAX_CLOSE_BATCH, SHANGHAI, case_overdue
from .common import PageQuery, _values


CASE_STATES = ["open", "escalated", "closed"]
CASE_SORTS = ["urgency", "deadline", "-deadline", "opened_at", "-opened_at"]


class CaseQuery(PageQuery):
    window_id = fields.UUID(load_default=None, metadata={"description": "Only the cases of this window"})
    state = CommaList(fields.String(validate=validate.OneOf(CASE_STATES)), load_default=None,
                      metadata={"description": "One or several states, repeated or comma-separated "
                                               "(state=open,escalated)"})
    overdue = fields.Boolean(load_default=None, metadata={
        "description": "true: unclosed (open or escalated) and past the deadline now; false: closed, or still "
                       "before the deadline; left out: both"})
    deadline_after = fields.AwareDateTime(load_default=None, default_timezone=SHANGHAI, metadata={
        "description": "Deadline at or after this moment (ISO 8601; Beijing time when no offset is given)"})
    deadline_before = fields.AwareDateTime(load_default=None, default_timezone=SHANGHAI, metadata={
        "description": "Deadline before this moment (ISO 8601; Beijing time when no offset is given)"})
    sort = sort_field(CASE_SORTS, "urgency",
                      "urgency: unclosed cases first, the earliest deadline first (overdue ones lead), then "
                      "closed ones, the latest closed first.")

    @validates_schema
    def _deadline_range(self, data, **_kwargs):
        after, before = data.get("deadline_after"), data.get("deadline_before")
        if after is not None and before is not None and before <= after:
            raise ValidationError(_("must be after deadline_after"), "deadline_before")


class CaseCloseBatch(Schema):
    ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, MAX_CLOSE_BATCH),
                      metadata={"description": f"The cases to close, 1 to {MAX_CLOSE_BATCH}, each once"})
    action_taken = fields.String(required=True, validate=validate.Length(1, 4000),
                                 metadata={"description": "What was done (整改措施), the same for every case"})
    called_back = fields.Boolean(required=True, metadata={
        "description": "Whether the raters were called back (回访), the same for every case"})

    @validates_schema
    def _each_once(self, data, **_kwargs):
        ids = data.get("ids") or []
        if len(set(ids)) != len(ids):
            raise ValidationError(_("each case once"), "ids")


class CaseClose(Schema):
    action_taken = fields.String(required=True, validate=validate.Length(1, 4000),
                                 metadata={"description": "What was done (整改措施)"})
    called_back = fields.Boolean(required=True, metadata={"description": "Whether the rater was called back (回访)"})


class CaseOut(Schema):
    id = fields.UUID()
    window_id = fields.UUID(allow_none=True, metadata={"description": "None for a complaint to a unit"})
    window_name = fields.String(allow_none=True)
    source = fields.String(metadata={"enum": ["rating", "suggestion"]})
    unit_id = fields.UUID()
    responsible_id = fields.UUID(allow_none=True)
    level = fields.Integer()
    reasons = fields.List(fields.String())
    state = fields.String(metadata={"enum": ["open", "escalated", "closed"]})
    deadline = fields.DateTime()
    opened_at = fields.DateTime()
    escalated_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    action_taken = fields.String(allow_none=True)
    called_back = fields.Boolean(allow_none=True)
    overdue = fields.Function(lambda case: case_overdue(case.state, case.deadline, datetime.now(timezone.utc)),
                              metadata={"type": "boolean",
                                        "description": "Unclosed (open or escalated) and past its deadline now"})


class CasePage(Page):
    items = fields.List(fields.Nested(CaseOut))


class CaseErrorOut(Schema):
    code = fields.String(metadata={"description": "As the single close would answer: not_found, case_closed"})
    message = fields.String()
    details = fields.Dict()


class CaseBatchItemOut(Schema):
    id = fields.UUID()
    status = fields.String(metadata={"enum": ["closed", "failed"]})
    case = fields.Nested(CaseOut, allow_none=True, metadata={"description": "The closed case (status closed)"})
    error = fields.Nested(CaseErrorOut, allow_none=True, metadata={"description": "Why not (status failed)"})


class CaseBatchOut(Schema):
    closed = fields.Integer()
    failed = fields.Integer()
    items = fields.List(fields.Nested(CaseBatchItemOut), metadata={"description": "One per id, in the order sent"})


class NoteIn(Schema):
    window_id = fields.UUID(load_default=None)
    unit_id = fields.UUID(load_default=None)
    body = fields.String(required=True, validate=validate.Length(1, 4000))
    is_complaint = fields.Boolean(load_default=False, metadata={"description": "投诉: opens a follow-up case"})


class NoteReceipt(Schema):
    id = fields.UUID()
    case_id = fields.UUID(allow_none=True)


class NoteQuery(PageQuery):
    state = fields.String(load_default=None, validate=validate.OneOf(_values(SuggestionState)))


class NoteHandle(Schema):
    state = fields.String(required=True, validate=validate.OneOf(_values(SuggestionState)))
    reply = fields.String(load_default=None, validate=validate.Length(1, 4000))
    publish = fields.Boolean(load_default=False)


class NoteOut(Schema):
    id = fields.UUID()
    window_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    body = fields.String()
    is_complaint = fields.Boolean()
    received_on = fields.Date()
    state = fields.String(metadata={"enum": _values(SuggestionState)})
    reply = fields.String(allow_none=True)
    reply_published = fields.Boolean()
    excluded = fields.Boolean(metadata={"description": "An upheld appeal took it out of the statistics"})


class NotePage(Page):
    items = fields.List(fields.Nested(NoteOut))


class AppealDecide(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(_values(AppealDecision)), metadata={
        "description": "upheld (申诉成立: the rating or note leaves statistics and rankings, and stays stored) or "
                       "rejected (申诉不成立). Nobody decides an appeal they filed or about a window they answer "
                       "for (403)"})
    note = fields.String(required=True, validate=validate.Length(1, 4000), metadata={
        "description": "Why: kept with the decision, who made it and when; not blank"})


class PublishedQuery(PageQuery):
    window_id = fields.UUID(load_default=None)
    unit_id = fields.UUID(load_default=None)

    @validates_schema
    def _one_scope(self, data, **_kwargs):
        if (data.get("window_id") is None) == (data.get("unit_id") is None):
            raise ValidationError(_("give either window_id or unit_id"), "window_id")


class PublishedOut(Schema):
    id = fields.UUID()
    window_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    body = fields.String()
    received_on = fields.Date()
    state = fields.String(metadata={"enum": _values(SuggestionState)})
    reply = fields.String()


class PublishedPage(Page):
    items = fields.List(fields.Nested(PublishedOut))
