"""The shape every list endpoint answers with (every list pages), and the query fields that choose the page."""
from marshmallow import Schema, validate

from . import fields


class Page(Schema):
    """A page of a list: subclasses add ``items``."""

    total = fields.Integer(metadata={"description": "How many there are in all"})
    limit = fields.Integer()
    offset = fields.Integer()


def limit_field(default: int, most: int) -> fields.Integer:
    """``limit``: how many items one page holds, 1 to ``most``."""
    return fields.Integer(load_default=default, validate=validate.Range(1, most))


def offset_field() -> fields.Integer:
    """``offset``: how many items to skip, at most what PostgreSQL's OFFSET (a bigint) takes."""
    return fields.Integer(load_default=0, validate=validate.Range(0, fields.BIGINT_MAX))
