"""The shape every list endpoint answers with (every list pages)."""
from marshmallow import Schema, fields


class Page(Schema):
    """A page of a list: subclasses add ``items``."""

    total = fields.Integer(metadata={"description": "How many there are in all"})
    limit = fields.Integer()
    offset = fields.Integer()
