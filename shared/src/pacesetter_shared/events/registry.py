"""Versioned schemas of the integration events (one marshmallow schema per type and version)."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError


class UnknownEvent(LookupError):
    """No schema is registered for this type and version."""


class InvalidEvent(ValueError):
    """The event data does not match its schema."""

    def __init__(self, event_type: str, version: int, errors):
        super().__init__(f"{event_type} v{version} is invalid: {errors}")
        self.errors = errors


class EventData(Schema):
    """Base of every event schema: unknown fields are ignored, so producers may add fields."""

    class Meta:
        unknown = EXCLUDE


_SCHEMAS: dict[tuple[str, int], type[Schema]] = {}
# The field of an event type's data whose value ends its routing key (see ``routing_key``).
_ROUTED_BY: dict[str, str] = {}


def event_schema(event_type: str, version: int = 1, routed_by: str | None = None):
    """Class decorator: register ``cls`` as the schema of ``event_type`` at ``version``.

    ``routed_by`` names a required field of the data with a word for a value, appended to the routing key, so that
    a queue can be bound to only some events of the type; every version of the type must name the same field.
    """

    def register(cls: type[Schema]) -> type[Schema]:
        key = (event_type, version)
        if key in _SCHEMAS:
            raise RuntimeError(f"{event_type} v{version} is registered twice")
        if not issubclass(cls, EventData):
            raise TypeError(f"{cls.__name__} must derive from EventData")
        if any(t == event_type for t, _v in _SCHEMAS) and _ROUTED_BY.get(event_type) != routed_by:
            raise RuntimeError(f"every version of {event_type} must be routed by the same field")
        _SCHEMAS[key] = cls
        if routed_by is not None:
            _ROUTED_BY[event_type] = routed_by
        return cls

    return register


def routing_key(event_type: str, data: dict) -> str:
    """The key an event is published with: its type, and for a type routed by a field that field's value
    (``evaluation.completed.pledge``), which lets a topic binding take a type's events of one kind only."""
    field = _ROUTED_BY.get(event_type)
    return event_type if field is None else f"{event_type}.{data[field]}"


def registered_types() -> list[tuple[str, int]]:
    return sorted(_SCHEMAS)


def latest_version(event_type: str) -> int:
    versions = [v for (t, v) in _SCHEMAS if t == event_type]
    if not versions:
        raise UnknownEvent(f"no schema registered for {event_type!r}")
    return max(versions)


_INSTANCES: dict[tuple[str, int], Schema] = {}  # one each: building a schema cost more than loading an event


def _schema(event_type: str, version: int) -> Schema:
    key = (event_type, version)
    if key not in _INSTANCES:
        try:
            _INSTANCES[key] = _SCHEMAS[key]()
        except KeyError:
            raise UnknownEvent(f"no schema registered for {event_type!r} v{version}") from None
    return _INSTANCES[key]


def prepare_data(event_type: str, version: int, data: dict) -> dict:
    """Producer side: turn ``data`` into JSON-ready values and prove it matches the schema."""
    schema = _schema(event_type, version)
    try:
        payload = schema.dump(schema.load(schema.dump(data)))
    except ValidationError as exc:
        raise InvalidEvent(event_type, version, exc.messages) from None
    return payload


def load_data(event_type: str, version: int, data) -> dict:
    """Consumer side: validate and load ``data`` into Python values."""
    if not isinstance(data, dict):
        raise InvalidEvent(event_type, version, {"_schema": ["data must be an object"]})
    try:
        return _schema(event_type, version).load(data)
    except ValidationError as exc:
        raise InvalidEvent(event_type, version, exc.messages) from None
