"""The printed forms' API (/api/forms): a form as DOCX or PDF, the organisation's templates, the year's archives.
Thin views over service/forms.py and service/archive.py; the services' data is read as the caller, with the
identity the gateway signed for this request."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, request

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import IDENTITY_HEADER
from pacesetter_shared.web import Blueprint, accepts, current_identity
from pacesetter_shared.web.errors import Forbidden, request_language

from ..adapters.services import ServiceReader
from ..domain import forms as domain
from ..schemas.forms import (
    ArchiveIn, ArchiveOut, ArchivePage, FormQuery, KindList, KindOut, VersionOut, VersionPage, VersionQuery,
)
from ..service import archive
from ..service import forms as service
from ._views import uow as _uow

blp = Blueprint("forms", __name__, url_prefix="/api/forms",
                description="Printed forms (印制表单): pledge letters, desk plates, name cards, evaluation and "
                            "grading forms, as DOCX or PDF, from the organisation's templates")

KIND = "<any(" + ", ".join(f"'{code}'" for code in domain.FORM_KINDS) + "):kind>"
DOCX = domain.FORMATS["docx"]
_IDENTITY_ENVIRON = "HTTP_" + IDENTITY_HEADER.upper().replace("-", "_")


@dataclass
class FormsContext:
    """app.extensions["forms"]: where the services are, for reading their data as the caller."""

    service_urls: dict[str, str]


def _person():
    identity = current_identity()
    if identity.kind != "person":
        raise Forbidden(_("Only people print forms."))
    return identity


def _reader() -> ServiceReader:
    return ServiceReader(current_app.extensions["forms"].service_urls, request.environ.get(_IDENTITY_ENVIRON, ""),
                         request.headers.get("Accept-Language", request_language()),
                         request.headers.get("X-Request-ID", ""))


def _file(content: bytes, mimetype: str, disposition: str) -> Response:
    # A form holds people's names and results: kept by no cache on the way.
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": disposition,
                                                         "Cache-Control": "no-store"})


FILE_RESPONSE = {"description": "The form; Content-Disposition names it in Chinese (RFC 5987 filename*)",
                 "content": {domain.FORMATS["pdf"]: {"schema": {"type": "string", "format": "binary"}},
                             DOCX: {"schema": {"type": "string", "format": "binary"}}}}


@blp.route("/archives", methods=["POST"])
@blp.arguments(ArchiveIn)
@blp.response(202, ArchiveOut)
def request_archive(body):
    """The year's archive of a unit (年度归档), made in the background: one ZIP with every form of the year the caller
    may see (承诺书, 桌牌, 名片, 评议表, 定级申报表, 分类定级结果, 整改方案), the pledge ledger, the grading report and a
    table of contents (00-目录.csv). Poll it for its progress; download it when ready."""
    with _uow() as uow:
        return archive.request_archive(uow, _person(), body["unit_id"], body["year"])


@blp.route("/archives", methods=["GET"])
@blp.arguments(VersionQuery, location="query")
@blp.response(200, ArchivePage)
def list_archives(query):
    """The archives I asked for, newest first (the organisation department: everyone's)."""
    with _uow() as uow:
        items, total = archive.list_archives(uow, _person(), query["limit"], query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/archives/<uuid:archive_id>", methods=["GET"])
@blp.response(200, ArchiveOut)
def get_archive(archive_id):
    """An archive's progress: done of total files."""
    with _uow() as uow:
        return archive.get_archive(uow, _person(), archive_id)


@blp.route("/archives/<uuid:archive_id>/file", methods=["GET"])
@blp.doc(responses={200: {"description": "The archive as ZIP", "content": {"application/zip": {"schema": {
    "type": "string", "format": "binary"}}}}})
def download_archive(archive_id):
    """The ready archive's ZIP; 409 while it is being made."""
    with _uow() as uow:
        content, filename = archive.archive_file(uow, _person(), archive_id)
    return _file(content, "application/zip", domain.attachment(filename, "archive.zip"))


@blp.route("/kinds", methods=["GET"])
@blp.response(200, KindList)
def list_kinds():
    """Every form, the ids it asks for, the fields its template may use, the version in use (组织部)."""
    with _uow() as uow:
        return {"items": service.list_kinds(uow, _person())}


@blp.route(f"/{KIND}", methods=["GET"])
@blp.arguments(FormQuery, location="query")
@blp.doc(responses={200: FILE_RESPONSE})
def print_form(query, kind):
    """A form as PDF or DOCX, with the data the caller may see through the services' own APIs (their permission
    and anonymity rules unchanged): 承诺书 (pledge_id), 承诺桌牌 and 承诺名片 (window_id, person_id: the member on
    duty; the window's rating QR code), 党员评议表 (round_id: a closed round whose result the caller sees; a party
    with too few raters stays without a score), 定级申报表, 分类定级结果 and 整改方案 (cycle_id, branch_id)."""
    identity = _person()
    form = domain.FORM_KINDS[kind]
    missing = [name for name in form.asks if query.get(name) is None]
    if missing:
        raise domain.FormRefused(_("The {form} needs {ids}.", form=form.term(), ids=", ".join(missing)),
                                 {name: [_("required for this form")] for name in missing})
    with _uow() as uow:
        content, subject = service.render_form(uow, _reader(), identity, form, query, query["format"])
    return _file(content, domain.FORMATS[query["format"]],
                 domain.content_disposition(form, subject, query["format"]))


@blp.route(f"/templates/{KIND}/versions", methods=["GET"])
@blp.arguments(VersionQuery, location="query")
@blp.response(200, VersionPage)
def list_versions(query, kind):
    """The organisation's versions of a form's template, newest first (组织部)."""
    with _uow() as uow:
        items, total = service.list_versions(uow, _person(), domain.FORM_KINDS[kind], query["limit"], query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route(f"/templates/{KIND}/versions", methods=["POST"])
@blp.response(201, VersionOut)
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
@accepts("multipart/form-data", DOCX)
def upload_version(kind):
    """A new version of the template (组织部), not in use until activated. A DOCX with docxtpl fields
    (``{{ name }}``); one using a field the form does not have is refused with 422, naming the field."""
    upload = request.files.get("file")
    content, filename = (upload.read(), upload.filename or "") if upload else (request.get_data(), "")
    if not content:
        raise domain.TemplateRefused(_("Send the template as a file field named 'file' or as the body."),
                                     {"file": [_("missing")]})
    with _uow() as uow:
        return service.upload_template(uow, _person(), domain.FORM_KINDS[kind], content, filename)


@blp.route(f"/templates/{KIND}/versions/<int:version>/activate", methods=["POST"])
@blp.response(200, KindOut)
def activate_version(kind, version):
    """Print with this version from now on (an older one: revert to it); version 0 is the suite's default."""
    with _uow() as uow:
        return service.activate_version(uow, _person(), domain.FORM_KINDS[kind], version)


@blp.route(f"/templates/{KIND}/versions/<int:version>/file", methods=["GET"])
@blp.doc(responses={200: {"description": "The template as DOCX", "content": {DOCX: {"schema": {
    "type": "string", "format": "binary"}}}}})
def download_version(kind, version):
    """The template of a version, to edit in Word or WPS and upload again; version 0 is the suite's default."""
    form = domain.FORM_KINDS[kind]
    with _uow() as uow:
        content = service.template_file(uow, _person(), form, version)
    return _file(content, DOCX, domain.content_disposition(form, f"模板{version}", "docx"))


@blp.route(f"/templates/{KIND}/versions/<int:version>/preview", methods=["GET"])
@blp.doc(responses={200: {"description": "Page 1 as PNG", "content": {"image/png": {"schema": {
    "type": "string", "format": "binary"}}}}})
def preview_version(kind, version):
    """Page 1 of the version printed with sample data, as PNG; version 0 is the suite's default."""
    with _uow() as uow:
        png = service.preview(uow, _person(), domain.FORM_KINDS[kind], version)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})
