"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid

from flask import current_app
from flask_smorest import Blueprint

from pacesetter_shared.web import current_identity

from . import service
from .schemas import NoticeListQuery, NoticeOut, NoticePage, ReadAllOut, UnreadCountOut

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications", description="My inbox (消息通知)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


@blp.route("", methods=["GET"])
@blp.arguments(NoticeListQuery, location="query")
@blp.response(200, NoticePage)
def list_notices(query):
    """My notices: unread first, then newest first."""
    with _uow()() as uow:
        items, total, unread = service.list_notices(uow, current_identity(), unread_only=query["unread_only"],
                                                    limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "unread": unread, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/unread-count", methods=["GET"])
@blp.response(200, UnreadCountOut)
def unread_count():
    """How many of my notices are unread (the portal's badge)."""
    with _uow()() as uow:
        return {"unread": service.unread_count(uow, current_identity())}


# Marking read is idempotent by nature (the first reading time stays), so no Idempotency-Key.
@blp.route("/<uuid:notice_id>/read", methods=["POST"])
@blp.response(200, NoticeOut)
def read_notice(notice_id: uuid.UUID):
    """Mark one of my notices read."""
    with _uow()() as uow:
        return service.read_notice(uow, current_identity(), notice_id)


@blp.route("/read-all", methods=["POST"])
@blp.response(200, ReadAllOut)
def read_all():
    """Mark every notice of mine read."""
    with _uow()() as uow:
        return {"count": service.read_all(uow, current_identity())}
