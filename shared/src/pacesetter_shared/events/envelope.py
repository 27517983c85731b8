"""The one envelope every event travels in."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, fields, post_load


@dataclass(frozen=True)
class Envelope:
    id: uuid.UUID
    type: str  # also the routing key, e.g. "pledge.submitted"
    version: int
    occurred_at: datetime  # UTC
    producer: str
    correlation_id: str
    subject: str  # the id of the thing the event is about
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _ENVELOPE.dump(self)


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

    @post_load
    def _make(self, values, **_):
        return Envelope(**values)


_ENVELOPE = EnvelopeSchema()  # building one cost more than the dump (each event recorded in an outbox)


def new_envelope(type: str, version: int, producer: str, subject: str, data: dict,
                 correlation_id: str | None = None) -> Envelope:
    event_id = uuid.uuid4()
    return Envelope(
        id=event_id, type=type, version=version, occurred_at=datetime.now(timezone.utc),
        producer=producer, correlation_id=correlation_id or str(event_id), subject=str(subject),
        data=data,
    )
