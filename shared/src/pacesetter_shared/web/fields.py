"""marshmallow's fields as every service's schemas use them (``from pacesetter_shared.web import fields``):
strict about types at the API's edge, and every integer bounded by what PostgreSQL can hold.

A JSON body says what type each value has, so a value of the wrong type is refused, never converted: an
integer field takes no 1.5 (nor 1.0, "1" or true), a number field no "1.5", a boolean field no "yes", 1
or "true". A query string or a path has text only: there an integer is its ASCII digits and a boolean one of
marshmallow's usual words (true/false, 1/0, yes/no…). The request parser says which of the two a value came
from (:mod:`pacesetter_shared.web.strict`); what is loaded outside a request is taken as JSON.

Every integer lies within PostgreSQL's bigint, the widest integer column there is: beyond it a value could
only fail in the database. A field stored in a narrower column says so (``validate.Range(1, INTEGER_MAX)``).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

from marshmallow import fields as _marshmallow
from marshmallow import utils, validate
from marshmallow.fields import *  # noqa: F403 — every field not redefined here is marshmallow's own

BIGINT_MIN, BIGINT_MAX = -2**63, 2**63 - 1
INTEGER_MAX = 2**31 - 1  # PostgreSQL's integer (int4)

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_NUMBER_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")

_from_text: ContextVar[bool] = ContextVar("pacesetter_values_from_text", default=False)


@contextmanager
def values_from_text():
    """Within: values are text (a query string, a path, a form), to be read as the type a field wants."""
    token = _from_text.set(True)
    try:
        yield
    finally:
        _from_text.reset(token)


def _text(value) -> bool:
    return isinstance(value, str) and _from_text.get()


class Integer(_marshmallow.Integer):
    """A JSON integer (no fraction, no text, no boolean), or its decimal digits in a query; within bigint."""

    # a template as marshmallow's validate.Range writes it (so already in the catalogue), filled in make_error
    default_error_messages = {"out_of_range": "Must be greater than or equal to {min} and less than or equal to {max}."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("format", "int64")
        super().__init__(**kwargs)

    def _validated(self, value) -> int:
        if _text(value):
            if not _INTEGER_TEXT.fullmatch(value):
                raise self.make_error("invalid", input=value)
            if len(value.lstrip("+-").lstrip("0")) > 19:  # past bigint for sure; int() of it may be costly
                raise self.make_error("out_of_range", **self._bounds())
            value = int(value)
        elif value is True or value is False or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        if not BIGINT_MIN <= value <= BIGINT_MAX:
            raise self.make_error("out_of_range", **self._bounds())
        return value

    def _bounds(self) -> dict:
        """The range to name: the field's own where it has one (offset: from 0), within bigint."""
        ranges = [v for v in self.validators if isinstance(v, validate.Range)]
        return {"min": max([BIGINT_MIN, *(r.min for r in ranges if r.min is not None)]),
                "max": min([BIGINT_MAX, *(r.max for r in ranges if r.max is not None)])}


class RawItems(_marshmallow.List):
    """A batch's items, each any JSON value, taken as sent: each is loaded (and refused) on its own afterwards.

    ``List(Raw(allow_none=True))`` without the call to ``Raw.deserialize`` per item, which gives the item back
    unchanged anyway: a kiosk's hundred ratings spent more there than in their own INSERT's parameters.
    """

    def __init__(self, **kwargs):
        super().__init__(_marshmallow.Raw(allow_none=True), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        if not utils.is_collection(value):
            raise self.make_error("invalid")
        return list(value)


class Float(_marshmallow.Float):
    """A JSON number (an integer or a fraction; no text, no boolean), or a decimal number in a query; finite."""

    def _validated(self, value) -> float:
        if _text(value):
            if not _NUMBER_TEXT.fullmatch(value):
                raise self.make_error("invalid", input=value)
        elif value is True or value is False or not isinstance(value, (int, float)):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Boolean(_marshmallow.Boolean):
    """JSON's true or false, nothing else; in a query also marshmallow's words for them (1/0, yes/no…)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if _text(value):
            return super()._deserialize(value, attr, data, **kwargs)
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)


Int, Bool = Integer, Boolean
__all__ = [*_marshmallow.__all__, "BIGINT_MIN", "BIGINT_MAX", "INTEGER_MAX", "values_from_text"]
