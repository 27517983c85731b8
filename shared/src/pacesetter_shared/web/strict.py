"""What a request brings is read strictly, once, for every service; what no field, column or encoder could
hold is a 422 naming where it is, never a 500 later in the database or in the answer.

- **JSON bodies** (:class:`StrictParser`, and Flask's ``request.get_json`` through :class:`StrictJSONProvider`):
  an object names each key once; no string, key or value, holds NUL (PostgreSQL's text cannot) or a lone
  surrogate (UTF-8 cannot, so neither the database nor the answer could carry it); every integer lies within
  PostgreSQL's bigint; no number is NaN, Infinity or too large for a double. JSON allows all of these.
- **Query strings and paths** (:func:`install`): no NUL or lone surrogate in a name or a value; an ``<int:…>``
  in a path beyond bigint names nothing (404). Integers and booleans of a query are read as text by the
  shared fields (:mod:`pacesetter_shared.web.fields`), which are strict about JSON's types in a body.
- **A batch answered item by item** (:func:`per_item`): a problem inside one item rejects that item only; the
  view learns which from :func:`item_problems`.

Details name the place as marshmallow does (``{"ratings": {3: {"level": [...]}}}``); a key that is itself
the problem is shown with its bad characters escaped (``"id\\u0000"``), so the answer can always be sent
and stored.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterator

import flask_smorest
from flask import Flask, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter

from ..i18n import _
from .errors import ApiError
from .fields import BIGINT_MAX, BIGINT_MIN, values_from_text

Path = tuple  # of keys and list indexes, from the body's root

_BAD_TEXT = re.compile(r"[\x00\ud800-\udfff]")
# A NUL or a lone surrogate reaches a JSON string only as an escape: without one, no string needs a look.
_BAD_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _text_problem(text: str):
    found = _BAD_TEXT.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("Text may not contain the NUL character.")
    return _("Text may not contain a lone surrogate (it is no Unicode character).")


def shown(text: str) -> str:
    """Text with NUL and lone surrogates written as escapes: safe to answer with and to store."""
    return _BAD_TEXT.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class _Refused:
    """What stood in the body where a value no field could take was (a number out of range, NaN…)."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


class _KeysTwice(dict):
    """An object that named some key more than once (JSON's last one would silently win)."""

    twice: set


_OUT_OF_RANGE = _("Must be greater than or equal to {min} and less than or equal to {max}.",
                  min=BIGINT_MIN, max=BIGINT_MAX)


def decode(body: str | bytes) -> tuple[Any, list[tuple[Path, str]]]:
    """The JSON document, and what is wrong in it, each with its place. Raises ``json.JSONDecodeError`` (or
    ``UnicodeDecodeError``) for what is no JSON text at all, as ``json.loads`` does."""
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    suspect = False

    def refused(message) -> _Refused:
        nonlocal suspect
        suspect = True
        return _Refused(message)

    def integer(digits: str):
        if len(digits.lstrip("-")) > 19:  # JSON has no leading zeros: past bigint, and int() of it may be costly
            return refused(_OUT_OF_RANGE)
        value = int(digits)
        return value if BIGINT_MIN <= value <= BIGINT_MAX else refused(_OUT_OF_RANGE)

    def number(digits: str):
        value = float(digits)
        return value if math.isfinite(value) else refused(_("Number too large."))

    def constant(_name: str):
        return refused(_("Special numeric values (nan or infinity) are not permitted."))

    def members(pairs: list) -> dict:
        nonlocal suspect
        obj = dict(pairs)
        if len(obj) < len(pairs):
            suspect = True
            seen: set = set()
            obj = _KeysTwice(obj)
            obj.twice = {key for key, _value in pairs if key in seen or seen.add(key)}
        return obj

    value = json.loads(text, object_pairs_hook=members, parse_int=integer, parse_float=number,
                       parse_constant=constant)
    if not suspect and not _BAD_ESCAPE.search(text):
        return value, []
    return value, list(_problems(value))


def _problems(root) -> Iterator[tuple[Path, str]]:
    stack: list[tuple[Path, Any]] = [((), root)]  # not recursive: the parser took nesting as deep as it could
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                yield path, problem
        elif isinstance(value, dict):
            for key in getattr(value, "twice", ()):
                yield (*path, shown(key)), _("Given more than once: name each field once.")
            for key, item in value.items():
                problem = _text_problem(key)
                if problem:
                    yield (*path, shown(key)), problem
                else:
                    stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, _Refused):
            yield path, value.message


def details(problems: list[tuple[Path, str]]) -> dict:
    """Problems as marshmallow nests its errors: by key and list index, a list of messages at each place."""
    nested: dict = {}
    for path, message in problems:
        place = nested
        for key in path[:-1]:
            inner = place.setdefault(key, {})
            if isinstance(inner, list):  # a key given twice, and something wrong inside it as well
                inner = place[key] = {"_schema": inner}
            place = inner
        last = path[-1] if path else "_schema"
        existing = place.setdefault(last, [])
        (existing.setdefault("_schema", []) if isinstance(existing, dict) else existing).append(message)
    return nested


def refuse(problems: list[tuple[Path, str]] | dict):
    raise ApiError(_("The request is not valid; see details for each field."),
                   details(problems) if isinstance(problems, list) else problems, code="validation_error",
                   status=422)


# -- bodies ------------------------------------------------------------------------------------------------------

def per_item(collection: str):
    """Mark a batch view whose body holds its items in ``collection`` (a list) and answers each on its own:
    a problem inside an item does not refuse the request but that item (:func:`item_problems`)."""
    def mark(view):
        view._pacesetter_per_item = collection
        return view
    return mark


def item_problems() -> dict[int, dict]:
    """In a view marked :func:`per_item`: what is wrong in each item of its collection, by index (as details)."""
    return g.get("_pacesetter_item_problems", {})


def request_body():
    """This request's JSON body, decoded once; a problem refuses it (422) unless it is in an item of a
    :func:`per_item` view's collection."""
    if "_pacesetter_body" in g:
        return g._pacesetter_body
    value, problems = decode(request.get_data(cache=True))
    if problems:
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        collection = getattr(view, "_pacesetter_per_item", None)
        whole, by_item = [], {}
        for path, message in problems:
            if collection is not None and len(path) > 1 and path[0] == collection and isinstance(path[1], int):
                by_item.setdefault(path[1], []).append((path[2:], message))
            else:
                whole.append((path, message))
        if whole:
            refuse(whole)
        g._pacesetter_item_problems = {index: details(found) for index, found in by_item.items()}
    g._pacesetter_body = value
    return value


class StrictParser(FlaskParser):
    """webargs as every view uses it: a JSON body through :func:`request_body`; other places' values as text."""

    def _raw_load_json(self, req):
        return request_body() if is_json_request(req) else super()._raw_load_json(req)

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if (location or self.location) == "json":
            return super().parse(argmap, req, location=location, **kwargs)
        with values_from_text():
            return super().parse(argmap, req, location=location, **kwargs)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint reading its arguments strictly: what every service's views are built on."""

    ARGUMENTS_PARSER = StrictParser()


class StrictJSONProvider(DefaultJSONProvider):
    """``request.get_json()`` as strict as the views' own parsing (a body with a problem is refused)."""

    def loads(self, s: str | bytes, **kwargs) -> Any:
        value, problems = decode(s)
        if problems:
            refuse(problems)
        return value


# -- query strings and paths ----------------------------------------------------------------------------------------

class BigintConverter(IntegerConverter):
    """``<int:…>`` within PostgreSQL's bigint: a larger number names nothing there is (404), not a crash."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False):
        super().__init__(map, fixed_digits, BIGINT_MIN if signed and min is None else min,
                         BIGINT_MAX if max is None else max, signed)


def _check_address() -> None:
    problems = []
    for key, value in [*request.args.items(multi=True), *(request.view_args or {}).items()]:
        problem = _text_problem(key) or (_text_problem(value) if isinstance(value, str) else None)
        if problem:
            problems.append(((shown(key),), problem))
    if problems:
        refuse(problems)


def install(app: Flask) -> None:
    """Strict reading for this app: its JSON provider, its ``int`` converter, the check of query and path.
    (Routes added afterwards use the converter: call it before registering blueprints.)"""
    provider = StrictJSONProvider(app)
    provider.ensure_ascii = app.json.ensure_ascii
    app.json = provider
    app.url_map.converters["int"] = BigintConverter
    app.before_request(_check_address)
