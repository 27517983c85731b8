"""One JSON error shape everywhere: ``{"error": {"code", "message", "details"}}``, in the caller's language.

``message`` and every text in ``details`` are translated where the response is written (see
:mod:`pacesetter_shared.i18n`): Chinese (zh-CN) unless Accept-Language prefers English; the answer
says which in Content-Language. ``code`` never changes with the language.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from ..i18n import DEFAULT_LANGUAGE, _, localize, translate
from .language import negotiate

log = logging.getLogger(__name__)


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details=None, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else {}
        if code:
            self.code = code
        if status:
            self.status = status


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class Unprocessable(ApiError):
    status, code = 422, "validation_error"


class ServiceUnavailable(ApiError):
    status, code = 503, "service_unavailable"


class _ErrorFields(Schema):
    code = fields.String(required=True, metadata={"description": "e.g. validation_error, not_found"})
    message = fields.String(required=True, metadata={
        "description": "In the caller's language: zh-CN unless Accept-Language prefers en (see Content-Language)"})
    details = fields.Raw(required=True, metadata={"description": "Per field, a list of what is wrong (same language)"})


class ErrorSchema(Schema):
    """The one error shape, as the OpenAPI documents every error response."""
    error = fields.Nested(_ErrorFields, required=True)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


def request_language() -> str:
    """The language of this request's answer, from its Accept-Language (zh-CN unless English is preferred)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    language = g.get("_pacesetter_language")
    if language is None:
        language = g._pacesetter_language = negotiate(request.headers.get("Accept-Language"))
    return language


def localized(value):
    """A message, or dicts and lists of them (a report's reasons), in this request's language."""
    return localize(value, request_language())


def localized_error(code: str, message, details=None) -> dict:
    """The error shape with its message and details in this request's language (also for one item of a batch)."""
    language = request_language()
    return error_body(code, translate(message, language), localize(details if details is not None else {}, language))


def error_response(status: int, code: str, message, details=None) -> Response:
    response = jsonify(localized_error(code, message, details))
    response.status_code = status
    response.headers["Content-Language"] = request_language()
    response.vary.add("Accept-Language")
    return response


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "too_many_requests", 503: "service_unavailable",
}

# What an HTTP error says when nothing more specific was given (werkzeug's own descriptions are replaced).
_HTTP_MESSAGES = {
    400: _("The request could not be understood."),
    401: _("Log in first."),
    403: _("You may not do this."),
    404: _("Nothing is here: check the address."),
    405: _("This address does not take that method."),
    406: _("The answer cannot be given in the media type asked for."),
    409: _("The request conflicts with the current state; reload and try again."),
    413: _("The request body is too large."),
    415: _("The request body's media type is not supported."),
    422: _("The request is not valid; see details for each field."),
    429: _("Too many requests; try again later."),
    500: _("An internal error occurred."),
    503: _("The service is unavailable; try again shortly."),
}


def register_error_handlers(app: Flask, domain_errors: dict[type[Exception], tuple[int, str]] | None = None) -> None:
    """Map ApiError, HTTP errors, and the service's domain exceptions to the one error shape."""
    from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        details = {}
        data = getattr(exc, "data", None) or {}
        if "messages" in data:  # webargs / flask-smorest validation: list the fields
            messages = data["messages"]
            # smorest nests by location ({"json": {...}}); one location is the common case
            details = messages[next(iter(messages))] if len(messages) == 1 else messages
            message = _HTTP_MESSAGES[422]
        elif exc.description and exc.description != type(exc).description:
            message = exc.description  # said on purpose where it was raised: a message of ours
        else:
            message = _HTTP_MESSAGES.get(exc.code or 500, exc.description or exc.name)
        status = exc.code or 500
        response = error_response(status, _HTTP_CODES.get(status, "http_error"), message, details)
        for header in ("Retry-After", "Allow"):
            if exc.get_response().headers.get(header):
                response.headers[header] = exc.get_response().headers[header]
        return response

    for exc_type, (status, code) in (domain_errors or {}).items():
        def _domain_error(exc, status=status, code=code):
            details = getattr(exc, "details", {}) or {}
            # the message as raised (a Message keeps its id and values; str() would keep only the English)
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            return error_response(status, code, message, details)
        app.register_error_handler(exc_type, _domain_error)

    @app.errorhandler(IntegrityError)
    def _race_lost(exc: IntegrityError):
        # Checks run before every write; a constraint that still fires means a concurrent request
        # made the same change first (two people opening the same round, say): a conflict, not a crash.
        log.warning("integrity conflict: %s", exc.orig)
        return error_response(409, "conflict", _("Someone changed this at the same moment; reload and try again."))

    @app.errorhandler(DataError)
    def _unstorable(exc: DataError):
        # SQL's data exceptions are the caller's values (an offset past bigint, NUL in text), not a crash.
        log.warning("value refused by the database: %s", str(exc.orig).splitlines()[0])
        return error_response(422, "validation_error", _("A value cannot be stored or used as given: out of range, "
                                                         "or a character (NUL) that text cannot hold."))

    @app.errorhandler(DBAPIError)
    def _database_error(exc: DBAPIError):
        if exc.connection_invalidated or exc.__class__.__name__ in ("OperationalError", "InterfaceError"):
            log.warning("database unavailable: %s", exc.orig)
            response = error_response(503, "service_unavailable",
                                      _("The service's database is unavailable; try again shortly."))
            response.headers["Retry-After"] = "5"
            return response
        log.exception("database error")
        return error_response(500, "internal_error", _HTTP_MESSAGES[500])

    @app.errorhandler(RecursionError)
    def _too_deep(_exc: RecursionError):
        # JSON nested thousands deep exhausts the parser's (or a schema's) recursion: the caller's fault.
        return error_response(400, "bad_request", _("The JSON body is nested too deeply."))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", _HTTP_MESSAGES[500])
