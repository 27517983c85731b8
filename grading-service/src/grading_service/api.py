"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

from flask_smorest import Blueprint

from . import service
from .schemas import IndicatorsOut

blp = Blueprint("grading", __name__, url_prefix="/api/grading",
                description="Grading and upgrading of branches (基层党组织晋位升级)")


@blp.route("/indicators", methods=["GET"])
@blp.response(200, IndicatorsOut)
def indicators():
    """The seven indicators (七项指标) and the assessment parts, with their default weights."""
    return service.describe_indicators()
