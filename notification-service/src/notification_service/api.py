"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

import uuid

from flask import current_app, request

from pacesetter_shared.i18n import EN, negotiate
from pacesetter_shared.web import Blueprint, current_identity
from pacesetter_shared.web.idempotency import run_idempotently

from . import service
from .domain.grouping import split_key
from .domain.model import LANGUAGES
from .schemas import (DeliveryOut, DeliveryPage, GroupQuery, NoticeGroupPage, NoticeListQuery, NoticeOut, NoticePage,
                      PageQuery, PreferencesIn, PreferencesOut, ReadAllOut, RobotIn, RobotOut, RobotPage,
                      UnreadCountOut)

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications", description="My inbox (消息通知)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


@blp.route("", methods=["GET"])
@blp.arguments(NoticeListQuery, location="query")
@blp.response(200, NoticePage)
def list_notices(query):
    """My notices, read or not, of some kinds, or of one inbox group: unread first, then newest first, unless
    sorted otherwise; ``total`` counts every matching notice."""
    with _uow()() as uow:
        items, total, unread = service.list_notices(
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
        groups, total, unread = service.list_groups(uow, identity, read=query["read"], kinds=query["kind"],
                                                    sort=query["sort"], limit=query["limit"], offset=query["offset"],
                                                    language=_language(identity))
    return {"items": groups, "total": total, "unread": unread, "limit": query["limit"], "offset": query["offset"]}


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


@blp.route("/preferences", methods=["GET"])
@blp.response(200, PreferencesOut)
def my_preferences():
    """My notification settings (通知设置)."""
    with _uow()() as uow:
        return service.my_preferences(uow, current_identity())


# PUT replaces my settings whole: repeating it changes nothing, so no Idempotency-Key.
@blp.route("/preferences", methods=["PUT"])
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
def set_preferences(body):
    """Choose channels per kind of notice, quiet hours (Beijing time) and the daily digest."""
    with _uow()() as uow:
        return service.set_preferences(uow, current_identity(), **body)


@blp.route("/deliveries/failed", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, DeliveryPage)
def failed_deliveries(query):
    """Ops: deliveries that ran out of tries, newest first (投递失败)."""
    with _uow()() as uow:
        items, total = service.failed_deliveries(uow, current_identity(), limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/deliveries/<uuid:delivery_id>/retry", methods=["POST"])
@blp.response(200, DeliveryOut)
@blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"}, "required": False}])
def retry_delivery(delivery_id: uuid.UUID):
    """Ops: send a failed delivery on a new round of tries."""
    identity = current_identity()
    return run_idempotently(_uow(), identity.subject, lambda uow: (
        DeliveryOut().dump(service.retry_delivery(uow, identity, delivery_id)), 200))


# PUT sets the whole robot: repeating it changes nothing, so no Idempotency-Key.
@blp.route("/robots/<uuid:unit_id>", methods=["PUT"])
@blp.arguments(RobotIn)
@blp.response(200, RobotOut)
def put_robot(body, unit_id: uuid.UUID):
    """Set up the unit's chat robot (群机器人): the unit's secretary or the organisation department."""
    with _uow()() as uow:
        return service.put_robot(uow, current_identity(), unit_id, **body)


@blp.route("/robots", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, RobotPage)
def list_robots(query):
    """Every unit's chat robot (organisation department, ops)."""
    with _uow()() as uow:
        items, total = service.list_robots(uow, current_identity(), limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


