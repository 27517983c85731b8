"""The gateway's own API: login and the directory. Thin views over auth.py and directory.py."""
from __future__ import annotations

import uuid

from flask import current_app, request

from pacesetter_shared.i18n import _
from pacesetter_shared.web import Blueprint, accepts, current_identity, kiosk_allowed, public
from pacesetter_shared.web.errors import ErrorSchema, localized
from pacesetter_shared.web.idempotency import run_idempotently

from . import directory, kiosks, roster_import
from .schemas import (
    CountOut, ExemptionsIn, ImportOut, ImportQuery, KioskIn, KioskOut, KioskPage, KioskQuery, LoginIn, MeIn, MemberOut,
    MemberPage, MemberQuery, PasswordChangeIn, PersonIn, PersonOut, PersonPage, PersonPatch, PersonQuery, PublicUnitOut,
    PublicWindowOut, RefreshIn, TokensOut, UnitIn, UnitOut, UnitPage, UnitPatch, UnitQuery, WindowIn, WindowOut, WindowPage, WindowPatch,
    WindowQuery,
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
        return {"count": directory.republish_all(uow, current_identity())}
