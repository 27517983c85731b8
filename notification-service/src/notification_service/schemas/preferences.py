"""My notification settings' shapes (api/preferences.py)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields

from ..domain.model import NoticeKind
from ..domain.preferences import PERSONAL_CHANNELS
from .common import QuietHoursSchema, _quiet_out

_KINDS = [k.value for k in NoticeKind]
_PERSONAL = [c.value for c in PERSONAL_CHANNELS]


class PreferencesIn(Schema):
    channels = fields.Dict(
        keys=fields.String(validate=validate.OneOf(_KINDS)),
        values=fields.List(fields.String(validate=validate.OneOf(_PERSONAL))), load_default=dict,
        metadata={"description": "Per kind of notice, its channels; the inbox is always one of them. "
                                 "Kinds left out keep every channel."})
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True, load_default=None,
                                metadata={"description": "No e-mail in this window; sent when it ends"})
    daily_digest = fields.Boolean(load_default=False,
                                  metadata={"description": "Secretaries: overdue pledges once a day, not one by one"})


class PreferencesOut(Schema):
    channels = fields.Function(lambda p: {k.value: sorted(c.value for c in v) for k, v in p.channels.items()})
    quiet_hours = fields.Function(lambda p: _quiet_out(p.quiet_hours))
    daily_digest = fields.Boolean()
    updated_at = fields.AwareDateTime(allow_none=True)
