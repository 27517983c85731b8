"""Query-string fields every list endpoint shares: several values of one filter, and the sort order."""
from __future__ import annotations

from marshmallow import fields, validate


class CommaList(fields.List):
    """Several values of one filter, repeated (``?state=open&state=escalated``) or comma-separated
    (``?state=open,escalated``), or both; empty parts are ignored. Documented as an array in the OpenAPI."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)):
            value = [part.strip() for item in value
                     for part in (item.split(",") if isinstance(item, str) else [item])
                     if not isinstance(part, str) or part.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


def sort_field(choices: list[str], default: str, description: str = "") -> fields.String:
    """``sort``: one of ``choices``; a leading ``-`` means descending. Anything else is a 422 naming the field."""
    text = f"One of {', '.join(choices)} (a leading '-' sorts descending); {default} when left out."
    return fields.String(load_default=default, validate=validate.OneOf(choices),
                         metadata={"description": f"{description} {text}".strip()})
