"""The shapes of /api/ratings (api/ratings.py): a window's ratings, rating links, reason tags, the figures and
the appeals audit."""
from marshmallow import Schema, ValidationError, validate, validates_schema

from pacesetter_shared.i18n import _
from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page
from pacesetter_shared.web.query import CommaList, sort_field

from ..domain.feedback import APPEAL_STATES
from ..domain.ratings import MAX_BATCH, MIN_RANKED_RATINGS, SATISFACTION_LABELS, Granularity, tag_group
from .common import PageQuery


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
    ratings = fields.RawItems(required=True, validate=validate.Length(1, MAX_BATCH),
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


class FiguresAsOf(Schema):
    as_of = fields.AwareDateTime(allow_none=True, metadata={
        "description": "When the anonymity guard's decision these figures come from was made (公开口径); none "
                       "while a year they read is not worked out yet, or has no ratings"})
    figures = fields.String(metadata={"enum": ["ready", "preparing"], "description":
        "preparing: a year these figures read has ratings the evaluation worker has not worked out yet (just after "
        "it started, or a year it has not reached; within DISCLOSURE_REFRESH_SECONDS), so they read as none — ask "
        "again shortly (本年度统计正在生成). ready: worked out, and empty where there were no ratings"})


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
