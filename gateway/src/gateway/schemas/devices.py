"""The shapes of /api/devices (api/devices.py): pairing a device by a short code (RFC 8628)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields


class PairingStartIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["kiosk", "display"]))


class PairingStartOut(Schema):
    device_code = fields.String(metadata={"description": "The device keeps it secret and polls with it"})
    user_code = fields.String(metadata={"description": "Shown on the device for a person to confirm, e.g. BDFG-HJKL"})
    verification_uri = fields.String()
    verification_uri_complete = fields.String(metadata={"description": "The same with the code: the device's QR code"})
    expires_in = fields.Integer(metadata={"description": "Seconds"})
    interval = fields.Integer(metadata={"description": "Seconds between polls"})


class PairingTokenIn(Schema):
    device_code = fields.String(required=True, validate=validate.Length(min=1, max=200))


class DeviceOut(Schema):
    """A paired device as it learns what it serves."""
    id = fields.UUID()
    kind = fields.String()
    name = fields.String()
    window_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID(allow_none=True)


class PairingTokenOut(DeviceOut):
    credential = fields.String(metadata={"description": "Authorization: Kiosk <credential>, handed out once"})


class PairingCodePath(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=20))


class PairingOut(Schema):
    user_code = fields.String()
    kind = fields.String()
    expires_at = fields.AwareDateTime()


class PairingApproveIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    window_id = fields.UUID(load_default=None)
    unit_id = fields.UUID(load_default=None)
