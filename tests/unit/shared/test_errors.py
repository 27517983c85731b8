"""Every error leaves in one shape, with the right status, never a stack trace, in the caller's language."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.exc import IntegrityError

from pacesetter_shared.config import load_settings
from pacesetter_shared.i18n import _
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


# -- in the caller's language: Chinese unless Accept-Language asks for English ------------------------------------

class Line(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 5))


class Order(Schema):
    level = fields.Integer(validate=validate.Range(1, 5))
    kind = fields.String(validate=validate.OneOf(["annual", "instant"]))
    lines = fields.List(fields.Nested(Line))
    note = fields.String(required=True)

    @validates_schema
    def _whole(self, data, **_kw):
        if data.get("kind") == "instant" and data.get("level") == 5:
            raise ValidationError(_("Give exactly one of unit_id and window_id."))


def _language_app(tmp_path):
    svc = create_service_app(load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false"}),
                             __name__, "languages")
    blp = Blueprint("l", __name__, url_prefix="/api/l")

    @blp.route("/orders", methods=["POST"])
    @blp.arguments(Order)
    @public
    def order(body):
        return body

    @blp.route("/closed/<int:count>", methods=["POST"])
    @public
    def closed(count):
        raise Conflict(_("{count} objections are unanswered.", count=count), {"objections": [_("required")]})

    @blp.route("/race", methods=["POST"])
    @public
    def race():
        raise IntegrityError("INSERT", {}, Exception("duplicate key value violates unique constraint"))

    svc.api.register_blueprint(blp)
    return svc.app.test_client()


BAD_ORDER = {"level": 9, "kind": "weekly", "lines": [{"name": "ok"}, {"name": "far too long"}, {}]}


def test_validation_errors_are_chinese_field_by_field_by_default(tmp_path):
    answer = _language_app(tmp_path).post("/api/l/orders", json=BAD_ORDER)
    assert answer.status_code == 422 and answer.headers["Content-Language"] == "zh-CN"
    assert "Accept-Language" in answer.headers["Vary"]
    error = answer.json["error"]
    assert error["code"] == "validation_error" and error["message"] == "请求有误，请查看各字段的说明。"
    assert error["details"] == {
        "level": ["须大于等于 1 且小于等于 5。"], "kind": ["须为以下之一：annual, instant。"],
        "lines": {"1": {"name": ["长度须在 1 到 5 之间。"]}, "2": {"name": ["此项必填。"]}},
        "note": ["此项必填。"]}
    whole = _language_app(tmp_path).post("/api/l/orders", json={"kind": "instant", "level": 5, "note": "x"},
                                         headers={"Accept-Language": "zh-Hans"})
    assert whole.json["error"]["details"] == {"_schema": ["unit_id 和 window_id 须且只能给出一个。"]}


def test_validation_errors_are_english_when_asked(tmp_path):
    answer = _language_app(tmp_path).post("/api/l/orders", json=BAD_ORDER,
                                          headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert answer.status_code == 422 and answer.headers["Content-Language"] == "en"
    error = answer.json["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "The request is not valid; see details for each field."
    assert error["details"] == {
        "level": ["Must be greater than or equal to 1 and less than or equal to 5."],
        "kind": ["Must be one of: annual, instant."],
        "lines": {"1": {"name": ["Length must be between 1 and 5."]}, "2": {"name": ["Missing data for required field."]}},
        "note": ["Missing data for required field."]}


def test_raised_errors_and_http_errors_speak_the_callers_language(tmp_path):
    client = _language_app(tmp_path)
    zh = client.post("/api/l/closed/3")
    en = client.post("/api/l/closed/3", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 409 and zh.json["error"]["code"] == en.json["error"]["code"] == "conflict"
    assert zh.json["error"] == {"code": "conflict", "message": "3 条异议尚未答复。", "details": {"objections": ["必填"]}}
    assert en.json["error"] == {"code": "conflict", "message": "3 objections are unanswered.",
                                "details": {"objections": ["required"]}}
    assert client.post("/api/l/race").json["error"]["message"] == "他人同时修改了此项，请刷新后重试。"
    for path, method, status, zh_text, en_text in (
            ("/nowhere", "get", 404, "该地址不存在，请检查网址。", "Nothing is here: check the address."),
            ("/healthz", "post", 405, "该地址不支持此请求方法。", "This address does not take that method.")):
        answers = [getattr(client, method)(path, headers=h) for h in ({}, {"Accept-Language": "en-US"})]
        assert [a.status_code for a in answers] == [status, status]
        assert [a.json["error"]["message"] for a in answers] == [zh_text, en_text]
        assert [a.headers["Content-Language"] for a in answers] == ["zh-CN", "en"]
    too_large = client.post("/api/l/orders", data=b"x" * (4 * 1024 * 1024 + 1), content_type="application/json")
    assert too_large.status_code == 413 and too_large.json["error"]["message"] == "请求内容过大。"
    not_json = client.post("/api/l/orders", data="a,b", content_type="text/csv")
    assert not_json.status_code == 415
    assert not_json.json["error"]["message"] == "请求内容须为以下媒体类型之一：application/json。"
