"""Every error leaves in one shape, with the right status, never a stack trace."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.exc import IntegrityError

from pacesetter_shared.config import load_settings
from pacesetter_shared.web import create_service_app, public
from pacesetter_shared.web.errors import Conflict


class Body(Schema):
    count = fields.Integer(required=True)


def _app(tmp_path):
    svc = create_service_app(load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false"}),
                             __name__, "errors")
    blp = Blueprint("t", __name__, url_prefix="/api/t")

    @blp.route("/race", methods=["POST"])
    @public
    def race():
        raise IntegrityError("INSERT", {}, Exception("duplicate key value violates unique constraint"))

    @blp.route("/conflict", methods=["POST"])
    @public
    def conflict():
        raise Conflict("Already done.", {"state": "closed"})

    @blp.route("/boom", methods=["GET"])
    @public
    def boom():
        raise RuntimeError("secret internals")

    @blp.route("/valid", methods=["POST"])
    @blp.arguments(Body)
    @public
    def valid(body):
        return body

    svc.api.register_blueprint(blp)
    with svc.engine.begin() as conn:
        conn.execute(sa.text("SELECT 1"))
    return svc.app.test_client()


def test_a_lost_race_on_a_constraint_is_409_not_500(tmp_path):
    response = _app(tmp_path).post("/api/t/race")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"


def test_domain_validation_and_unexpected_errors_share_one_shape(tmp_path):
    client = _app(tmp_path)
    conflict = client.post("/api/t/conflict")
    assert conflict.status_code == 409 and conflict.json["error"]["details"] == {"state": "closed"}
    invalid = client.post("/api/t/valid", json={"count": "many"})
    assert invalid.status_code == 422 and "count" in invalid.json["error"]["details"]
    not_json = client.post("/api/t/valid", data="{", content_type="application/json")
    assert 400 <= not_json.status_code < 500 and set(not_json.json["error"]) == {"code", "message", "details"}
    crash = client.get("/api/t/boom")
    assert crash.status_code == 500 and "secret" not in crash.get_data(as_text=True)
    assert crash.json["error"]["code"] == "internal_error"
    missing = client.get("/nowhere")  # under /api, a caller without identity learns nothing: 401 first
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
