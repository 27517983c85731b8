"""Ops' shapes for deliveries (api/deliveries.py): a delivery and a page of them."""
from marshmallow import Schema

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import Page

from ..domain.delivery import Channel, DeliveryStatus


class DeliveryOut(Schema):
    id = fields.UUID()
    event_id = fields.UUID()
    event_type = fields.String()
    recipient_id = fields.UUID(metadata={"description": "A person, or for a webhook the unit"})
    channel = fields.Function(lambda d: d.channel.value, metadata={"enum": [c.value for c in Channel]})
    address = fields.String(allow_none=True)
    status = fields.Function(lambda d: d.status.value, metadata={"enum": [s.value for s in DeliveryStatus]})
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    delivered_at = fields.AwareDateTime(allow_none=True)


class DeliveryPage(Page):
    items = fields.List(fields.Nested(DeliveryOut))
