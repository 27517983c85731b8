"""The masses' ratings of service windows, blueprint ``ratings`` (/api/ratings): one rating or a kiosk's batch, a
window's rating link (评价二维码) and its public page, the figures (summary, my windows' satisfaction, ranking, rhythm,
stars), the reason tags, and appeals against ratings (申诉复核)."""
from __future__ import annotations

import uuid
from datetime import date

from marshmallow import ValidationError

from pacesetter_shared.web import Blueprint, anonymous_allowed, current_identity, strict
from pacesetter_shared.web.errors import localized_error
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, run_idempotently, write_once
from pacesetter_shared.web.plain_load import PlainLoad

from ..schemas.common import AppealIn, AppealOut
from ..schemas.ratings import (
    AppealPage, AppealQuery, RankingPage, RankingQuery, RatingLinkOut, RatingLinkQuery, RatingPageOut, RhythmOut,
    RhythmQuery, StarHistoryQuery, StarPage, StarQuery, SummaryPage, SummaryQuery, TagSetIn, TagSetOut,
    WindowRatingBatch, WindowRatingBatchOut, WindowRatingIn, WindowRatingOut, WindowSatisfactionPage,
    WindowSatisfactionQuery,
)
from ..service import appeals, rating_links, star_grades, statistics, window_ratings
from ._views import _config, _svc

blp = Blueprint("ratings", __name__, url_prefix="/api/ratings",
                description="The masses' ratings of service windows (即时评价、在线评估)")


# The idempotency record of a masses' rating is kept under no caller: a kiosk's device id or a logged-in
# rater's account beside the stored answer (its rating id) would tie the rating to them.
MASSES = "masses"


# Built once: webargs makes a new schema per request from a class, and a kiosk's batch loads each rating
# (PlainLoad: each in half the time of the schema's own load, with the same answers and errors).
RATING_IN, RATING_OUT = WindowRatingIn(), WindowRatingOut()
LOAD_RATING = PlainLoad(RATING_IN)


@blp.route("", methods=["POST"])
@blp.arguments(RATING_IN)
@blp.response(201, WindowRatingOut)
@blp.alt_response(200, schema=WindowRatingOut, description="Sent before: a duplicate, counted once")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@anonymous_allowed
def rate_window(item):
    """One rating of a window (非常满意 … 非常不满意), from its kiosk or online (anonymous allowed). Online, it
    carries the token of the window's rating link (403 rating_link_invalid without it); a window takes only
    so many online ratings in a span (429 with Retry-After)."""
    identity = current_identity()

    def action(uow):
        answer = window_ratings.rate_window(uow, identity, item, followup_days=_config().followup_working_days,
                                            intake=_config().intake, end_of_day=_config().deadline_end_of_day)
        return RATING_OUT.dump(answer), 201 if answer["status"] == "accepted" else 200

    return run_idempotently(_svc().uow_factory, MASSES, action)


@blp.route("/batch", methods=["POST"])
@blp.arguments(WindowRatingBatch)
@blp.response(200, WindowRatingBatchOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@anonymous_allowed
@strict.per_item("ratings")
def rate_windows(body):
    """Up to 500 ratings in one transaction: each accepted, a duplicate, or rejected with the reason."""
    identity = current_identity()
    unreadable = strict.item_problems()  # NUL, a lone surrogate, a number out of range… in an item
    items = []
    load = LOAD_RATING.batch()
    for index, raw in enumerate(body["ratings"]):
        try:
            if index in unreadable:
                raise ValidationError(unreadable[index])
            items.append((load(raw), {}))
        except ValidationError as exc:
            items.append((_repeatable(raw, exc.messages), exc.messages))

    def action(uow):
        # The answer is built in WindowRatingBatchOut's shape already (tests hold it to the schema):
        # dumping 100 items again through marshmallow cost more than their INSERT.
        answer = window_ratings.rate_windows(uow, identity, items, followup_days=_config().followup_working_days,
                                             intake=_config().intake, end_of_day=_config().deadline_end_of_day)
        for item in answer["items"]:
            if item.get("error"):  # a rejected item's reason, in the caller's language
                item["error"] = localized_error(**item["error"])["error"]
        return answer, 200

    return run_idempotently(_svc().uow_factory, MASSES, action)


def _repeatable(raw, errors: dict) -> dict | None:
    """What a rejected item's answer may repeat of it: its client id, unless that is what was wrong (bad
    text repeated would break the answer, and a kiosk matches answers by the ids it sent)."""
    if isinstance(raw, dict) and isinstance(raw.get("client_id"), str) and "client_id" not in errors:
        return {"client_id": raw["client_id"]}
    return None


@blp.route("/windows/<uuid:window_id>/link", methods=["GET"])
@blp.response(200, RatingLinkOut)
def rating_link(window_id: uuid.UUID):
    """评价二维码: the window's current rating link, to print at its counter (组织部, ops, the secretaries of its
    unit and the units above); made on first asking."""
    with _svc().uow_factory() as uow:
        return rating_links.current_link(uow, current_identity(), window_id)


@blp.route("/windows/<uuid:window_id>/link", methods=["POST"])
@blp.response(200, RatingLinkOut)
def rotate_rating_link(window_id: uuid.UUID):
    """A new rating link for the window (组织部): the one printed before stops working at once."""
    with _svc().uow_factory() as uow:
        return rating_links.rotate_link(uow, current_identity(), window_id)


@blp.route("/windows/<uuid:window_id>/public", methods=["GET"])
@blp.arguments(RatingLinkQuery, location="query")
@blp.response(200, RatingPageOut)
@anonymous_allowed
def rating_page(query, window_id: uuid.UUID):
    """What the public rating page (/rate/<window_id>?t=…) shows, with the window's current link token only:
    the window's name and the names of those on duty (403 rating_link_invalid with another token)."""
    with _svc().uow_factory() as uow:
        return rating_links.public_window(uow, window_id, query["t"])


@blp.route("/summary", methods=["GET"])
@blp.arguments(SummaryQuery, location="query")
@blp.response(200, SummaryPage)
def summary(query):
    """Counts per level and satisfaction per day/week/month/year (the trend) of a window, a unit or a member on
    duty (Shanghai dates); a period too small to keep its raters anonymous, or one that two answers could
    work out by subtraction, is hidden."""
    with _svc().uow_factory() as uow:
        periods, fresh = statistics.summary(
            uow, current_identity(), window_id=query["window_id"], unit_id=query["unit_id"],
            on_duty_id=query["on_duty_id"],
            granularity=query["granularity"], start=query["start"], end=query["end"], policy=_config().figures)
    page = periods[query["offset"]:query["offset"] + query["limit"]]
    return {"items": page, "total": len(periods), "limit": query["limit"], "offset": query["offset"], **fresh}


@blp.route("/windows", methods=["GET"])
@blp.arguments(WindowSatisfactionQuery, location="query")
@blp.response(200, WindowSatisfactionPage)
def windows_satisfaction(query):
    """我的窗口满意度: every window I oversee — the units where I am a secretary and every unit below them, the
    windows I answer for, all for 组织部 — or every window at or under ``unit_id``, with its ratings over whole
    months (the last 12 by default), only from months shown without exposing raters; a page of them."""
    with _svc().uow_factory() as uow:
        items, total, fresh, start, end = statistics.windows_satisfaction(
            uow, current_identity(), unit_id=query["unit_id"], start=query["start"], end=query["end"],
            sort=query["sort"], limit=query["limit"], offset=query["offset"], policy=_config().figures)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"], **fresh,
            "start": start, "end": end}


@blp.route("/ranking", methods=["GET"])
@blp.arguments(RankingQuery, location="query")
@blp.response(200, RankingPage)
def month_ranking(query):
    """A month's ranking by satisfaction of the windows (星级窗口) or members on duty (服务标兵) under a unit."""
    year, month = map(int, query["month"].split("-"))
    with _svc().uow_factory() as uow:
        places, total, fresh = statistics.month_ranking(
            uow, current_identity(), unit_id=query["unit_id"], month=date(year, month, 1), by=query["by"],
            min_ratings=query["min_ratings"] or _config().ranking_min_ratings, policy=_config().figures,
            offset=query["offset"], limit=query["limit"])
    return {"items": places, "total": total, "limit": query["limit"], "offset": query["offset"], **fresh}


@blp.route("/rhythm", methods=["GET"])
@blp.arguments(RhythmQuery, location="query")
@blp.response(200, RhythmOut)
def rhythm(query):
    """Satisfaction by hour of day and weekday (Shanghai) of a unit's windows over the month of from and to,
    or over their year when they lie in different months; small groups hidden."""
    with _svc().uow_factory() as uow:
        return statistics.rhythm(uow, current_identity(), unit_id=query["unit_id"], start=query["start"],
                                 end=query["end"], policy=_config().figures)


@blp.route("/stars", methods=["GET"])
@blp.arguments(StarQuery, location="query")
@blp.response(200, StarPage)
def stars(query):
    """星级窗口 / 服务标兵 on demand: each window's or member's stars for a month as its ratings stand now
    (thresholds: the STAR_THRESHOLDS setting); none where too few ratings or hidden for anonymity."""
    year, month = map(int, query["month"].split("-"))
    with _svc().uow_factory() as uow:
        grades, fresh = star_grades.current_stars(uow, current_identity(), unit_id=query["unit_id"],
                                                 month=date(year, month, 1), by=query["by"], rule=_config().stars,
                                                 policy=_config().figures)
    return {"items": grades[query["offset"]:query["offset"] + query["limit"]], "total": len(grades),
            "limit": query["limit"], "offset": query["offset"], **fresh}


@blp.route("/stars/history", methods=["GET"])
@blp.arguments(StarHistoryQuery, location="query")
@blp.response(200, StarPage)
def star_history(query):
    """The stars the monthly job recorded, newest month first."""
    with _svc().uow_factory() as uow:
        items, total = star_grades.star_history(uow, current_identity(), unit_id=query["unit_id"], by=query["by"],
                                               limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/tags", methods=["GET"])
@blp.response(200, TagSetOut)
@anonymous_allowed
def current_tags():
    """The reason tags offered now, by level (praise for the top two, complaints for the bottom two)."""
    with _svc().uow_factory() as uow:
        return window_ratings.current_tag_set(uow)


@blp.route("/tags", methods=["POST"])
@blp.arguments(TagSetIn)
@blp.response(201, TagSetOut)
def publish_tags(body):
    """A new version of the reason tags (组织部); earlier ratings keep theirs."""
    with _svc().uow_factory() as uow:
        return window_ratings.publish_tag_set(uow, current_identity(), body["tags"])


@blp.route("/appeals", methods=["GET"])
@blp.arguments(AppealQuery, location="query")
@blp.response(200, AppealPage)
def list_appeals(query):
    """申诉复核台账: the appeals against ratings, newest first, each with who filed it, why and when, the
    decision with who made it, why and when, and the rating (window, level, time; never who rated). The
    organisation department reads all, a general branch secretary the windows under their general branch;
    state=upheld lists the ratings taken out of the summary and ranking. ``total`` counts every match."""
    with _svc().uow_factory() as uow:
        items, total = appeals.list_appeals(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/<int:rating_id>/appeals", methods=["POST"])
@blp.arguments(AppealIn)
@blp.response(201, AppealOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def appeal(body, rating_id: int):
    """申诉复核: the window's responsible person asks for a rating to be reviewed, with the reason."""
    return write_once(AppealOut, lambda uow, who: appeals.appeal_rating(uow, who, rating_id, body["reason"]), 201)
