"""``calendar.*``: the university's own working-calendar days (工作日历调整) — published by the gateway."""
from marshmallow import fields, validate

from .registry import EventData, event_schema


class DayOverrideData(EventData):
    day = fields.Date(required=True)
    working = fields.Boolean(required=True)  # True: a working day; False: a day off
    note = fields.String(load_default="", validate=validate.Length(max=200))


@event_schema("calendar.days_changed", 1)
class CalendarDaysChanged(EventData):
    """Every override as it now stands, so a consumer replaces its copy; ``as_of`` lets it drop a late, older
    copy (deliveries are not in order)."""

    overrides = fields.List(fields.Nested(DayOverrideData), required=True)
    as_of = fields.AwareDateTime(required=True)
