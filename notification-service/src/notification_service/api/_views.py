"""What the views share: the one blueprint ``notifications`` every resource's views are on, and a unit of work.

One blueprint for the whole service, whatever module a view is in: its name is the OpenAPI tag of every operation
and the prefix of every endpoint (``notifications.list_notices``), as they were before the views were split by
resource."""
from __future__ import annotations

from flask import current_app

from pacesetter_shared.web import Blueprint

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications", description="My inbox (消息通知)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory
