"""/api/calendar: the working calendar's days and the university's own changes. Thin views over
service/calendar.py."""
from __future__ import annotations

from pacesetter_shared.web import Blueprint, current_identity
from pacesetter_shared.web.errors import localized

from ..schemas.calendar import CalendarDayPath, CalendarOverrideIn, CalendarOverrideOut, CalendarQuery, CalendarYearOut
from ..service import calendar
from ._views import gateway as _gateway, uow as _uow

blp = Blueprint("calendar", __name__, url_prefix="/api/calendar",
                description="The working calendar (工作日历): holidays, make-up workdays, the university's own days")


@blp.route("/days", methods=["GET"])
@blp.arguments(CalendarQuery, location="query")
@blp.response(200, CalendarYearOut)
def calendar_days(query):
    """The year's official holidays and make-up workdays (法定节假日、调休上班) merged with the university's own
    changes, which win; for a year not yet published, ``published`` is false and ``warning`` says Monday to
    Friday are counted. Any logged-in person."""
    current_identity()
    with _uow() as uow:
        answer = calendar.year_days(uow, query["year"], _gateway().end_of_day)
    answer["warning"] = localized(answer["warning"]) if answer["warning"] else None
    return answer


@blp.route("/overrides", methods=["POST"])
@blp.arguments(CalendarOverrideIn)
@blp.response(201, CalendarOverrideOut)
def add_calendar_override(data):
    """A day of the university's own calendar (组织部): a working day or a day off, against the official
    calendar (422 when it says the same already, 409 when the day is changed already). Published at once to
    the services that count working days."""
    with _uow() as uow:
        return calendar.add_override(uow, current_identity(), data)


@blp.route("/overrides/<day>", methods=["DELETE"])
@blp.arguments(CalendarDayPath, location="path")
@blp.response(204)
def remove_calendar_override(path, day):
    """Back to the official calendar for that day (组织部); 404 when the day has no change."""
    with _uow() as uow:
        calendar.remove_override(uow, current_identity(), path["day"])

