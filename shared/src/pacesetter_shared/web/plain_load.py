"""marshmallow's load for the many small items of a batch (a kiosk's 100 ratings), without its bookkeeping.

``Schema.load`` of a rating spends most of its time on the schema's own machinery (the error store, a getter and
a store call per field, hooks looked up) and less than half in the fields themselves. :class:`PlainLoad` runs
each field's own ``deserialize`` (the same conversion and the same validators) and leaves anything out of the
ordinary to ``Schema.load``: an item that is not an object, a key the schema does not know, a missing required
field, any field's error. So errors, their wording and their places are marshmallow's own.

The items of one batch repeat their values (a kiosk's hundred ratings name the same window): a value loaded once
into something immutable is taken again for the next item that sends the same one.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Callable

from marshmallow import RAISE, Schema, ValidationError, fields, missing

# what a field's load may give that no one can change afterwards, so that two items may share it
_IMMUTABLE = (str, int, float, bool, uuid.UUID, datetime, date, Decimal, type(None))


class PlainLoad:
    """``PlainLoad(schema).batch()`` is a load that returns what ``schema.load(raw)`` returns, and raises
    what it raises.

    Only for a schema whose load is its fields alone: no hooks (``pre_load``, ``validates``…), no ``data_key``,
    unknown keys refused. A schema that grows one is refused here, at import, not answered differently.
    """

    def __init__(self, schema: Schema):
        hooks = [tag for tag, names in schema._hooks.items() if names]
        renamed = [name for name, field in schema.load_fields.items() if field.data_key not in (None, name)]
        if hooks or renamed or schema.unknown != RAISE:
            raise TypeError(f"{type(schema).__name__}: its load is more than its fields "
                            f"(hooks {hooks}, data keys {renamed}, unknown={schema.unknown!r})")
        self.schema = schema
        self._fields = schema.load_fields
        # a Method or Function field's load may read the rest of the item: never taken again for another
        self._once = frozenset(name for name, field in self._fields.items()
                               if isinstance(field, (fields.Method, fields.Function)))
        self._required = frozenset(name for name, field in self._fields.items() if field.required)
        # a field left out gets its load_default, as Field.deserialize(missing) gives it; none: left out.
        # A callable one (list) is made anew for each item; the others are one dict merged under each item.
        defaults = {name: field.load_default for name, field in self._fields.items()
                    if not field.required and field.load_default is not missing}
        self._made = tuple((name, make) for name, make in defaults.items() if callable(make))
        self._fixed = {name: value for name, value in defaults.items() if not callable(value)}

    def batch(self) -> Callable[[object], dict]:
        """A load for the items of one batch, remembering the values they repeat."""
        seen: dict = {}

        def load(raw) -> dict:
            loaded = self._plain(raw, seen)
            return self.schema.load(raw) if loaded is None else loaded

        return load

    def _plain(self, raw, seen: dict) -> dict | None:
        if type(raw) is not dict or not raw.keys() <= self._fields.keys() or not self._required <= raw.keys():
            return None
        loaded = {}
        try:
            for name, value in raw.items():
                key = (name, type(value), value) if type(value) in _IMMUTABLE and name not in self._once else None
                if key is not None and key in seen:
                    loaded[name] = seen[key]
                    continue
                loaded[name] = result = self._fields[name].deserialize(value, name, raw)
                if key is not None and type(result) in _IMMUTABLE:
                    seen[key] = result
        except ValidationError:
            return None
        for name, make in self._made:
            if name not in loaded:
                loaded[name] = make()
        return {**self._fixed, **loaded}
