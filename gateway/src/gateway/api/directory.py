"""/api/directory: the organisation directory (units, people, windows, kiosks, roster imports). Thin views over
service/directory.py, service/kiosks.py and service/roster_import.py."""
from __future__ import annotations

import uuid

from flask import request

from pacesetter_shared.i18n import _
from pacesetter_shared.web import Blueprint, accepts, current_identity, kiosk_allowed, public
from pacesetter_shared.web.errors import localized
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, write_once

from ..schemas.common import KioskOut, PersonOut
from ..schemas.directory import (
    CountOut, ExemptionsIn, ImportOut, ImportQuery, KioskIn, KioskPage, KioskQuery, MemberOut, MemberPage, MemberQuery,
    PersonIn, PersonPage, PersonPatch, PersonQuery, PublicUnitOut, PublicWindowOut, UnitIn, UnitOut, UnitPage,
    UnitPatch, UnitQuery, WindowIn, WindowOut, WindowPage, WindowPatch, WindowQuery,
)
from ..service import calendar, directory, kiosks, roster_import
from ._views import gateway as _gateway, uow as _uow

blp = Blueprint("directory", __name__, url_prefix="/api/directory",
                description="The organisation directory (组织目录)")


@blp.route("/units", methods=["GET"])
@blp.arguments(UnitQuery, location="query")
@blp.response(200, UnitPage)
def list_units(query):
    current_identity()
    with _uow() as uow:
        items, total = directory.list_units(uow, query["limit"], query["offset"], query["parent_id"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/units", methods=["POST"])
@blp.arguments(UnitIn)
@blp.response(201, UnitOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_unit(data):
    return write_once(UnitOut, lambda uow, who: directory.create_unit(uow, who, data), 201)


@blp.route("/units/<uuid:unit_id>", methods=["GET"])
@blp.response(200, UnitOut)
def get_unit(unit_id):
    current_identity()
    with _uow() as uow:
        return directory.get_unit(uow, unit_id)


@blp.route("/units/<uuid:unit_id>/public", methods=["GET"])
@blp.response(200, PublicUnitOut)
@public
def public_unit(unit_id):
    """A unit's name for anyone: the masses' suggestion box (意见箱) says where a note goes."""
    with _uow() as uow:
        return directory.public_unit(uow, unit_id)


@blp.route("/units/<uuid:unit_id>", methods=["PATCH"])
@blp.arguments(UnitPatch)
@blp.response(200, UnitOut)
def update_unit(changes, unit_id):
    with _uow() as uow:
        return directory.update_unit(uow, current_identity(), unit_id, changes)


@blp.route("/units/<uuid:unit_id>/members", methods=["GET"])
@blp.arguments(MemberQuery, location="query")
@blp.response(200, MemberPage)
def list_unit_members(query, unit_id):
    """The unit's members with their exemptions, for its secretaries (支部书记、党总支书记): by name, of some
    categories (``category=member,leader`` leaves the masses out); ``total`` counts all of them."""
    with _uow() as uow:
        items, total = directory.list_unit_members(uow, current_identity(), unit_id, query["limit"], query["offset"],
                                                   text=query["q"], categories=query["category"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/persons/<uuid:person_id>/exemptions", methods=["PUT"])
@blp.arguments(ExemptionsIn)
@blp.response(200, MemberOut)
def set_exemptions(body, person_id):
    """Replace a member's exemptions from pledging (年老体弱), by year with the reason."""
    with _uow() as uow:
        return directory.set_exemptions(uow, current_identity(), person_id, body["exemptions"])


@blp.route("/persons", methods=["GET"])
@blp.arguments(PersonQuery, location="query")
@blp.response(200, PersonPage)
def list_persons(query):
    """Everyone in the directory, by name: or those of a unit (and with ``include_below`` of every unit under
    it), holding a role, active or not, whose name or user name holds ``q``; ``total`` counts all of them."""
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        items, total = directory.list_persons(uow, query["limit"], query["offset"], query["unit_id"], query["q"],
                                              include_below=query["include_below"], roles=query["role"],
                                              active=query["active"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/persons", methods=["POST"])
@blp.arguments(PersonIn)
@blp.response(201, PersonOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_person(data):
    """A person with their roles, each scoped to a unit (党员、支部书记、党总支书记、组织部、运维)."""
    return write_once(PersonOut, lambda uow, who: directory.create_person(uow, who, data, _gateway().passwords), 201)


@blp.route("/persons/<uuid:person_id>", methods=["GET"])
@blp.response(200, PersonOut)
def get_person(person_id):
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        return directory.get_person(uow, person_id)


@blp.route("/persons/<uuid:person_id>", methods=["PATCH"])
@blp.arguments(PersonPatch)
@blp.response(200, PersonOut)
def update_person(changes, person_id):
    """A new password, disabling, other roles or another unit end the person's sessions: they log in again.
    Nobody disables themself or takes their own organisation department or ops role; the last active
    organisation department account keeps both its role and its access."""
    with _uow() as uow:
        person = directory.update_person(uow, current_identity(), person_id, changes, _gateway().passwords)
    _gateway().tokens.reload_revocations()
    return person


@blp.route("/windows", methods=["GET"])
@blp.arguments(WindowQuery, location="query")
@blp.response(200, WindowPage)
def list_windows(query):
    current_identity()
    with _uow() as uow:
        items, total = directory.list_windows(uow, query["limit"], query["offset"], query["unit_id"],
                                              include_below=query["include_below"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/windows", methods=["POST"])
@blp.arguments(WindowIn)
@blp.response(201, WindowOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def create_window(data):
    """A service window (窗口) or post (党员先锋岗 / 责任区) with its published standards (亮标准)."""
    return write_once(WindowOut, lambda uow, who: directory.create_window(uow, who, data), 201)


@blp.route("/windows/<uuid:window_id>", methods=["GET"])
@blp.response(200, WindowOut)
def get_window(window_id):
    current_identity()
    with _uow() as uow:
        return directory.get_window(uow, window_id)


@blp.route("/windows/<uuid:window_id>", methods=["PATCH"])
@blp.arguments(WindowPatch)
@blp.response(200, WindowOut)
def update_window(changes, window_id):
    with _uow() as uow:
        return directory.update_window(uow, current_identity(), window_id, changes)


@blp.route("/windows/<uuid:window_id>/public", methods=["GET"])
@blp.response(200, PublicWindowOut)
@public
def public_window(window_id):
    """What a display screen or kiosk shows to anyone: standards and who is on duty (亮标准、亮身份)."""
    with _uow() as uow:
        return directory.public_window(uow, window_id)


@blp.route("/kiosks", methods=["GET"])
@blp.arguments(KioskQuery, location="query")
@blp.response(200, KioskPage)
def list_kiosks(query):
    with _uow() as uow:
        items, total = kiosks.list_devices(uow, current_identity(), query["limit"], query["offset"],
                                           query["window_id"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/kiosks", methods=["POST"])
@blp.arguments(KioskIn)
@blp.response(201, KioskOut)
def register_kiosk(data):
    """Pair a kiosk with one window; the credential in the answer is shown only this once."""
    with _uow() as uow:
        return kiosks.register_device(uow, current_identity(), data["window_id"], data["name"])


@blp.route("/kiosks/me", methods=["GET"])
@blp.response(200, PublicWindowOut)
@kiosk_allowed
def my_window():
    """For a kiosk: the window it is paired to, as the kiosk shows it (亮标准、亮身份)."""
    identity = current_identity()
    if identity.kind != "kiosk":
        raise directory.Forbidden(_("Only a paired kiosk device has a window of its own."))
    with _uow() as uow:
        return directory.public_window(uow, uuid.UUID(identity.window_id))


@blp.route("/kiosks/<uuid:device_id>/revoke", methods=["POST"])
@blp.response(200, KioskOut)
def revoke_kiosk(device_id):
    with _uow() as uow:
        device = kiosks.revoke_device(uow, current_identity(), device_id)
    _gateway().kiosks.forget(device_id)
    return device


@blp.route("/imports", methods=["POST"])
@blp.arguments(ImportQuery, location="query")
@blp.response(200, ImportOut)
@blp.doc(requestBody={"content": {
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


@blp.route("/republish", methods=["POST"])
@blp.response(200, CountOut)
def republish():
    """Publish the whole directory again, for a new or rebuilt service to catch up."""
    with _uow() as uow:
        count = directory.republish_all(uow, current_identity())
        calendar.republish(uow)  # the working calendar's overrides too: the services keep a copy of them
        return {"count": count + 1}
