"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid
from datetime import date

from flask import current_app
from marshmallow import ValidationError

from pacesetter_shared.web import Blueprint, anonymous_allowed, current_identity, strict
from pacesetter_shared.web.errors import localized_error
from pacesetter_shared.web.idempotency import run_idempotently

from . import paper_sheets, rating_links, rounds, service, statistics, suggestions, window_ratings
from .schemas import (
    AppealDecide, AppealIn, AppealOut, BulkRoundsIn, BulkRoundsOut, DefaultWeightsIn, RankingPage, RankingQuery, RhythmOut, RhythmQuery, NoteHandle, NoteIn, NoteOut, NotePage, NoteQuery, NoteReceipt,
    CaseBatchOut, CaseClose, CaseCloseBatch, CaseOut, CasePage, CaseQuery, RatingSubmit, RoundCreate, RoundOut, RoundPage, RoundQuery, ScaleOut,
    PeersIn, PublishedPage, PublishedQuery, StarHistoryQuery, StarPage, StarQuery, SummaryPage, SummaryQuery, TagSetIn, TagSetOut, WindowRatingBatch, WindowRatingBatchOut, WindowRatingIn,
    WindowRatingOut, WindowSatisfactionPage, WindowSatisfactionQuery,
)
from .schemas import RatingLinkOut, RatingLinkQuery, RatingPageOut
from .schemas import AppealPage, AppealQuery
from .schemas import PaperSheetIn

IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}}

blp = Blueprint("evaluations", __name__, url_prefix="/api/evaluations",
                description="Evaluation rounds (三评: 个人自评、党员互评、群众评议、领导点评)")
ratings_blp = Blueprint("ratings", __name__, url_prefix="/api/ratings",
                        description="The masses' ratings of service windows (即时评价、在线评估)")


def _svc():
    return current_app.extensions["pacesetter"]


def _config():
    return current_app.extensions["evaluation_config"]


@blp.route("/scale", methods=["GET"])
@blp.response(200, ScaleOut)
def scale():
    """The rating scale (优秀/良好/一般/较差) and the default weights of each kind of round."""
    with _svc().uow_factory() as uow:
        return service.describe_scale(_config().min_group, rounds.default_weights_for(uow))


@blp.route("/defaults/<any(pledge, member_year, branch, window):target_kind>", methods=["PUT"])
@blp.arguments(DefaultWeightsIn)
@blp.response(200, ScaleOut)
def set_default_weights(body, target_kind: str):
    """组织部: a kind's default weights (percent per party, adding up to 100) for rounds opened from now on."""
    with _svc().uow_factory() as uow:
        weights = rounds.set_default_weights(uow, current_identity(), target_kind, body["weights"])
    return service.describe_scale(_config().min_group, weights)


@blp.route("/rounds", methods=["POST"])
@blp.arguments(RoundCreate)
@blp.response(201, RoundOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_round(command):
    """Open a round (组织部 or the general branch over the unit); its raters are asked by event."""
    identity = current_identity()

    def action(uow):
        row = rounds.open_round_by_hand(uow, identity, command, _config())
        return RoundOut().dump(rounds.get_round(uow, identity, row.id)), 201

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@blp.route("/rounds/bulk", methods=["POST"])
@blp.arguments(BulkRoundsIn)
@blp.response(201, BulkRoundsOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_rounds_in_bulk(command):
    """组织部: one round per member's year, or per branch, under a unit; each target once per year."""
    identity = current_identity()

    def action(uow):
        counts = rounds.open_rounds_in_bulk(uow, identity, command, _config())
        return BulkRoundsOut().dump(counts), 201

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@blp.route("/rounds", methods=["GET"])
@blp.arguments(RoundQuery, location="query")
@blp.response(200, RoundPage)
def list_rounds(query):
    """Rounds where I am evaluated or asked to rate, filtered (waiting for my rating, state, my role or party,
    kind, year) and sorted; ``total`` counts every matching round. The masses are asked by no list: they come
    by a round's link."""
    with _svc().uow_factory() as uow:
        items, total = rounds.list_rounds(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/rounds/<uuid:round_id>", methods=["GET"])
@blp.response(200, RoundOut)
def get_round(round_id: uuid.UUID):
    """A round: counts while open, the result once closed, my own ratings and the parties still open to me
    (my_parties); never who rated what. While open, anyone who may rate as the masses sees it: they come by its link.
    The round's branch secretary or above sees what they may enter from paper (paper_entry)."""
    identity = current_identity()
    with _svc().uow_factory() as uow:
        return rounds.get_round(uow, identity, round_id) | {
            "paper_entry": paper_sheets.entry_for(uow, identity, round_id)}


@blp.route("/rounds/<uuid:round_id>/peers", methods=["PUT"])
@blp.arguments(PeersIn)
@blp.response(200, RoundOut)
def choose_peers(body, round_id: uuid.UUID):
    """The branch secretary names the peers (党员互评) of an open round, before any has rated."""
    identity = current_identity()
    with _svc().uow_factory() as uow:
        rounds.choose_peers(uow, identity, round_id, body["peer_ids"])
        return rounds.get_round(uow, identity, round_id)


@blp.route("/rounds/<uuid:round_id>/ratings", methods=["POST"])
@blp.arguments(RatingSubmit)
@blp.response(201, RoundOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def rate_in_round(command, round_id: uuid.UUID):
    """Rate for one party: the self-assessment reports on each target, a leader's comment gives its mode."""
    identity = current_identity()

    def action(uow):
        return RoundOut().dump(rounds.submit_rating(uow, identity, round_id, command)), 201

    with _svc().uow_factory() as uow:
        caller = rounds.rating_caller(uow, identity, round_id)
    return run_idempotently(_svc().uow_factory, caller, action)


@blp.route("/rounds/<uuid:round_id>/paper-sheets", methods=["POST"])
@blp.arguments(PaperSheetIn)
@blp.response(201, RoundOut)
@blp.alt_response(200, schema=RoundOut, description="The same sheet number entered before: kept once")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def enter_paper_sheet(command, round_id: uuid.UUID):
    """代录: the round's branch secretary (or the general branch, 组织部) enters a paper 评议表 for a rater without a
    login, recorded as entered from paper by them. A peer's or the masses' sheet names no one (anonymous as
    online); a self-assessment or leader's comment names its rater (rater_id). A sheet number once per round:
    the same sheet again answers 200, other answers under it 409."""
    identity = current_identity()

    def action(uow):
        view, new = paper_sheets.enter_paper_sheet(uow, identity, round_id, command)
        return RoundOut().dump(view), 201 if new else 200

    return run_idempotently(_svc().uow_factory, identity.subject, action)


# The idempotency record of a masses' rating is kept under no caller: a kiosk's device id or a logged-in
# rater's account beside the stored answer (its rating id) would tie the rating to them.
MASSES = "masses"


# Built once: webargs makes a new schema per request from a class, and a kiosk's batch loads each rating.
RATING_IN, RATING_OUT = WindowRatingIn(), WindowRatingOut()


@ratings_blp.route("", methods=["POST"])
@ratings_blp.arguments(RATING_IN)
@ratings_blp.response(201, WindowRatingOut)
@ratings_blp.alt_response(200, schema=WindowRatingOut, description="Sent before: a duplicate, counted once")
@ratings_blp.doc(parameters=[IDEMPOTENCY_KEY])
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


@ratings_blp.route("/batch", methods=["POST"])
@ratings_blp.arguments(WindowRatingBatch)
@ratings_blp.response(200, WindowRatingBatchOut)
@ratings_blp.doc(parameters=[IDEMPOTENCY_KEY])
@anonymous_allowed
@strict.per_item("ratings")
def rate_windows(body):
    """Up to 500 ratings in one transaction: each accepted, a duplicate, or rejected with the reason."""
    identity = current_identity()
    unreadable = strict.item_problems()  # NUL, a lone surrogate, a number out of range… in an item
    items = []
    for index, raw in enumerate(body["ratings"]):
        try:
            if index in unreadable:
                raise ValidationError(unreadable[index])
            items.append((RATING_IN.load(raw), {}))
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


@ratings_blp.route("/windows/<uuid:window_id>/link", methods=["GET"])
@ratings_blp.response(200, RatingLinkOut)
def rating_link(window_id: uuid.UUID):
    """评价二维码: the window's current rating link, to print at its counter (组织部, ops, the secretaries of its
    unit and the units above); made on first asking."""
    with _svc().uow_factory() as uow:
        return rating_links.current_link(uow, current_identity(), window_id)


@ratings_blp.route("/windows/<uuid:window_id>/link", methods=["POST"])
@ratings_blp.response(200, RatingLinkOut)
def rotate_rating_link(window_id: uuid.UUID):
    """A new rating link for the window (组织部): the one printed before stops working at once."""
    with _svc().uow_factory() as uow:
        return rating_links.rotate_link(uow, current_identity(), window_id)


@ratings_blp.route("/windows/<uuid:window_id>/public", methods=["GET"])
@ratings_blp.arguments(RatingLinkQuery, location="query")
@ratings_blp.response(200, RatingPageOut)
@anonymous_allowed
def rating_page(query, window_id: uuid.UUID):
    """What the public rating page (/rate/<window_id>?t=…) shows, with the window's current link token only:
    the window's name and the names of those on duty (403 rating_link_invalid with another token)."""
    with _svc().uow_factory() as uow:
        return rating_links.public_window(uow, window_id, query["t"])


@ratings_blp.route("/summary", methods=["GET"])
@ratings_blp.arguments(SummaryQuery, location="query")
@ratings_blp.response(200, SummaryPage)
def summary(query):
    """Counts per level and satisfaction per day/week/month/year (the trend) of a window, a unit or a member on
    duty (Shanghai dates); a period too small to keep its raters anonymous, or one that two answers could
    work out by subtraction, is hidden."""
    with _svc().uow_factory() as uow:
        periods, as_of = statistics.summary(
            uow, current_identity(), window_id=query["window_id"], unit_id=query["unit_id"],
            on_duty_id=query["on_duty_id"],
            granularity=query["granularity"], start=query["start"], end=query["end"], policy=_config().figures)
    page = periods[query["offset"]:query["offset"] + query["limit"]]
    return {"items": page, "total": len(periods), "limit": query["limit"], "offset": query["offset"],
            "as_of": as_of}


@ratings_blp.route("/windows", methods=["GET"])
@ratings_blp.arguments(WindowSatisfactionQuery, location="query")
@ratings_blp.response(200, WindowSatisfactionPage)
def windows_satisfaction(query):
    """我的窗口满意度: every window I oversee — the units where I am a secretary and every unit below them, the
    windows I answer for, all for 组织部 — or every window at or under ``unit_id``, with its ratings over whole
    months (the last 12 by default), only from months shown without exposing raters; a page of them."""
    with _svc().uow_factory() as uow:
        items, total, as_of, start, end = statistics.windows_satisfaction(
            uow, current_identity(), unit_id=query["unit_id"], start=query["start"], end=query["end"],
            sort=query["sort"], limit=query["limit"], offset=query["offset"], policy=_config().figures)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"], "as_of": as_of,
            "start": start, "end": end}


@ratings_blp.route("/ranking", methods=["GET"])
@ratings_blp.arguments(RankingQuery, location="query")
@ratings_blp.response(200, RankingPage)
def month_ranking(query):
    """A month's ranking by satisfaction of the windows (星级窗口) or members on duty (服务标兵) under a unit."""
    year, month = map(int, query["month"].split("-"))
    with _svc().uow_factory() as uow:
        places, as_of = statistics.month_ranking(
            uow, current_identity(), unit_id=query["unit_id"], month=date(year, month, 1), by=query["by"],
            min_ratings=query["min_ratings"] or _config().ranking_min_ratings, policy=_config().figures)
    return {"items": places[query["offset"]:query["offset"] + query["limit"]], "total": len(places),
            "limit": query["limit"], "offset": query["offset"], "as_of": as_of}


@ratings_blp.route("/rhythm", methods=["GET"])
@ratings_blp.arguments(RhythmQuery, location="query")
@ratings_blp.response(200, RhythmOut)
def rhythm(query):
    """Satisfaction by hour of day and weekday (Shanghai) of a unit's windows over the month of from and to,
    or over their year when they lie in different months; small groups hidden."""
    with _svc().uow_factory() as uow:
        return statistics.rhythm(uow, current_identity(), unit_id=query["unit_id"], start=query["start"],
                                 end=query["end"], policy=_config().figures)


@ratings_blp.route("/stars", methods=["GET"])
@ratings_blp.arguments(StarQuery, location="query")
@ratings_blp.response(200, StarPage)
def stars(query):
    """星级窗口 / 服务标兵 on demand: each window's or member's stars for a month as its ratings stand now
    (thresholds: the STAR_THRESHOLDS setting); none where too few ratings or hidden for anonymity."""
    year, month = map(int, query["month"].split("-"))
    with _svc().uow_factory() as uow:
        grades, as_of = statistics.current_stars(uow, current_identity(), unit_id=query["unit_id"],
                                                 month=date(year, month, 1), by=query["by"], rule=_config().stars,
                                                 policy=_config().figures)
    return {"items": grades[query["offset"]:query["offset"] + query["limit"]], "total": len(grades),
            "limit": query["limit"], "offset": query["offset"], "as_of": as_of}


@ratings_blp.route("/stars/history", methods=["GET"])
@ratings_blp.arguments(StarHistoryQuery, location="query")
@ratings_blp.response(200, StarPage)
def star_history(query):
    """The stars the monthly job recorded, newest month first."""
    with _svc().uow_factory() as uow:
        items, total = statistics.star_history(uow, current_identity(), unit_id=query["unit_id"], by=query["by"],
                                               limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@ratings_blp.route("/tags", methods=["GET"])
@ratings_blp.response(200, TagSetOut)
@anonymous_allowed
def current_tags():
    """The reason tags offered now, by level (praise for the top two, complaints for the bottom two)."""
    with _svc().uow_factory() as uow:
        return window_ratings.current_tag_set(uow)


@ratings_blp.route("/tags", methods=["POST"])
@ratings_blp.arguments(TagSetIn)
@ratings_blp.response(201, TagSetOut)
def publish_tags(body):
    """A new version of the reason tags (组织部); earlier ratings keep theirs."""
    with _svc().uow_factory() as uow:
        return window_ratings.publish_tag_set(uow, current_identity(), body["tags"])


feedback_blp = Blueprint("feedback", __name__, url_prefix="/api/feedback",
                         description="Follow-up of bad ratings (差评整改)")


@feedback_blp.route("/cases", methods=["GET"])
@feedback_blp.arguments(CaseQuery, location="query")
@feedback_blp.response(200, CasePage)
def list_cases(query):
    """Follow-up cases I answer for (window's responsible person) or oversee (secretaries: their units and the
    units below; 组织部: all), filtered by window, state, overdue and deadline; most urgent first unless sorted
    otherwise. ``total`` counts every matching case."""
    with _svc().uow_factory() as uow:
        items, total = window_ratings.list_cases(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@feedback_blp.route("/cases/close-batch", methods=["POST"])
@feedback_blp.arguments(CaseCloseBatch)
@feedback_blp.response(200, CaseBatchOut)
@feedback_blp.doc(parameters=[IDEMPOTENCY_KEY])
def close_cases(body):
    """批量办结: close up to 100 cases with the same result, each as its own close would (the same rules, 404 as
    not_found where the caller may not follow it up); one answer per case, closed or why not."""
    identity = current_identity()

    def action(uow):
        result = window_ratings.close_cases(uow, identity, body["ids"], body["action_taken"], body["called_back"])
        for item in result["items"]:
            if item.get("error"):  # why a case was not closed, in the caller's language
                item["error"] = localized_error(**item["error"])["error"]
        return CaseBatchOut().dump(result), 200

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@feedback_blp.route("/cases/<uuid:case_id>", methods=["GET"])
@feedback_blp.response(200, CaseOut)
def get_case(case_id: uuid.UUID):
    """One follow-up case, as its notice links to it (the responsible person, secretaries over it, 组织部)."""
    with _svc().uow_factory() as uow:
        return window_ratings.get_case(uow, current_identity(), case_id)


@feedback_blp.route("/cases/<uuid:case_id>/close", methods=["POST"])
@feedback_blp.arguments(CaseClose)
@feedback_blp.response(200, CaseOut)
@feedback_blp.doc(parameters=[IDEMPOTENCY_KEY])
def close_case(body, case_id: uuid.UUID):
    """Close a case with what was done and whether the rater was called back."""
    identity = current_identity()

    def action(uow):
        case = window_ratings.close_case(uow, identity, case_id, body["action_taken"], body["called_back"])
        return CaseOut().dump(case), 200

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@ratings_blp.route("/appeals", methods=["GET"])
@ratings_blp.arguments(AppealQuery, location="query")
@ratings_blp.response(200, AppealPage)
def list_appeals(query):
    """申诉复核台账: the appeals against ratings, newest first, each with who filed it, why and when, the
    decision with who made it, why and when, and the rating (window, level, time; never who rated). The
    organisation department reads all, a general branch secretary the windows under their general branch;
    state=upheld lists the ratings taken out of the summary and ranking. ``total`` counts every match."""
    with _svc().uow_factory() as uow:
        items, total = suggestions.list_appeals(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@ratings_blp.route("/<int:rating_id>/appeals", methods=["POST"])
@ratings_blp.arguments(AppealIn)
@ratings_blp.response(201, AppealOut)
@ratings_blp.doc(parameters=[IDEMPOTENCY_KEY])
def appeal(body, rating_id: int):
    """申诉复核: the window's responsible person asks for a rating to be reviewed, with the reason."""
    identity = current_identity()

    def action(uow):
        return AppealOut().dump(suggestions.appeal_rating(uow, identity, rating_id, body["reason"])), 201

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@feedback_blp.route("/suggestions/<uuid:note_id>/appeals", methods=["POST"])
@feedback_blp.arguments(AppealIn)
@feedback_blp.response(201, AppealOut)
@feedback_blp.doc(parameters=[IDEMPOTENCY_KEY])
def appeal_note(body, note_id: uuid.UUID):
    """申诉复核 of a note to a window the caller answers for."""
    identity = current_identity()

    def action(uow):
        return AppealOut().dump(suggestions.appeal_note(uow, identity, note_id, body["reason"])), 201

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@feedback_blp.route("/appeals/<uuid:appeal_id>/decide", methods=["POST"])
@feedback_blp.arguments(AppealDecide)
@feedback_blp.response(200, AppealOut)
def decide_appeal(body, appeal_id: uuid.UUID):
    """The general branch upholds (the rating leaves statistics, never the database) or rejects."""
    with _svc().uow_factory() as uow:
        return suggestions.decide_appeal(uow, current_identity(), appeal_id, body["decision"], body["note"])


@feedback_blp.route("/suggestions", methods=["POST"])
@feedback_blp.arguments(NoteIn)
@feedback_blp.response(201, NoteReceipt)
@anonymous_allowed
def drop_note(body):
    """意见箱: an anonymous note to a window or a unit. Takes no Idempotency-Key on purpose: a stored
    key would tie the note to the caller."""
    with _svc().uow_factory() as uow:
        return suggestions.drop_note(uow, body, followup_days=_config().followup_working_days,
                                     end_of_day=_config().deadline_end_of_day)


@feedback_blp.route("/suggestions", methods=["GET"])
@feedback_blp.arguments(NoteQuery, location="query")
@feedback_blp.response(200, NotePage)
def list_notes(query):
    """Notes to the units I lead."""
    with _svc().uow_factory() as uow:
        items, total = suggestions.list_notes(uow, current_identity(), state=query["state"],
                                              limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@feedback_blp.route("/suggestions/published", methods=["GET"])
@feedback_blp.arguments(PublishedQuery, location="query")
@feedback_blp.response(200, PublishedPage)
@anonymous_allowed
def published_replies(query):
    """公开答复: notes to a window or under a unit whose reply was published, newest first (anyone may read)."""
    with _svc().uow_factory() as uow:
        items, total = suggestions.published_replies(uow, window_id=query["window_id"], unit_id=query["unit_id"],
                                                     limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@feedback_blp.route("/suggestions/<uuid:note_id>", methods=["PATCH"])
@feedback_blp.arguments(NoteHandle)
@feedback_blp.response(200, NoteOut)
def handle_note(body, note_id: uuid.UUID):
    """Triage (open → in_progress → answered / closed) and reply, published if asked."""
    with _svc().uow_factory() as uow:
        return suggestions.handle_note(uow, current_identity(), note_id, body)
