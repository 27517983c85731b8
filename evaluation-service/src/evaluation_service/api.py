"""HTTP views: validate with the schemas, call one use case, shape the answer."""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from . import service
from .schemas import ScaleOut

blp = Blueprint("evaluations", __name__, url_prefix="/api/evaluations",
                description="Evaluation rounds (三评: 个人自评、党员互评、群众评议、领导点评)")


@blp.route("/scale", methods=["GET"])
@blp.response(200, ScaleOut)
def scale():
    """The rating scale (优秀/良好/一般/较差) and the default weights of each kind of round."""
    return service.describe_scale(current_app.extensions["pacesetter"].settings.min_anonymous_group)
