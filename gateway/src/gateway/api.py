"""The gateway's own API: login and the directory. Thin views over auth.py and directory.py."""
from __future__ import annotations

import uuid

from flask import current_app, request
from flask_smorest import Blueprint

from pacesetter_shared.web import current_identity, public

from . import directory
from .schemas import (
    CountOut, LoginIn, PersonIn, PersonOut, PersonPage, PersonQuery, RefreshIn, TokensOut, UnitIn, UnitOut,
    UnitPage, UnitQuery,
)

auth_blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, refresh, logout")
directory_blp = Blueprint("directory", __name__, url_prefix="/api/directory",
                          description="The organisation directory (组织目录)")


def _gateway():
    return current_app.extensions["gateway"]


def _uow():
    return current_app.extensions["pacesetter"].uow_factory()


@auth_blp.route("/login", methods=["POST"])
@auth_blp.arguments(LoginIn)
@auth_blp.response(200, TokensOut)
@public
def login(credentials):
    return _gateway().tokens.login(credentials)


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


@auth_blp.route("/me", methods=["GET"])
@auth_blp.response(200, PersonOut)
def me():
    with _uow() as uow:
        return directory.get_person(uow, uuid.UUID(current_identity().subject))


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
def create_unit(data):
    with _uow() as uow:
        return directory.create_unit(uow, current_identity(), data)


@directory_blp.route("/units/<uuid:unit_id>", methods=["GET"])
@directory_blp.response(200, UnitOut)
def get_unit(unit_id):
    current_identity()
    with _uow() as uow:
        return directory.get_unit(uow, unit_id)


@directory_blp.route("/persons", methods=["GET"])
@directory_blp.arguments(PersonQuery, location="query")
@directory_blp.response(200, PersonPage)
def list_persons(query):
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        items, total = directory.list_persons(uow, query["limit"], query["offset"], query["unit_id"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@directory_blp.route("/persons", methods=["POST"])
@directory_blp.arguments(PersonIn)
@directory_blp.response(201, PersonOut)
def create_person(data):
    with _uow() as uow:
        return directory.create_person(uow, current_identity(), data)


@directory_blp.route("/persons/<uuid:person_id>", methods=["GET"])
@directory_blp.response(200, PersonOut)
def get_person(person_id):
    directory.require_directory_admin(current_identity())
    with _uow() as uow:
        return directory.get_person(uow, person_id)


@directory_blp.route("/republish", methods=["POST"])
@directory_blp.response(200, CountOut)
def republish():
    """Publish the whole directory again, for a new or rebuilt service to catch up."""
    with _uow() as uow:
        return {"count": directory.republish_all(uow, current_identity())}
