"""The seven indicators (七项指标) and the assessment parts: /api/grading/indicators."""
from __future__ import annotations

from ..schemas.indicators import IndicatorsOut
from ..service import cycles
from ._views import blp


@blp.route("/indicators", methods=["GET"])
@blp.response(200, IndicatorsOut)
def indicators():
    """The seven indicators (七项指标) and the assessment parts, with their default weights."""
    return cycles.describe_indicators()
