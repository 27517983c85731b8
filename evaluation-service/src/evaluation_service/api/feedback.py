"""Feedback, blueprint ``feedback`` (/api/feedback): the follow-up cases of bad ratings (差评整改), the suggestion
box (意见箱) and its published replies, appeals of notes and the decisions on every appeal (申诉复核)."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import Blueprint, anonymous_allowed, current_identity
from pacesetter_shared.web.errors import localized_error
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, run_idempotently, write_once

from ..schemas.common import AppealIn, AppealOut
from ..schemas.feedback import (
    AppealDecide, CaseBatchOut, CaseClose, CaseCloseBatch, CaseOut, CasePage, CaseQuery, NoteHandle, NoteIn, NoteOut,
    NotePage, NoteQuery, NoteReceipt, PublishedPage, PublishedQuery,
)
from ..service import appeals, followup_cases, suggestions
from ._views import _config, _svc

blp = Blueprint("feedback", __name__, url_prefix="/api/feedback",
                description="Follow-up of bad ratings (差评整改)")


@blp.route("/cases", methods=["GET"])
@blp.arguments(CaseQuery, location="query")
@blp.response(200, CasePage)
def list_cases(query):
    """Follow-up cases I answer for (window's responsible person) or oversee (secretaries: their units and the
    units below; 组织部: all), filtered by window, state, overdue and deadline; most urgent first unless sorted
    otherwise. ``total`` counts every matching case."""
    with _svc().uow_factory() as uow:
        items, total = followup_cases.list_cases(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/cases/close-batch", methods=["POST"])
@blp.arguments(CaseCloseBatch)
@blp.response(200, CaseBatchOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def close_cases(body):
    """批量办结: close up to 100 cases with the same result, each as its own close would (the same rules, 404 as
    not_found where the caller may not follow it up); one answer per case, closed or why not."""
    identity = current_identity()

    def action(uow):
        result = followup_cases.close_cases(uow, identity, body["ids"], body["action_taken"], body["called_back"])
        for item in result["items"]:
            if item.get("error"):  # why a case was not closed, in the caller's language
                item["error"] = localized_error(**item["error"])["error"]
        return CaseBatchOut().dump(result), 200

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@blp.route("/cases/<uuid:case_id>", methods=["GET"])
@blp.response(200, CaseOut)
def get_case(case_id: uuid.UUID):
    """One follow-up case, as its notice links to it (the responsible person, secretaries over it, 组织部)."""
    with _svc().uow_factory() as uow:
        return followup_cases.get_case(uow, current_identity(), case_id)


@blp.route("/cases/<uuid:case_id>/close", methods=["POST"])
@blp.arguments(CaseClose)
@blp.response(200, CaseOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def close_case(body, case_id: uuid.UUID):
    """Close a case with what was done and whether the rater was called back."""
    return write_once(CaseOut, lambda uow, who: followup_cases.close_case(uow, who, case_id, body["action_taken"],
                                                                         body["called_back"]))


@blp.route("/suggestions/<uuid:note_id>/appeals", methods=["POST"])
@blp.arguments(AppealIn)
@blp.response(201, AppealOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def appeal_note(body, note_id: uuid.UUID):
    """申诉复核 of a note to a window the caller answers for."""
    return write_once(AppealOut, lambda uow, who: appeals.appeal_note(uow, who, note_id, body["reason"]), 201)


@blp.route("/appeals/<uuid:appeal_id>/decide", methods=["POST"])
@blp.arguments(AppealDecide)
@blp.response(200, AppealOut)
def decide_appeal(body, appeal_id: uuid.UUID):
    """The general branch upholds (the rating leaves statistics, never the database) or rejects."""
    with _svc().uow_factory() as uow:
        return appeals.decide_appeal(uow, current_identity(), appeal_id, body["decision"], body["note"])


@blp.route("/suggestions", methods=["POST"])
@blp.arguments(NoteIn)
@blp.response(201, NoteReceipt)
@anonymous_allowed
def drop_note(body):
    """意见箱: an anonymous note to a window or a unit. Takes no Idempotency-Key on purpose: a stored
    key would tie the note to the caller."""
    with _svc().uow_factory() as uow:
        return suggestions.drop_note(uow, body, followup_days=_config().followup_working_days,
                                     end_of_day=_config().deadline_end_of_day)


@blp.route("/suggestions", methods=["GET"])
@blp.arguments(NoteQuery, location="query")
@blp.response(200, NotePage)
def list_notes(query):
    """Notes to the units I lead."""
    with _svc().uow_factory() as uow:
        items, total = suggestions.list_notes(uow, current_identity(), state=query["state"],
                                              limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/suggestions/published", methods=["GET"])
@blp.arguments(PublishedQuery, location="query")
@blp.response(200, PublishedPage)
@anonymous_allowed
def published_replies(query):
    """公开答复: notes to a window or under a unit whose reply was published, newest first (anyone may read)."""
    with _svc().uow_factory() as uow:
        items, total = suggestions.published_replies(uow, window_id=query["window_id"], unit_id=query["unit_id"],
                                                     limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/suggestions/<uuid:note_id>", methods=["PATCH"])
@blp.arguments(NoteHandle)
@blp.response(200, NoteOut)
def handle_note(body, note_id: uuid.UUID):
    """Triage (open → in_progress → answered / closed) and reply, published if asked."""
    with _svc().uow_factory() as uow:
        return suggestions.handle_note(uow, current_identity(), note_id, body)
