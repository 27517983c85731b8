"""One JSON error shape everywhere: ``{"error": {"code", "message", "details"}}``."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

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
    message = fields.String(required=True)
    details = fields.Raw(required=True, metadata={"description": "Per field, a list of what is wrong"})


class ErrorSchema(Schema):
    """The one error shape, as the OpenAPI documents every error response."""
    error = fields.Nested(_ErrorFields, required=True)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "too_many_requests", 503: "service_unavailable",
}


def register_error_handlers(app: Flask, domain_errors: dict[type[Exception], tuple[int, str]] | None = None) -> None:
    """Map ApiError, HTTP errors, and the service's domain exceptions to the one error shape."""
    from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return jsonify(error_body(exc.code, exc.message, exc.details)), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        details = {}
        data = getattr(exc, "data", None) or {}
        if "messages" in data:  # webargs / flask-smorest validation: list the fields
            messages = data["messages"]
            # smorest nests by location ({"json": {...}}); one location is the common case
            details = messages[next(iter(messages))] if len(messages) == 1 else messages
            message = "The request is not valid; see details for each field."
        else:
            message = exc.description or exc.name
        status = exc.code or 500
        response = jsonify(error_body(_HTTP_CODES.get(status, "http_error"), message, details))
        response.status_code = status
        for header in ("Retry-After", "Allow"):
            if exc.get_response().headers.get(header):
                response.headers[header] = exc.get_response().headers[header]
        return response

    for exc_type, (status, code) in (domain_errors or {}).items():
        def _domain_error(exc, status=status, code=code):
            details = getattr(exc, "details", {}) or {}
            return jsonify(error_body(code, str(exc), details)), status
        app.register_error_handler(exc_type, _domain_error)

    @app.errorhandler(IntegrityError)
    def _race_lost(exc: IntegrityError):
        # Checks run before every write; a constraint that still fires means a concurrent request
        # made the same change first (two people opening the same round, say): a conflict, not a crash.
        log.warning("integrity conflict: %s", exc.orig)
        return jsonify(error_body("conflict", "Someone changed this at the same moment; reload and try again.")), 409

    @app.errorhandler(DataError)
    def _unstorable(exc: DataError):
        # SQL's data exceptions are the caller's values (an offset past bigint, NUL in text), not a crash.
        log.warning("value refused by the database: %s", str(exc.orig).splitlines()[0])
        return jsonify(error_body("validation_error", "A value cannot be stored or used as given: out of range, "
                                  "or a character (NUL) that text cannot hold.")), 422

    @app.errorhandler(DBAPIError)
    def _database_error(exc: DBAPIError):
        if exc.connection_invalidated or exc.__class__.__name__ in ("OperationalError", "InterfaceError"):
            log.warning("database unavailable: %s", exc.orig)
            response = jsonify(error_body("service_unavailable", "The service's database is unavailable; try again shortly."))
            response.headers["Retry-After"] = "5"
            return response, 503
        log.exception("database error")
        return jsonify(error_body("internal_error", "An internal error occurred.")), 500

    @app.errorhandler(RecursionError)
    def _too_deep(_exc: RecursionError):
        # JSON nested thousands deep exhausts the parser's (or a schema's) recursion: the caller's fault.
        return jsonify(error_body("bad_request", "The JSON body is nested too deeply.")), 400

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify(error_body("internal_error", "An internal error occurred.")), 500
