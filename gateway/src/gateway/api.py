"""The gateway's own API: login and the directory. Thin views over auth.py and directory.py."""
from __future__ import annotations

import uuid

from flask import current_app, request

from pacesetter_shared.i18n import _
from pacesetter_shared.web import (
    Blueprint, accepts, anonymous_allowed, current_identity, device_allowed, kiosk_allowed, public,
)
from pacesetter_shared.web.errors import ApiError, BadRequest, ErrorSchema, localized
from pacesetter_shared.web.idempotency import run_idempotently

from . import directory, kiosks, pairing, roster_import, workdays
from .domain.pairing import EXPIRED, PENDING, POLL_INTERVAL, SLOW_DOWN, UNKNOWN
from .schemas import (
    CalendarDayPath, CalendarOverrideIn, CalendarOverrideOut, CalendarQuery, CalendarYearOut, CountOut, DeviceOut,
    ExemptionsIn, ImportOut, ImportQuery, KioskIn, KioskOut, KioskPage, KioskQuery, LoginIn, MeIn, MemberOut,
    MemberPage, MemberQuery, PairingApproveIn, PairingCodePath, PairingOut, PairingStartIn, PairingStartOut,
    PairingTokenIn, PairingTokenOut, PasswordChangeIn, PersonIn, PersonOut, PersonPage, PersonPatch, PersonQuery,
    PublicUnitOut, PublicWindowOut, RefreshIn, TokensOut, UnitIn, UnitOut, UnitPage, UnitPatch, UnitQuery, WindowIn,
    WindowOut, WindowPage, WindowPatch, WindowQuery,
)

auth_blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, refresh, logout, one's password")
directory_blp = Blueprint("directory", __name__, url_prefix="/api/directory",
                          description="The organisation directory (组织目录)")


def _gateway():
    return current_app.extensions["gateway"]


def _uow():
    return current_app.extensions["pacesetter"].uow_factory()


IDEMPOTENCY_KEY = {"parameters": [{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                                   "description": "A create sent again with the same key is made once"}]}


def _create(schema, use_case):
    """A directory entry created once per Idempotency-Key (a form sent twice over a flaky network)."""
    identity = current_identity()
    return run_idempotently(current_app.extensions["pacesetter"].uow_factory, identity.subject,
                            lambda uow: (schema().dump(use_case(uow, identity)), 201))


THROTTLED = {"schema": ErrorSchema, "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}},
             "description": "Too many failed attempts at the account or from the address: wait Retry-After seconds"}


@auth_blp.route("/login", methods=["POST"])
@auth_blp.arguments(LoginIn)
@auth_blp.response(200, TokensOut)
@auth_blp.alt_response(429, **THROTTLED)
@public
def login(credentials):
    """Failed attempts slow the next ones at the account and from the address (growing waits, then a lock);
    any Authorization header sent along is ignored."""
    return _gateway().tokens.login(credentials, request.remote_addr or "")


@auth_blp.route("/refresh", methods=["POST"])
@auth_blp.arguments(RefreshIn)
@auth_blp.response(200, TokensOut)
@public
def refresh(body):
    return _gateway().tokens.refresh(body["refresh_token"])


@auth_blp.route("/logout", methods=["POST"])
@auth_blp.response(204)
def logout():
    current_identity()
    _gateway().tokens.logout(request.environ["pacesetter.session_id"])


@auth_blp.route("/password", methods=["POST"])
@auth_blp.arguments(PasswordChangeIn)
@auth_blp.response(204)
@auth_blp.alt_response(429, **THROTTLED)
def change_password(body):
    """My own password: the current one (wrong ones count as failed logins), then a new one kept to the policy.
    My other sessions end; this one goes on."""
    identity = current_identity()
    _gateway().tokens.change_password(uuid.UUID(identity.subject), request.environ["pacesetter.session_id"],
                                      body["current_password"], body["new_password"], request.remote_addr or "")


@auth_blp.route("/me", methods=["GET"])
@auth_blp.response(200, PersonOut)
def me():
    with _uow() as uow:
        return directory.get_person(uow, uuid.UUID(current_identity().subject))


@auth_blp.route("/me", methods=["PATCH"])
@auth_blp.arguments(MeIn)
@auth_blp.response(200, PersonOut)
def update_me(changes):
    """My own e-mail address (for notices) and language."""
    with _uow() as uow:
        return directory.update_person(uow, None, uuid.UUID(current_identity().subject), changes)


@directory_blp.route("/units", methods=["GET"])
@directory_blp.arguments(UnitQuery, location="query")
@directory_blp.response(200, UnitPage)
def list_units(query):
    current_identity()
    with _uow() as uow:
        items, total = directory.list_units(uow, query["limit"], query["offset"], query["parent_id"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/units", methods=["POST"])
@directory_blp.arguments(UnitIn)
@directory_blp.response(201, UnitOut)
@directory_blp.doc(**IDEMPOTENCY_KEY)
def create_unit(data):
    return _create(UnitOut, lambda uow, who: directory.create_unit(uow, who, data))


@directory_blp.route("/units/<uuid:unit_id>", methods=["GET"])
@directory_blp.response(200, UnitOut)
def get_unit(unit_id):
    current_identity()
    with _uow() as uow:
        return directory.get_unit(uow, unit_id)


@directory_blp.route("/units/<uuid:unit_id>/public", methods=["GET"])
@directory_blp.response(200, PublicUnitOut)
@public
def public_unit(unit_id):
    """A unit's name for anyone: the masses' suggestion box (意见箱) says where a note goes."""
    with _uow() as uow:
        return directory.public_unit(uow, unit_id)


@directory_blp.route("/units/<uuid:unit_id>", methods=["PATCH"])
@directory_blp.arguments(UnitPatch)
@directory_blp.response(200, UnitOut)
def update_unit(changes, unit_id):
    with _uow() as uow:
        return directory.update_unit(uow, current_identity(), unit_id, changes)


@directory_blp.route("/units/<uuid:unit_id>/members", methods=["GET"])
@directory_blp.arguments(MemberQuery, location="query")
@directory_blp.response(200, MemberPage)
def list_unit_members(query, unit_id):
    """The unit's members with their exemptions, for its secretaries (支部书记、党总支书记): by name, of some
    categories (``category=member,leader`` leaves the masses out); ``total`` counts all of them."""
    with _uow() as uow:
        items, total = directory.list_unit_members(uow, current_identity(), unit_id, query["limit"], query["offset"],
                                                   text=query["q"], categories=query["category"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/persons/<uuid:person_id>/exemptions", methods=["PUT"])
@directory_blp.arguments(ExemptionsIn)
@directory_blp.response(200, MemberOut)
def set_exemptions(body, person_id):
    """Replace a member's exemptions from pledging (年老体弱), by year with the reason."""
    with _uow() as uow:
        return directory.set_exemptions(uow, current_identity(), person_id, body["exemptions"])


@directory_blp.route("/persons", methods=["GET"])
@directory_blp.arguments(PersonQuery, location="query")
@directory_blp.response(200, PersonPage)
def list_persons(query):
    """Everyone in the directory, by name: or those of a unit (and with ``include_below`` of every unit under
    it), holding a role, active or not, whose name or user name holds ``q``; ``total`` counts all of them."""
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        items, total = directory.list_persons(uow, query["limit"], query["offset"], query["unit_id"], query["q"],
                                              include_below=query["include_below"], roles=query["role"],
                                              active=query["active"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/persons", methods=["POST"])
@directory_blp.arguments(PersonIn)
@directory_blp.response(201, PersonOut)
@directory_blp.doc(**IDEMPOTENCY_KEY)
def create_person(data):
    """A person with their roles, each scoped to a unit (党员、支部书记、党总支书记、组织部、运维)."""
    return _create(PersonOut, lambda uow, who: directory.create_person(uow, who, data, _gateway().passwords))


@directory_blp.route("/persons/<uuid:person_id>", methods=["GET"])
@directory_blp.response(200, PersonOut)
def get_person(person_id):
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        return directory.get_person(uow, person_id)


@directory_blp.route("/persons/<uuid:person_id>", methods=["PATCH"])
@directory_blp.arguments(PersonPatch)
@directory_blp.response(200, PersonOut)
def update_person(changes, person_id):
    """A new password, disabling, other roles or another unit end the person's sessions: they log in again.
    Nobody disables themself or takes their own organisation department or ops role; the last active
    organisation department account keeps both its role and its access."""
    with _uow() as uow:
        person = directory.update_person(uow, current_identity(), person_id, changes, _gateway().passwords)
    _gateway().tokens.reload_revocations()
    return person


@directory_blp.route("/windows", methods=["GET"])
@directory_blp.arguments(WindowQuery, location="query")
@directory_blp.response(200, WindowPage)
def list_windows(query):
    current_identity()
    with _uow() as uow:
        items, total = directory.list_windows(uow, query["limit"], query["offset"], query["unit_id"],
                                              include_below=query["include_below"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/windows", methods=["POST"])
@directory_blp.arguments(WindowIn)
@directory_blp.response(201, WindowOut)
@directory_blp.doc(**IDEMPOTENCY_KEY)
def create_window(data):
    """A service window (窗口) or post (党员先锋岗 / 责任区) with its published standards (亮标准)."""
    return _create(WindowOut, lambda uow, who: directory.create_window(uow, who, data))


@directory_blp.route("/windows/<uuid:window_id>", methods=["GET"])
@directory_blp.response(200, WindowOut)
def get_window(window_id):
    current_identity()
    with _uow() as uow:
        return directory.get_window(uow, window_id)


@directory_blp.route("/windows/<uuid:window_id>", methods=["PATCH"])
@directory_blp.arguments(WindowPatch)
@directory_blp.response(200, WindowOut)
def update_window(changes, window_id):
    with _uow() as uow:
        return directory.update_window(uow, current_identity(), window_id, changes)


@directory_blp.route("/windows/<uuid:window_id>/public", methods=["GET"])
@directory_blp.response(200, PublicWindowOut)
@public
def public_window(window_id):
    """What a display screen or kiosk shows to anyone: standards and who is on duty (亮标准、亮身份)."""
    with _uow() as uow:
        return directory.public_window(uow, window_id)


@directory_blp.route("/kiosks", methods=["GET"])
@directory_blp.arguments(KioskQuery, location="query")
@directory_blp.response(200, KioskPage)
def list_kiosks(query):
    with _uow() as uow:
        items, total = kiosks.list_devices(uow, current_identity(), query["limit"], query["offset"],
                                           query["window_id"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/kiosks", methods=["POST"])
@directory_blp.arguments(KioskIn)
@directory_blp.response(201, KioskOut)
def register_kiosk(data):
    """Pair a kiosk with one window; the credential in the answer is shown only this once."""
    with _uow() as uow:
        return kiosks.register_device(uow, current_identity(), data["window_id"], data["name"])


@directory_blp.route("/kiosks/me", methods=["GET"])
@directory_blp.response(200, PublicWindowOut)
@kiosk_allowed
def my_window():
    """For a kiosk: the window it is paired to, as the kiosk shows it (亮标准、亮身份)."""
    identity = current_identity()
    if identity.kind != "kiosk":
        raise directory.Forbidden(_("Only a paired kiosk device has a window of its own."))
    with _uow() as uow:
        return directory.public_window(uow, uuid.UUID(identity.window_id))


@directory_blp.route("/kiosks/<uuid:device_id>/revoke", methods=["POST"])
@directory_blp.response(200, KioskOut)
def revoke_kiosk(device_id):
    with _uow() as uow:
        device = kiosks.revoke_device(uow, current_identity(), device_id)
    _gateway().kiosks.forget(device_id)
    return device


@directory_blp.route("/imports", methods=["POST"])
@directory_blp.arguments(ImportQuery, location="query")
@directory_blp.response(200, ImportOut)
@directory_blp.doc(requestBody={"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string",
                                                                                 "format": "binary"}}}},
    "text/csv": {"schema": {"type": "string"}}}})
@accepts("multipart/form-data", "text/csv", "application/octet-stream",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
def import_roster(query):
    """Units or people from CSV/XLSX: ``dry_run=true`` lists every bad row; otherwise all rows or none."""
    upload = request.files.get("file")
    content, filename = (upload.read(), upload.filename or "") if upload else (request.get_data(), "")
    if not content:
        raise roster_import.ImportRejected(_("Send the roster as a file field named 'file' or as the body."),
                                           {"file": [_("missing")]})
    with _uow() as uow:
        report = roster_import.import_roster(uow, current_identity(), query["kind"], content, filename,
                                             query["dry_run"], _gateway().passwords)
    report.errors = localized(report.errors)  # a dry run's reasons, in the caller's language
    return report


@directory_blp.route("/republish", methods=["POST"])
@directory_blp.response(200, CountOut)
def republish():
    """Publish the whole directory again, for a new or rebuilt service to catch up."""
    with _uow() as uow:
        count = directory.republish_all(uow, current_identity())
        workdays.republish(uow)  # the working calendar's overrides too: the services keep a copy of them
        return {"count": count + 1}


calendar_blp = Blueprint("calendar", __name__, url_prefix="/api/calendar",
                         description="The working calendar (工作日历): holidays, make-up workdays, the university's own days")


@calendar_blp.route("/days", methods=["GET"])
@calendar_blp.arguments(CalendarQuery, location="query")
@calendar_blp.response(200, CalendarYearOut)
def calendar_days(query):
    """The year's official holidays and make-up workdays (法定节假日、调休上班) merged with the university's own
    changes, which win; for a year not yet published, ``published`` is false and ``warning`` says Monday to
    Friday are counted. Any logged-in person."""
    current_identity()
    with _uow() as uow:
        answer = workdays.year_days(uow, query["year"], _gateway().end_of_day)
    answer["warning"] = localized(answer["warning"]) if answer["warning"] else None
    return answer


@calendar_blp.route("/overrides", methods=["POST"])
@calendar_blp.arguments(CalendarOverrideIn)
@calendar_blp.response(201, CalendarOverrideOut)
def add_calendar_override(data):
    """A day of the university's own calendar (组织部): a working day or a day off, against the official
    calendar (422 when it says the same already, 409 when the day is changed already). Published at once to
    the services that count working days."""
    with _uow() as uow:
        return workdays.add_override(uow, current_identity(), data)


@calendar_blp.route("/overrides/<day>", methods=["DELETE"])
@calendar_blp.arguments(CalendarDayPath, location="path")
@calendar_blp.response(204)
def remove_calendar_override(path, day):
    """Back to the official calendar for that day (组织部); 404 when the day has no change."""
    with _uow() as uow:
        workdays.remove_override(uow, current_identity(), path["day"])


devices_blp = Blueprint("devices", __name__, url_prefix="/api/devices",
                        description="Kiosks and display screens pair by a short code, as a television does (设备配对, "
                                    "OAuth 2.0 Device Authorization Grant, RFC 8628)")

# What a polling device is told (RFC 8628 §3.5), in the one error shape with the RFC's code
PAIRING_REFUSALS = {
    PENDING: _("Waiting for the code to be confirmed in the portal."),
    SLOW_DOWN: _("Polling too often: wait {seconds} s between polls.", seconds=POLL_INTERVAL),
    EXPIRED: _("This pairing has expired or its credential was handed out already: ask for a new code."),
    UNKNOWN: _("No such pairing: ask for a new code."),
}


@devices_blp.route("/pairings", methods=["POST"])
@devices_blp.arguments(PairingStartIn)
@devices_blp.response(201, PairingStartOut)
@anonymous_allowed
def start_pairing(data):
    """A new kiosk or display asks to be paired: it keeps the device code, shows the user code and a QR code of
    ``verification_uri_complete``, and polls ``/pairings/token`` every ``interval`` seconds. Codes live 10 minutes."""
    with _uow() as uow:
        return pairing.start(uow, data["kind"], request.host_url)


@devices_blp.route("/pairings/token", methods=["POST"])
@devices_blp.arguments(PairingTokenIn)
@devices_blp.response(200, PairingTokenOut)
@devices_blp.alt_response(400, schema=ErrorSchema, description="error.code: authorization_pending, slow_down, "
                                                               "expired_token or invalid_grant (RFC 8628 §3.5)")
@anonymous_allowed
def collect_pairing(data):
    """The device polls: once a person confirmed its code, its credential (``Authorization: Kiosk …``), handed out
    this once."""
    with _uow() as uow:
        answer = pairing.collect(uow, data["device_code"])
    if "refusal" in answer:
        raise BadRequest(PAIRING_REFUSALS[answer["refusal"]], code=answer["refusal"])
    return answer


def _trying_a_code(attempt):
    """Unknown codes a person tries are counted (RATE_LIMIT_PAIRING_CODES): guessing one is slow."""
    identity = current_identity()
    limits = _gateway().limits
    wait = limits.waiting("pairing", identity.subject) if limits else None
    if wait is not None:
        raise ApiError(_("Too many unknown codes tried; try again in {seconds} s.", seconds=wait), status=429,
                       code="too_many_requests")
    try:
        return attempt(identity)
    except pairing.UnknownCode:
        if limits:
            limits.retry_after("pairing", identity.subject)
        raise


@devices_blp.route("/pairings/<code>", methods=["GET"])
@devices_blp.arguments(PairingCodePath, location="path")
@devices_blp.response(200, PairingOut)
def look_up_pairing(path, code):
    """For the portal's confirmation page: what kind of device waits with this code (404 for an unknown, expired or
    used code; 429 after too many unknown ones)."""
    with _uow() as uow:
        return _trying_a_code(lambda identity: pairing.look_up(uow, identity, path["code"]))


@devices_blp.route("/pairings/<code>/approve", methods=["POST"])
@devices_blp.arguments(PairingCodePath, location="path")
@devices_blp.arguments(PairingApproveIn)
@devices_blp.response(201, KioskOut)
def approve_pairing(path, data, code):
    """Confirm the code a device shows and say what it serves: a kiosk one window, a display one window or one
    unit. The organisation department, ops, or the secretary of the window's (the unit's) branch or general branch."""
    with _uow() as uow:
        return _trying_a_code(lambda identity: pairing.approve(
            uow, identity, path["code"], data["name"], window_id=data["window_id"], unit_id=data["unit_id"]))


@devices_blp.route("/me", methods=["GET"])
@devices_blp.response(200, DeviceOut)
@device_allowed
def this_device():
    """For a paired kiosk or display: what it is and what it serves (a display learns its window or unit here)."""
    identity = current_identity()
    if identity.kind not in ("kiosk", "display"):
        raise directory.Forbidden(_("Only a paired device asks what it serves."))
    with _uow() as uow:
        return kiosks.get_device(uow, uuid.UUID(identity.subject))

