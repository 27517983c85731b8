"""The shapes of /api/calendar (api/calendar.py)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields


class CalendarQuery(Schema):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))


class CalendarDayOut(Schema):
    day = fields.Date()
    working = fields.Boolean()
    holiday = fields.String(metadata={"description": "The official holiday's code (national_day, spring_festival, "
                                                     "new_years_day…), if any"})
    note = fields.String(metadata={"description": "The override's note, if the day is the university's own"})
    overridden = fields.Boolean(metadata={"description": "The university's own change, winning over the official day"})
    usually_working = fields.Boolean(metadata={"description": "What the official calendar alone says"})


class CalendarYearOut(Schema):
    year = fields.Integer()
    end_of_day = fields.String(metadata={"description": "When a working day ends for deadlines (DEADLINE_END_OF_DAY)"})
    published = fields.Boolean(metadata={"description": "Whether the official arrangement of the year is known"})
    warning = fields.String(allow_none=True)
    days = fields.List(fields.Nested(CalendarDayOut))


class CalendarOverrideIn(Schema):
    day = fields.Date(required=True)
    working = fields.Boolean(required=True, metadata={"description": "true: a working day; false: a day off"})
    note = fields.String(load_default="", validate=validate.Length(max=200))


class CalendarOverrideOut(Schema):
    day = fields.Date()
    working = fields.Boolean()
    note = fields.String()


class CalendarDayPath(Schema):
    day = fields.Date(required=True)
