"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from marshmallow import Schema, fields, validate

from .domain.model import InstantTrigger, LeadArea, PledgeKind, PledgeMode, PledgeState, TRANSITIONS


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


class PledgeOut(Schema):
    id = fields.UUID()
    pledger_kind = fields.String()
    pledger_id = fields.UUID()
    unit_id = fields.UUID()
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
    state = fields.Function(lambda p: p.state.value, metadata={"enum": _values(PledgeState)})
    return_reason = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    history = fields.List(fields.Nested(TransitionOut))


class PledgeSummary(PledgeOut):
    class Meta:
        exclude = ("history",)


class PledgePage(Schema):
    items = fields.List(fields.Nested(PledgeSummary))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class PledgeListQuery(Schema):
    scope = fields.String(load_default="mine", validate=validate.OneOf(["mine", "review"]))
    state = fields.List(fields.String(validate=validate.OneOf(_values(PledgeState))), load_default=None)
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 200))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))


class GuidanceOut(Schema):
    department_kind = fields.String()
    areas = fields.List(fields.String())
    themes_zh = fields.List(fields.String())
    themes_en = fields.List(fields.String())


ACTIONS = sorted(a for a in TRANSITIONS if a not in ("mark_overdue", "record_evaluation", "close"))
