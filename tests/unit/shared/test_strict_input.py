"""Strict reading of what a request brings (pacesetter_shared.web.strict and .fields): what no field, column or
encoder could hold is a 422 naming its place, never a value taken loosely or a 500 later."""
from __future__ import annotations

import flask_smorest
import marshmallow
import pytest
import sqlalchemy as sa
from marshmallow import Schema, ValidationError, validate

from pacesetter_shared.config import load_settings
from pacesetter_shared.web import Blueprint, create_service_app, fields, strict
from pacesetter_shared.web.fields import BIGINT_MAX, BIGINT_MIN, values_from_text
from tests.unit.shared.test_messages import _modules, all_schemas

# -- the JSON document ------------------------------------------------------------------------------------------


def _problems(text: str) -> dict:
    return strict.details(strict.decode(text)[1])


def test_a_clean_body_has_no_problems_even_with_escapes_and_the_extremes_of_bigint():
    value, problems = strict.decode('{"a": "\\ud83d\\udea9 \\u4e2d", "n": [%d, %d, 1.5e300, -0], "t": true}'
                                    % (BIGINT_MAX, BIGINT_MIN))
    assert problems == []
    assert value == {"a": "🚩 中", "n": [BIGINT_MAX, BIGINT_MIN, 1.5e300, 0], "t": True}


@pytest.mark.parametrize("number", [str(BIGINT_MAX + 1), str(BIGINT_MIN - 1), str(2**70), "9" * 5000])
def test_an_integer_beyond_bigint_is_named_where_it_is(number):
    assert _problems('{"ratings": [{"level": 5}, {"tag_set_version": %s}]}' % number) == {
        "ratings": {1: {"tag_set_version": [
            f"Must be greater than or equal to {BIGINT_MIN} and less than or equal to {BIGINT_MAX}."]}}}


@pytest.mark.parametrize("number, message", [
    ("NaN", "Special numeric values (nan or infinity) are not permitted."),
    ("-Infinity", "Special numeric values (nan or infinity) are not permitted."),
    ("1e400", "Number too large."),
])
def test_numbers_json_cannot_mean_or_a_double_cannot_hold_are_refused(number, message):
    assert _problems('{"weight": %s}' % number) == {"weight": [message]}


def test_nul_and_lone_surrogates_are_refused_in_values_and_in_keys_and_a_bad_key_is_shown_escaped():
    found = _problems('{"title": "a\\u0000b", "body": ["ok", "\\ud800"], "x\\udfff": 1, "n\\u0000": "v"}')
    assert found == {"title": ["Text may not contain the NUL character."],
                     "body": {1: ["Text may not contain a lone surrogate (it is no Unicode character)."]},
                     "x\\udfff": ["Text may not contain a lone surrogate (it is no Unicode character)."],
                     "n\\u0000": ["Text may not contain the NUL character."]}
    assert "\x00" not in str(found) and "\ud800" not in str(found)


def test_a_key_named_twice_is_refused_at_any_depth():
    assert _problems('{"level": 5, "level": 1, "items": [{"a": 1, "b": 2, "a": 3}]}') == {
        "level": ["Given more than once: name each field once."],
        "items": {0: {"a": ["Given more than once: name each field once."]}}}


def test_a_key_given_twice_with_a_problem_inside_keeps_both():
    found = _problems('{"a": {"b": "\\u0000"}, "a": {"b": "\\u0000"}}')
    assert found == {"a": {"_schema": ["Given more than once: name each field once."],
                           "b": ["Text may not contain the NUL character."]}}


def test_what_is_no_json_text_stays_the_parsers_error():
    with pytest.raises(ValueError):
        strict.decode('{"title": ')
    with pytest.raises(UnicodeDecodeError):
        strict.decode(b'{"title": "\xff"}')


# -- the fields ------------------------------------------------------------------------------------------------

class _Strict(Schema):
    count = fields.Integer(load_default=None)
    small = fields.Integer(load_default=None, validate=validate.Range(1, fields.INTEGER_MAX))
    share = fields.Float(load_default=None)
    flag = fields.Boolean(load_default=None)


@pytest.mark.parametrize("field, value", [
    ("count", 1.5), ("count", 1.0), ("count", "1"), ("count", True), ("count", BIGINT_MAX + 1),
    ("small", 2**40), ("share", "1.5"), ("share", True), ("share", float("inf")),
    ("flag", "yes"), ("flag", "true"), ("flag", 1), ("flag", 0),
])
def test_a_json_value_of_the_wrong_type_is_refused_not_converted(field, value):
    with pytest.raises(ValidationError) as refused:
        _Strict().load({field: value})
    assert field in refused.value.messages


def test_json_values_of_the_right_type_are_taken():
    assert _Strict().load({"count": BIGINT_MIN, "small": 3, "share": 2, "flag": False}) == {
        "count": BIGINT_MIN, "small": 3, "share": 2.0, "flag": False}


@pytest.mark.parametrize("field, text, expected", [
    ("count", "42", 42), ("count", "-7", -7), ("count", str(BIGINT_MAX), BIGINT_MAX), ("share", "1.5", 1.5),
    ("share", "2e3", 2000.0), ("flag", "true", True), ("flag", "false", False), ("flag", "1", True),
])
def test_text_of_a_query_is_read_as_the_field_wants(field, text, expected):
    with values_from_text():
        assert _Strict().load({field: text})[field] == expected


@pytest.mark.parametrize("field, text, message", [
    ("count", "1.5", "Not a valid integer."), ("count", "١٢", "Not a valid integer."),
    ("count", "1_000", "Not a valid integer."), ("count", " 5", "Not a valid integer."),
    ("count", "9" * 5000, f"Must be greater than or equal to {BIGINT_MIN} and less than or equal to {BIGINT_MAX}."),
    ("small", str(2**63), f"Must be greater than or equal to 1 and less than or equal to {fields.INTEGER_MAX}."),
    ("share", "nan", "Not a valid number."), ("share", "1e999", "Special numeric values (nan or infinity) are not "
                                                                   "permitted."),
    ("flag", "maybe", "Not a valid boolean."),
])
def test_text_that_is_not_the_fields_type_is_refused_with_the_range_it_may_have(field, text, message):
    with values_from_text(), pytest.raises(ValidationError) as refused:
        _Strict().load({field: text})
    assert refused.value.messages == {field: [message]}


LOOSE = (marshmallow.fields.Integer, marshmallow.fields.Float, marshmallow.fields.Decimal, marshmallow.fields.Boolean)


def test_every_number_and_boolean_of_every_services_schema_is_the_strict_kind():
    loose = []

    def walk(field, where: str, seen: frozenset):
        if isinstance(field, LOOSE) and not isinstance(field, (fields.Integer, fields.Float, fields.Boolean)):
            loose.append(f"{where}: {type(field).__module__}.{type(field).__name__}")
        if isinstance(field, fields.Nested) and type(field.schema) not in seen:
            for name, inner in field.schema.fields.items():
                walk(inner, f"{where}.{name}", seen | {type(field.schema)})
        for attribute in ("inner", "key_field", "value_field"):
            if isinstance(getattr(field, attribute, None), fields.Field):
                walk(getattr(field, attribute), f"{where}[{attribute}]", seen)

    for schema in all_schemas():
        if schema.__module__.startswith("pacesetter_shared.events"):
            continue  # events come from our own services' messages, not from a request
        for name, field in schema().fields.items():
            walk(field, f"{schema.__module__}.{schema.__name__}.{name}", frozenset({schema}))
    assert not loose, "use pacesetter_shared.web.fields:\n" + "\n".join(sorted(set(loose)))


def test_every_blueprint_of_every_service_reads_its_arguments_strictly():
    blueprints = {f"{module.__name__}.{name}": value for module in _modules() for name, value in vars(module).items()
                  if isinstance(value, flask_smorest.Blueprint)}
    assert len(blueprints) >= 6, blueprints
    assert all(isinstance(blp, Blueprint) for blp in blueprints.values()), [
        name for name, blp in blueprints.items() if not isinstance(blp, Blueprint)]


# -- a service's app -------------------------------------------------------------------------------------------

class _Body(Schema):
    title = fields.String(load_default="")
    level = fields.Integer(load_default=None)
    urgent = fields.Boolean(load_default=False)


class _Query(Schema):
    offset = fields.Integer(load_default=0, validate=validate.Range(0, BIGINT_MAX))
    urgent = fields.Boolean(load_default=False)


class _Batch(Schema):
    items = fields.List(fields.Raw(allow_none=True), required=True)


@pytest.fixture
def client(tmp_path):
    svc = create_service_app(load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false"}),
                             __name__, "strict")
    blp = Blueprint("s", __name__, url_prefix="/s")  # outside /api: no identity to sign

    @blp.route("/body", methods=["POST"])
    @blp.arguments(_Body)
    def body(args):
        return args

    @blp.route("/list", methods=["GET"])
    @blp.arguments(_Query, location="query")
    def listed(args):
        return args

    @blp.route("/items/<int:item_id>", methods=["GET"])
    def item(item_id):
        return {"id": item_id}

    @blp.route("/words/<string:word>", methods=["GET"])
    def word(word):
        return {"word": word}

    @blp.route("/batch", methods=["POST"])
    @blp.arguments(_Batch)
    @strict.per_item("items")
    def batch(args):
        return {"problems": {str(k): v for k, v in strict.item_problems().items()}, "count": len(args["items"])}

    svc.api.register_blueprint(blp)
    with svc.engine.begin() as conn:
        conn.execute(sa.text("SELECT 1"))
    return svc.app.test_client()


def _post(client, path: str, text: str, language: str = "en"):
    return client.post(path, data=text.encode(), headers={"Content-Type": "application/json",
                                                          "Accept-Language": language})


def test_a_body_with_a_problem_is_422_naming_the_field_in_the_callers_language(client):
    english = _post(client, "/s/body", '{"title": "a\\ud800"}')
    assert english.status_code == 422
    assert english.json["error"]["code"] == "validation_error"
    assert english.json["error"]["details"] == {"title": [
        "Text may not contain a lone surrogate (it is no Unicode character)."]}
    chinese = _post(client, "/s/body", '{"title": "a", "title": "b"}', language="zh-CN")
    assert chinese.status_code == 422 and chinese.json["error"]["details"] == {"title": ["字段重复：每个字段只能出现一次。"]}


@pytest.mark.parametrize("text, field", [('{"level": 1.5}', "level"), ('{"level": "2"}', "level"),
                                         ('{"urgent": "yes"}', "urgent"), ('{"urgent": 1}', "urgent"),
                                         ('{"level": 18446744073709551616}', "level")])
def test_loose_types_in_a_body_are_422(client, text, field):
    answer = _post(client, "/s/body", text)
    assert answer.status_code == 422 and list(answer.json["error"]["details"]) == [field], answer.json


def test_a_sound_body_is_taken_as_sent(client):
    answer = _post(client, "/s/body", '{"title": "零宽\\u200b 🚩", "level": 3, "urgent": true}')
    assert answer.status_code == 200 and answer.json == {"title": "零宽\u200b 🚩", "level": 3, "urgent": True}


def test_get_json_is_as_strict_as_the_views(client):
    from pacesetter_shared.web.errors import ApiError
    with client.application.test_request_context(data=b'{"a": 1, "a": 2}', content_type="application/json"):
        from flask import request
        with pytest.raises(ApiError) as refused:
            request.get_json()
    assert refused.value.status == 422 and refused.value.details == {"a": [
        "Given more than once: name each field once."]}


def test_a_query_reads_text_and_refuses_nul_and_numbers_beyond_bigint(client):
    assert client.get("/s/list?offset=5&urgent=true").json == {"offset": 5, "urgent": True}
    huge = client.get(f"/s/list?offset={2**63}", headers={"Accept-Language": "en"})
    assert huge.status_code == 422 and huge.json["error"]["details"] == {"offset": [
        f"Must be greater than or equal to 0 and less than or equal to {BIGINT_MAX}."]}
    for query, name in (("urgent=tr%00ue", "urgent"), ("x%00=1", "x\\u0000")):
        nul = client.get(f"/s/list?{query}", headers={"Accept-Language": "en"})
        assert nul.status_code == 422 and nul.json["error"]["details"] == {
            name: ["Text may not contain the NUL character."]}, nul.json


def test_a_path_id_beyond_bigint_names_nothing_and_nul_in_a_path_is_refused(client):
    assert client.get(f"/s/items/{BIGINT_MAX}").json == {"id": BIGINT_MAX}
    for too_large in (2**63, 2**70, "9" * 5000):
        assert client.get(f"/s/items/{too_large}").status_code == 404
    nul = client.get("/s/words/a%00b", headers={"Accept-Language": "en"})
    assert nul.status_code == 422 and nul.json["error"]["details"] == {"word": [
        "Text may not contain the NUL character."]}


def test_a_per_item_view_learns_each_bad_item_and_other_problems_still_refuse_the_request(client):
    answer = _post(client, "/s/batch", '{"items": [{"id": "ok"}, {"id": "\\ud800"}, 1e999, {"n": 1, "n": 2}]}')
    assert answer.status_code == 200, answer.json
    assert answer.json["count"] == 4
    assert answer.json["problems"] == {
        "1": {"id": ["Text may not contain a lone surrogate (it is no Unicode character)."]},
        "2": {"_schema": ["Number too large."]},
        "3": {"n": ["Given more than once: name each field once."]}}
    outside = _post(client, "/s/batch", '{"items": [], "items": [{"id": "\\u0000"}]}')
    assert outside.status_code == 422 and outside.json["error"]["details"] == {"items": [
        "Given more than once: name each field once."]}
