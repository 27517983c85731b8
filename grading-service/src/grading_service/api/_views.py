"""What the views share: the one blueprint ``grading`` every resource's views are on, a unit of work, a page,
a list's filters.

One blueprint for the whole service, whatever module a view is in: its name is the OpenAPI tag of every operation
and the prefix of every endpoint (``grading.open_cycle``), as they were before the views were split by resource."""
from __future__ import annotations

from flask import current_app

from pacesetter_shared.web import Blueprint

blp = Blueprint("grading", __name__, url_prefix="/api/grading",
                description="Grading and upgrading of branches (基层党组织晋位升级)")


def _uow():
    return current_app.extensions["pacesetter"].uow_factory


def _page(items, total, query) -> dict:
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


def _branch_filters(query) -> dict:
    return {"q": query["q"], "levels": query["level"], "general_branch_id": query["general_branch_id"]}
