"""Integration events: the envelope, the registry of versioned schemas, and every schema.

Importing this package registers every event type, so a producer or consumer that imports
it can validate anything on the wire.
"""
from .envelope import Envelope, EnvelopeSchema, new_envelope
from .registry import (
    InvalidEvent,
    UnknownEvent,
    event_schema,
    latest_version,
    load_data,
    prepare_data,
    registered_types,
    routing_key,
)
from . import calendar, directory, evaluation, grading, pledge  # noqa: F401  (registers the schemas)

__all__ = [
    "Envelope", "EnvelopeSchema", "new_envelope", "InvalidEvent", "UnknownEvent", "event_schema",
    "latest_version", "load_data", "prepare_data", "registered_types", "routing_key",
]
