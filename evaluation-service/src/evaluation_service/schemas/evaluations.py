"""The shapes of /api/evaluations (api/evaluations.py): the scale, rounds, ratings in a round, paper sheets."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields
from pacesetter_shared.web.errors import localized
from pacesetter_shared.web.paging import Page
from pacesetter_shared.web.query import CommaList, sort_field

from ..domain.model import LeaderMode, Party, Rating, RoundState, TargetKind
from ..domain.parties import LeftOutReason
from .common import PageQuery, _values


class ScaleStepOut(Schema):
    rating = fields.Function(lambda s: s.rating.value, metadata={"enum": _values(Rating)})
    zh = fields.String()
    en = fields.String()
    points = fields.Integer(metadata={"description": "What one such rating counts as"})
    min_score = fields.Integer(metadata={"description": "The lowest result that earns this level"})


class PartyOut(Schema):
    party = fields.Function(lambda p: p["party"].value, metadata={"enum": _values(Party)})
    zh = fields.String()
    en = fields.String()
    anonymous = fields.Boolean(metadata={"description": "Shown only once at least min_group raters took part"})


class PartyWeightOut(Schema):
    party = fields.Function(lambda p: p["party"].value, metadata={"enum": _values(Party)})
    zh = fields.String()
    en = fields.String()
    weight = fields.Float(metadata={"description": "Percent; the weights of a round add up to 100"})


class TargetKindOut(Schema):
    target_kind = fields.Function(lambda t: t["target_kind"].value, metadata={"enum": _values(TargetKind)})
    zh = fields.String()
    en = fields.String()
    weights = fields.List(fields.Nested(PartyWeightOut))


class ScaleOut(Schema):
    scale = fields.List(fields.Nested(ScaleStepOut))
    parties = fields.List(fields.Nested(PartyOut))
    min_group = fields.Integer(metadata={"description": "Fewest raters for which a peer or masses result is shown"})
    target_kinds = fields.List(fields.Nested(TargetKindOut))


class TargetReport(Schema):
    target = fields.String(required=True, validate=validate.Length(1, 500))
    done = fields.String(required=True, validate=validate.Length(1, 4000))


class RoundCreate(Schema):
    target_kind = fields.String(required=True, validate=validate.OneOf(_values(TargetKind)))
    target_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    subject_person_id = fields.UUID(load_default=None, allow_none=True)
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    period = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}(-\d{2})?$"),
                           metadata={"description": "2026 or 2026-11; the year when left out"})
    title = fields.String(load_default="", validate=validate.Length(max=200))
    targets = fields.List(fields.String(validate=validate.Length(1, 500)), load_default=list,
                          metadata={"description": "What the self-assessment must report against"})
    weights = fields.Dict(keys=fields.String(), values=fields.Float(), load_default=None,
                          metadata={"description": "Percent per party, adding up to 100; the kind's default when left out"})
    deadline = fields.AwareDateTime(required=True)
    quorum_percent = fields.Float(load_default=None, metadata={
        "description": "At the deadline, the shown parties must weigh this much (default 60)"})
    peer_ids = fields.List(fields.UUID(), load_default=None,
                           metadata={"description": "Chosen by the secretary; else drawn at random from the branch"})
    peer_count = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    leader_ids = fields.List(fields.UUID(), load_default=None)


class RatingSubmit(Schema):
    party = fields.String(required=True, validate=validate.OneOf(_values(Party)))
    rating = fields.String(required=True, validate=validate.OneOf(_values(Rating)))
    comment = fields.String(load_default="", validate=validate.Length(max=4000))
    mode = fields.String(load_default=None, validate=validate.OneOf(_values(LeaderMode)))
    target_reports = fields.List(fields.Nested(TargetReport), load_default=None)


class PaperSheetIn(RatingSubmit):
    """代录: one paper 评议表 as a secretary enters it for a rater without a login."""

    sheet_no = fields.String(required=True, validate=[validate.Length(1, 40), validate.Regexp(r"^[A-Za-z0-9-]+$")],
                             metadata={"description": "The number on the paper sheet: the same number again is the "
                                                      "same sheet, kept once"})
    rater_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "Whose self-assessment or leader's comment it is (asked for that party); left out for a "
                       "peer's or the masses' sheet, which stays anonymous"})


class PartyProgressOut(Schema):
    party = fields.String()
    weight = fields.Float()
    submitted = fields.Integer()
    paper = fields.Integer(metadata={"description": "Of those submitted, how many a secretary entered from paper "
                                                    "评议表 (代录)"})
    deadline = fields.DateTime(metadata={"description": "This party's own deadline: it takes no rating after it"})
    waited_for = fields.Boolean(metadata={
        "description": "The round waits for this party (until it is in or its deadline passes) before it closes"})


class LeftOutOut(Schema):
    party = fields.String(metadata={"enum": _values(Party)})
    reason = fields.String(metadata={"enum": _values(LeftOutReason), "description": (
        "none_rated: no one rated by its deadline; too_few: fewer than min_group raters, who shown could be told "
        "apart")})
    raters = fields.Integer()
    deadline = fields.DateTime()
    explanation = fields.Function(lambda entry: localized(entry["explanation"]), metadata={
        "description": "Which party was left out and why, in the caller's language"})


class BreakdownOut(Schema):
    party = fields.String()
    weight = fields.Float()
    raters = fields.Integer()
    score = fields.Float(allow_none=True, metadata={"description": "Empty when too few raters to show"})
    share = fields.Float(allow_none=True, metadata={
        "description": "Percent it counts with in the score once the left-out parties' weight is shared out"})


class MyRatingOut(Schema):
    party = fields.String()
    rating = fields.String()
    comment = fields.String()
    mode = fields.String(allow_none=True)
    target_reports = fields.List(fields.Nested(TargetReport), allow_none=True)
    submitted_at = fields.DateTime()
    source = fields.String(metadata={"enum": ["online", "paper"],
                                     "description": "paper: a secretary entered it from a paper 评议表 (代录)"})
    entered_by = fields.UUID(allow_none=True, metadata={"description": "The secretary who entered a paper sheet"})


class NamedRaterOut(Schema):
    party = fields.String(metadata={"enum": [Party.SELF.value, Party.LEADER.value]})
    person_id = fields.UUID()
    name = fields.String(allow_none=True)


class PaperEntryOut(Schema):
    parties = fields.List(fields.String(metadata={"enum": _values(Party)}), metadata={
        "description": "The parties a paper sheet may still be entered for"})
    named = fields.List(fields.Nested(NamedRaterOut), metadata={
        "description": "The asked self-assessors and leaders who have not rated: a paper sheet of theirs names them"})


class RoundOut(Schema):
    id = fields.UUID()
    target_kind = fields.String()
    target_id = fields.UUID()
    period = fields.String()
    year = fields.Integer()
    title = fields.String()
    subject_person_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    targets = fields.List(fields.String())
    deadline = fields.DateTime()
    quorum_percent = fields.Float()
    min_group = fields.Integer()
    state = fields.String(metadata={"enum": _values(RoundState)})
    score = fields.Float(allow_none=True)
    level = fields.String(allow_none=True)
    breakdown = fields.List(fields.Nested(BreakdownOut), allow_none=True)
    left_out = fields.List(fields.Nested(LeftOutOut), allow_none=True, metadata={
        "description": "The parties left out of the result: short of the anonymity minimum (or of any rating) by "
                       "their deadline; their weight was shared among the others in proportion"})
    parties = fields.List(fields.Nested(PartyProgressOut))
    paper_entry = fields.Nested(PaperEntryOut, allow_none=True, metadata={
        "description": "代录, to the round's branch secretary or above while it is open: what they may enter from "
                       "paper 评议表; null for anyone else"})
    my_ratings = fields.List(fields.Nested(MyRatingOut), metadata={
        "description": "The caller's own ratings; a peer's or one of the masses' only while the round is open: "
                       "once it closes, nothing tells whose they are (评议人化名)"})
    my_parties = fields.List(fields.String(metadata={"enum": _values(Party)}), metadata={
        "description": "The parties the caller may still rate for: none once rated or closed; masses for anyone "
                       "asked for no other part"})
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    subject_name = fields.String(allow_none=True, metadata={"description": "The evaluated person's name"})
    unit_name = fields.String(allow_none=True, metadata={"description": "The name of the round's unit"})


class RoundPage(Page):
    items = fields.List(fields.Nested(RoundOut))


ROUND_SORTS = ["deadline", "-deadline", "opened_at", "-opened_at", "closed_at", "-closed_at"]


class RoundQuery(PageQuery):
    waiting = fields.Boolean(load_default=None, metadata={
        "description": "true: open rounds (before their deadline) with a part still open to me (my_parties not "
                       "empty); false: the others; left out: both"})
    state = CommaList(fields.String(validate=validate.OneOf(_values(RoundState))), load_default=None,
                      metadata={"description": "One or several states, repeated or comma-separated"})
    role = fields.String(load_default=None, validate=validate.OneOf(["rater", "evaluated"]), metadata={
        "description": "rater: I am asked to rate someone (a peer or a leader); evaluated: the round evaluates me "
                       "(I am its subject, or report for its unit as the self-assessment)"})
    party = CommaList(fields.String(validate=validate.OneOf(["self", "peer", "leader"])), load_default=None,
                      metadata={"description": "Rounds where I am asked for one of these parties"})
    target_kind = CommaList(fields.String(validate=validate.OneOf(_values(TargetKind))), load_default=None)
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))
    unit_id = fields.UUID(load_default=None, metadata={
        "description": "An organiser's list: the rounds of this unit and those below (its branch secretary, the "
                       "general branch's over it, 组织部; 403 for others); not with waiting, role or party"})
    sort = sort_field(ROUND_SORTS, "-opened_at", "By closing: rounds still open come last.")


class BulkRoundsIn(Schema):
    target_kind = fields.String(required=True, validate=validate.OneOf(["member_year", "branch"]))
    unit_id = fields.UUID(required=True, metadata={"description": "Every branch under this unit (or itself)"})
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    title = fields.String(load_default="", validate=validate.Length(max=200))
    weights = fields.Dict(keys=fields.String(), values=fields.Float(), load_default=None)
    deadline = fields.AwareDateTime(required=True)
    quorum_percent = fields.Float(load_default=None)
    peer_count = fields.Integer(load_default=None, validate=validate.Range(1, 50))


class BulkRoundsOut(Schema):
    opened = fields.Integer()
    already_open = fields.Integer()


class DefaultWeightsIn(Schema):
    weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True,
                          metadata={"description": "Percent per party (self, peer, masses, leader), adding up to 100"})


class PeersIn(Schema):
    peer_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 50),
                           metadata={"description": "Other members of the round's branch (党员互评)"})
