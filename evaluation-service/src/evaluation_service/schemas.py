"""The API's shapes (marshmallow): what a client may send and what it gets back."""
from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, validate, validates_schema

from pacesetter_shared.i18n import _
from pacesetter_shared.web import fields
from pacesetter_shared.web.errors import localized
from pacesetter_shared.web.paging import Page, limit_field, offset_field
from pacesetter_shared.web.query import CommaList, sort_field

from .domain.feedback import APPEAL_STATES, AppealDecision, SuggestionState
from .domain.model import LeaderMode, Party, Rating, RoundState, TargetKind
from .domain.parties import LeftOutReason
from .domain.ratings import (
    MAX_BATCH, MAX_CLOSE_BATCH, MIN_RANKED_RATINGS, SATISFACTION_LABELS, SHANGHAI, Granularity, case_overdue,
    tag_group,
)


def _values(enum):
    return [e.value for e in enum]


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


class PageQuery(Schema):
    limit = limit_field(20, 100)
    offset = offset_field()


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


# a rating link's token as the service makes it (secrets.token_urlsafe): anything else is no token of ours
LINK_TOKEN = [validate.Length(1, 64), validate.Regexp(r"^[A-Za-z0-9_-]+$", error="Not a rating link's token.")]


class WindowRatingIn(Schema):
    # no control characters (text cannot hold a NUL) nor lone surrogates (UTF-8 cannot): an id needs neither
    client_id = fields.String(required=True, validate=[validate.Length(1, 64), validate.Regexp(
        r"^[^\x00-\x1f\x7f\ud800-\udfff]+$", error="Printable characters only.")],
        metadata={"description": "Made by the client; a re-sent rating with it counts once"})
    window_id = fields.UUID(load_default=None, metadata={"description": "A kiosk's own window when left out"})
    level = fields.Integer(required=True, validate=validate.Range(1, 5), metadata={
        "description": "5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意"})
    reasons = fields.List(fields.String(validate=validate.Length(1, 50)), load_default=list,
                          validate=validate.Length(max=10))
    tag_set_version = fields.Integer(load_default=None, validate=validate.Range(1, fields.INTEGER_MAX))
    on_duty_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The member on duty: one of the window's on duty or its responsible person, else refused"})
    rated_at = fields.AwareDateTime(load_default=None, metadata={
        "description": "When it was given (now when left out): at most 5 minutes ahead, and no older than "
                       "RATING_MAX_AGE_KIOSK (48 h) from a kiosk or RATING_MAX_AGE_ONLINE (10 min) online"})
    link_token = fields.String(load_default=None, validate=LINK_TOKEN, metadata={
        "description": "Online (not a kiosk): the token of the window's current rating link (评价二维码, the t of "
                       "/rate/<window_id>?t=…); without it, or with a rotated one, 403 rating_link_invalid. A "
                       "kiosk needs none"})


class RatingLinkOut(Schema):
    window_id = fields.UUID()
    token = fields.String()
    url = fields.String(metadata={"description": "The portal's public rating page, /rate/<window_id>?t=<token>: "
                                                 "print it as the window's QR code"})
    rotated_at = fields.DateTime()


class RatingLinkQuery(Schema):
    t = fields.String(required=True, validate=LINK_TOKEN,
                      metadata={"description": "The token of the window's rating link"})


class OnDutyNameOut(Schema):
    id = fields.UUID(metadata={"description": "To name them in the rating (on_duty_id)"})
    name = fields.String()


class RatingPageOut(Schema):
    window_id = fields.UUID()
    name = fields.String()
    location = fields.String()
    on_duty = fields.List(fields.Nested(OnDutyNameOut))


class WindowRatingBatch(Schema):
    # any JSON value: an item that is not a rating is rejected on its own, the others still taken
    ratings = fields.List(fields.Raw(allow_none=True), required=True, validate=validate.Length(1, MAX_BATCH),
                          metadata={"description": f"Up to {MAX_BATCH} ratings, each as in POST /api/ratings"})


class WindowRatingOut(Schema):
    index = fields.Integer()
    client_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["accepted", "duplicate", "rejected"]})
    rating_id = fields.Integer()
    case_id = fields.UUID(allow_none=True, metadata={"description": "The follow-up case a bad rating opened"})
    error = fields.Dict()


class WindowRatingBatchOut(Schema):
    accepted = fields.Integer()
    duplicate = fields.Integer()
    rejected = fields.Integer()
    items = fields.List(fields.Nested(WindowRatingOut))


class TagSetIn(Schema):
    tags = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class TagSetOut(Schema):
    version = fields.Integer()
    tags = fields.Dict()
    levels = fields.Method("_levels")

    def _levels(self, _row):
        return [{"level": int(level), "zh": zh, "en": en, "tag_group": tag_group(level)}
                for level, (zh, en) in SATISFACTION_LABELS.items()]


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


class FiguresAsOf(Schema):
    as_of = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When the anonymity guard's decision these figures come from was made (公开口径)"})


class SummaryQuery(PageQuery):
    window_id = fields.UUID(load_default=None)
    unit_id = fields.UUID(load_default=None)
    on_duty_id = fields.UUID(load_default=None, metadata={
        "description": "A member on duty's own trend (the member, the secretaries over them, 组织部)"})
    granularity = fields.String(load_default="month", validate=validate.OneOf(Granularity.ALL))
    start = fields.Date(required=True, data_key="from", metadata={"description": "Shanghai date"})
    end = fields.Date(required=True, data_key="to", metadata={"description": "Shanghai date, included"})

    @validates_schema
    def _one_scope(self, data, **_kwargs):
        if sum(data.get(k) is not None for k in ("window_id", "unit_id", "on_duty_id")) != 1:
            raise ValidationError(_("give one of window_id, unit_id or on_duty_id"), "window_id")


class PeriodOut(Schema):
    period_start = fields.Date()
    shown = fields.Boolean(metadata={"description": "False when too few ratings to show without exposing raters"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True,
                         metadata={"description": "Ratings per level, 5 非常满意 … 1 非常不满意"})
    total = fields.Integer(allow_none=True)
    satisfied = fields.Integer(allow_none=True)
    satisfaction_rate = fields.Float(allow_none=True)


class SummaryPage(Page, FiguresAsOf):
    items = fields.List(fields.Nested(PeriodOut))


WINDOW_SORTS = ["name", "satisfaction_rate", "-satisfaction_rate", "ratings", "-ratings"]


class WindowSatisfactionQuery(PageQuery):
    unit_id = fields.UUID(load_default=None, metadata={
        "description": "Every window at or under this unit; left out: the windows I oversee (the units where I am "
                       "a secretary and the units below them, the windows I answer for; 组织部: all)"})
    start = fields.Date(load_default=None, data_key="from", metadata={
        "description": "Shanghai date; its whole month counts. Left out: the first day of the month 11 months "
                       "before to's (12 months in all)"})
    end = fields.Date(load_default=None, data_key="to", metadata={
        "description": "Shanghai date, its month included; today when left out"})
    sort = sort_field(WINDOW_SORTS, "name", "name: by unit name, then window name. Windows without a figure come "
                                            "last in the other orders.")


class WindowSatisfactionOut(Schema):
    window_id = fields.UUID()
    name = fields.String()
    unit_id = fields.UUID()
    unit_name = fields.String(allow_none=True)
    responsible_id = fields.UUID(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Ratings per level, 5 非常满意 … 1 非常不满意, over the shown months"})
    ratings = fields.Integer(metadata={"description": "Ratings of the shown months"})
    satisfied = fields.Integer(metadata={"description": "非常满意 + 满意 + 基本满意 of the shown months"})
    satisfaction_rate = fields.Float(allow_none=True, metadata={"description": "satisfied / ratings; none without ratings"})
    hidden_months = fields.Integer(metadata={
        "description": "Months with ratings left out because too few raters took part (评价人数不足，不显示)"})


class WindowSatisfactionPage(Page, FiguresAsOf):
    items = fields.List(fields.Nested(WindowSatisfactionOut))
    start = fields.Date(data_key="from", metadata={"description": "The first day counted"})
    end = fields.Date(data_key="to", metadata={"description": "The last day asked for (its whole month counts)"})


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


class AppealIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 4000))


class AppealDecide(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(_values(AppealDecision)), metadata={
        "description": "upheld (申诉成立: the rating or note leaves statistics and rankings, and stays stored) or "
                       "rejected (申诉不成立). Nobody decides an appeal they filed or about a window they answer "
                       "for (403)"})
    note = fields.String(required=True, validate=validate.Length(1, 4000), metadata={
        "description": "Why: kept with the decision, who made it and when; not blank"})


class AppealOut(Schema):
    id = fields.UUID()
    rating_id = fields.Integer(allow_none=True)
    suggestion_id = fields.UUID(allow_none=True)
    appellant_id = fields.UUID()
    reason = fields.String()
    filed_at = fields.DateTime()
    decision = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    decided_by = fields.UUID(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class AppealQuery(PageQuery):
    state = CommaList(fields.String(validate=validate.OneOf(APPEAL_STATES)), load_default=None, metadata={
        "description": "One or several of pending, upheld (the ratings taken out of the counts), rejected; "
                       "repeated or comma-separated (state=pending,upheld)"})
    window_id = fields.UUID(load_default=None, metadata={"description": "Only the appeals about this window's ratings"})
    unit_id = fields.UUID(load_default=None, metadata={
        "description": "Only the ratings of windows at or under this unit (its branches and groups count)"})
    start = fields.Date(load_default=None, data_key="from", metadata={
        "description": "Filed on or after this Shanghai date"})
    end = fields.Date(load_default=None, data_key="to", metadata={
        "description": "Filed on or before this Shanghai date (included)"})

    @validates_schema
    def _range(self, data, **_kwargs):
        if data.get("start") is not None and data.get("end") is not None and data["end"] < data["start"]:
            raise ValidationError(_("not before from"), "to")


class AppealedRatingOut(Schema):
    """The rating an appeal is about, as the audit shows it: never its device, client or member on duty."""
    id = fields.Integer()
    window_id = fields.UUID()
    window_name = fields.String(allow_none=True)
    unit_id = fields.UUID()
    level = fields.Integer(metadata={"description": "5 非常满意 … 1 非常不满意"})
    rated_at = fields.DateTime()
    excluded = fields.Boolean(metadata={"description": "An upheld appeal took it out of the summary and ranking"})


class AppealRecordOut(Schema):
    """One appeal of the 申诉复核 audit: who filed it, why and when; who decided, why and when; which rating."""
    id = fields.UUID()
    appellant_id = fields.UUID(metadata={"description": "The window's responsible person who filed it"})
    appellant_name = fields.String(allow_none=True)
    reason = fields.String()
    filed_at = fields.DateTime()
    state = fields.String(metadata={"enum": APPEAL_STATES})
    decision_note = fields.String(allow_none=True, metadata={"description": "Why it was decided so"})
    decided_by = fields.UUID(allow_none=True)
    decided_by_name = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    rating = fields.Nested(AppealedRatingOut)


class AppealPage(Page):
    items = fields.List(fields.Nested(AppealRecordOut))


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


class RankingQuery(PageQuery):
    unit_id = fields.UUID(required=True)
    month = fields.String(required=True, validate=validate.Regexp(r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"),
                          metadata={"description": "YYYY-MM, Shanghai calendar"})
    by = fields.String(load_default="window", validate=validate.OneOf(["window", "on_duty"]),
                       metadata={"description": "window: 星级窗口; on_duty: 服务标兵 (members on duty)"})
    min_ratings = fields.Integer(load_default=None, validate=validate.Range(1), metadata={
        "description": f"Fewest ratings for a place (the RANKING_MIN_RATINGS setting, {MIN_RANKED_RATINGS}, "
                       "when left out); never below the anonymity threshold"})


class PlaceOut(Schema):
    key = fields.UUID(metadata={"description": "The window, or the member on duty"})
    name = fields.String(allow_none=True)
    rank = fields.Integer()
    ratings = fields.Integer()
    satisfaction_rate = fields.Float()
    last_two_months = fields.Boolean(metadata={"description": "Last this month and the month before"})


class RankingPage(Page, FiguresAsOf):
    items = fields.List(fields.Nested(PlaceOut))


class RhythmQuery(Schema):
    unit_id = fields.UUID(required=True)
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


class RhythmBucketOut(Schema):
    key = fields.Integer(metadata={"description": "Hour 0–23, or ISO weekday 1 (Monday) – 7"})
    shown = fields.Boolean()
    ratings = fields.Integer(allow_none=True)
    satisfaction_rate = fields.Float(allow_none=True)


class RhythmOut(FiguresAsOf):
    span = fields.String(metadata={"enum": ["month", "year"],
                                   "description": "from and to in one month: that month; else the year of to"})
    period_start = fields.Date()
    by_hour = fields.List(fields.Nested(RhythmBucketOut))
    by_weekday = fields.List(fields.Nested(RhythmBucketOut))


class DefaultWeightsIn(Schema):
    weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True,
                          metadata={"description": "Percent per party (self, peer, masses, leader), adding up to 100"})


class StarQuery(PageQuery):
    unit_id = fields.UUID(required=True, metadata={"description": "The windows or members under this unit"})
    month = fields.String(required=True, validate=validate.Regexp(r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"),
                          metadata={"description": "YYYY-MM, Shanghai calendar"})
    by = fields.String(load_default="window", validate=validate.OneOf(["window", "on_duty"]),
                       metadata={"description": "window: 星级窗口; on_duty: 服务标兵"})


class StarHistoryQuery(PageQuery):
    unit_id = fields.UUID(required=True)
    by = fields.String(load_default="window", validate=validate.OneOf(["window", "on_duty"]))


class StarOut(Schema):
    scope = fields.String(metadata={"enum": ["window", "on_duty"]})
    key = fields.UUID(metadata={"description": "The window, or the member on duty"})
    name = fields.String(allow_none=True, metadata={"description": "The window's name, or the member's"})
    unit_id = fields.UUID()
    month = fields.String()
    stars = fields.Integer(metadata={"description": "0 to 5; 0 when too few ratings, or hidden to keep raters anonymous"})
    ratings = fields.Integer(allow_none=True)
    satisfaction_rate = fields.Float(allow_none=True)
    graded_at = fields.DateTime(metadata={"description": "History only: when the job graded it"})


class StarPage(Page, FiguresAsOf):
    items = fields.List(fields.Nested(StarOut))


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


class PeersIn(Schema):
    peer_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 50),
                           metadata={"description": "Other members of the round's branch (党员互评)"})
