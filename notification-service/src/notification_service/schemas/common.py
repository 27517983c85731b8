"""Shapes several resources share: a page's query (deliveries, robots), quiet hours (robots, preferences)."""
from marshmallow import Schema

from pacesetter_shared.web import fields
from pacesetter_shared.web.paging import limit_field, offset_field


class PageQuery(Schema):
    limit = limit_field(20, 200)
    offset = offset_field()


class QuietHoursSchema(Schema):
    start = fields.Time(required=True, format="%H:%M", metadata={"description": "Beijing time, e.g. 22:00"})
    end = fields.Time(required=True, format="%H:%M", metadata={"description": "Beijing time, e.g. 07:30"})


def _quiet_out(quiet) -> dict | None:
    return {"start": quiet.start.strftime("%H:%M"), "end": quiet.end.strftime("%H:%M")} if quiet else None
