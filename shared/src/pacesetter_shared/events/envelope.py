"""The one envelope every event travels in."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, fields, post_load


@dataclass(frozen=True)
class Envelope:
    id: uuid.UUID
    type: str  # e.g. "pledge.submitted"; the start of the routing key (registry.routing_key)
    version: int
    occurred_at: datetime  # UTC
    producer: str
    correlation_id: str
    subject: str  # the id of the thing the event is about
    data: dict = field(default_factory=dict)
    # W3C trace context of the span that recorded the event (pacesetter_shared.tracing): envelope metadata, not
    # event data, so no schema's version changes; absent when tracing is off and in envelopes from before it.
    traceparent: str | None = None
    tracestate: str | None = None

    def to_dict(self) -> dict:
        out = _ENVELOPE.dump(self)
        if self.traceparent is not None:  # written by hand: two more fields in the dump cost every event ~50 %
            out["traceparent"] = self.traceparent
            if self.tracestate is not None:
                out["tracestate"] = self.tracestate
        return out


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # consumers ignore fields they do not know

    id = fields.UUID(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True)
    occurred_at = fields.AwareDateTime(required=True, default_timezone=timezone.utc)
    producer = fields.String(required=True)
    correlation_id = fields.String(required=True)
    subject = fields.String(required=True)
    data = fields.Dict(required=True)
    traceparent = fields.String(load_default=None, allow_none=True, load_only=True)  # dumped by to_dict
    tracestate = fields.String(load_default=None, allow_none=True, load_only=True)

    @post_load
    def _make(self, values, **_):
        return Envelope(**values)


_ENVELOPE = EnvelopeSchema()  # building one cost more than the dump (each event recorded in an outbox)


def new_envelope(type: str, version: int, producer: str, subject: str, data: dict,
                 correlation_id: str | None = None, traceparent: str | None = None,
                 tracestate: str | None = None) -> Envelope:
    event_id = uuid.uuid4()
    return Envelope(
        id=event_id, type=type, version=version, occurred_at=datetime.now(timezone.utc),
        producer=producer, correlation_id=correlation_id or str(event_id), subject=str(subject),
        data=data, traceparent=traceparent, tracestate=tracestate,
    )
