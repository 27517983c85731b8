"""My inbox (收件箱): my notices, their groups (消息分组), the unread count, marking read — /api/notifications."""
from __future__ import annotations

import uuid

from flask import request

from pacesetter_shared.i18n import EN
from pacesetter_shared.web.language import negotiate
from pacesetter_shared.web import current_identity

from ..domain.grouping import split_key
from ..domain.model import LANGUAGES
from ..schemas.notices import (GroupQuery, NoticeGroupPage, NoticeListQuery, NoticeOut, NoticePage, ReadAllOut,
                               UnreadCountOut)
from ..service import inbox
from ._views import _uow, blp


@blp.route("", methods=["GET"])
@blp.arguments(NoticeListQuery, location="query")
@blp.response(200, NoticePage)
def list_notices(query):
    """My notices, read or not, of some kinds, or of one inbox group: unread first, then newest first, unless
    sorted otherwise; ``total`` counts every matching notice."""
    with _uow()() as uow:
        items, total, unread = inbox.list_notices(
            uow, current_identity(), unread_only=query["unread_only"], read=query["read"], kinds=query["kind"],
            group=split_key(query["group"]) if query["group"] else None, sort=query["sort"],
            limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "unread": unread, "limit": query["limit"], "offset": query["offset"]}


def _language(identity) -> str | None:
    """Group titles in the language asked for (Accept-Language), else in the one my notices are written in
    (None: the directory's)."""
    asked = request.headers.get("Accept-Language")
    if asked:
        return "en" if negotiate(asked) == EN else "zh"
    return identity.language if identity.language in LANGUAGES else None


@blp.route("/groups", methods=["GET"])
@blp.arguments(GroupQuery, location="query")
@blp.response(200, NoticeGroupPage)
def list_groups(query):
    """My inbox in groups: notices of one event type about one subject (a window, a branch, a pledge…) as one
    row that expands, e.g. 教务处综合服务窗口 新增 3 件差评, with its newest notices; groups with unread notices
    first. ``total`` counts every group."""
    identity = current_identity()
    with _uow()() as uow:
        groups, total, unread = inbox.list_groups(uow, identity, read=query["read"], kinds=query["kind"],
                                                  sort=query["sort"], limit=query["limit"], offset=query["offset"],
                                                  language=_language(identity))
    return {"items": groups, "total": total, "unread": unread, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/unread-count", methods=["GET"])
@blp.response(200, UnreadCountOut)
def unread_count():
    """How many of my notices are unread (the portal's badge)."""
    with _uow()() as uow:
        return {"unread": inbox.unread_count(uow, current_identity())}


# Marking read is idempotent by nature (the first reading time stays), so no Idempotency-Key.
@blp.route("/<uuid:notice_id>/read", methods=["POST"])
@blp.response(200, NoticeOut)
def read_notice(notice_id: uuid.UUID):
    """Mark one of my notices read."""
    with _uow()() as uow:
        return inbox.read_notice(uow, current_identity(), notice_id)


@blp.route("/read-all", methods=["POST"])
@blp.response(200, ReadAllOut)
def read_all():
    """Mark every notice of mine read."""
    with _uow()() as uow:
        return {"count": inbox.read_all(uow, current_identity())}
