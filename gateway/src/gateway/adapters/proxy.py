"""The gateway's front: authenticate, then either proxy to a service or hand to the Flask part.

This path carries every request of the portal and the kiosks, so it is a plain WSGI callable
with keep-alive ``http.client`` connections (one per thread per service) and no framework:
Flask's request handling and ``requests``/urllib3 would each cost more than the hop itself.
"""
from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
import uuid
from urllib.parse import quote, urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix

from pacesetter_shared import tracing
from pacesetter_shared.i18n import _, term, translate
from pacesetter_shared.identity import ANONYMOUS, IDENTITY_HEADER, sign_identity
from pacesetter_shared.web.errors import error_body
from pacesetter_shared.web.headers import SecurityHeaders
from pacesetter_shared.web.language import negotiate

from ..service.identity import AuthenticationFailed, TokenService
from ..service.kiosks import KioskAuthenticator
from .ratelimit import RateLimits

log = logging.getLogger(__name__)

# /api/<area>/... → the service that owns the area.
ROUTES = {
    "pledges": "pledge",
    "evaluations": "evaluation",
    "ratings": "evaluation",
    "feedback": "evaluation",
    "grading": "grading",
    "notifications": "notification",
}

_FORWARD_HEADERS = ("CONTENT_TYPE", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_IDEMPOTENCY_KEY")
_RETURN_HEADERS = {"content-type", "content-disposition", "retry-after", "location", "cache-control",
                   "x-request-id", "x-correlation-id", "etag", "last-modified", "content-language", "vary"}
_IDENTITY_ENVIRON = "HTTP_" + IDENTITY_HEADER.upper().replace("-", "_")
LOGIN_PATH = "/api/auth/login"
# No more than a service itself takes (MAX_CONTENT_LENGTH): a larger body sent on would be cut off
# mid-send by the service and reach the client as a 502 instead of a 413.
MAX_BODY = 4 * 1024 * 1024
_STATUS_TEXT = {401: "Unauthorized", 413: "Payload Too Large", 429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Unavailable",
                504: "Gateway Timeout"}


def _json_error(environ, start_response, status: int, code: str, message: str, extra_headers=()):
    """The one error shape, in the caller's language (Accept-Language, as the services answer)."""
    language = negotiate(environ.get("HTTP_ACCEPT_LANGUAGE"))
    body = json.dumps(error_body(code, translate(message, language)), ensure_ascii=False).encode()
    start_response(f"{status} {_STATUS_TEXT.get(status, '')}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                    ("Content-Language", language), ("Vary", "Accept-Language"), *extra_headers])
    return [body]


class ServiceConnections:
    """Keep-alive connections to one service, one per thread (or greenlet under gevent)."""

    def __init__(self, base_url: str, timeout: float):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        self.https = parts.scheme == "https"
        self.timeout = timeout
        self._local = threading.local()

    def get(self, fresh: bool = False) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def take(self) -> http.client.HTTPConnection:
        """This thread's connection, no longer kept: the next request opens another."""
        conn, self._local.conn = self._local.conn, None
        return conn

    def drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class Gateway:
    def __init__(self, flask_app, tokens: TokenService, kiosks: KioskAuthenticator, limits: RateLimits,
                 service_urls: dict[str, str], timeout: float = 15.0, trusted_proxies: int = 0,
                 hsts_seconds: int = 0):
        self.flask_app = flask_app
        self.tokens = tokens
        self.kiosks = kiosks
        self.limits = limits
        self.services = {name: ServiceConnections(url, timeout) for name, url in service_urls.items()}
        self._anonymous = (float("-inf"), "")
        # The proxied answers get the same security headers as the Flask part's. Behind a TLS proxy, the client's
        # address (rate limits, /metrics) and scheme (HSTS) are what the proxy says — only when one is trusted.
        front = SecurityHeaders(self.route, hsts_seconds)
        self._front = ProxyFix(front, x_for=trusted_proxies, x_proto=trusted_proxies) if trusted_proxies else front
        # Tracing: each request's span, its context sent on to the service (off: None). No client span of its own
        # for the hop: it doubled tracing's cost here, and the service's span under this one shows the wait.
        self._tracer = tracing.tracer_for(flask_app.extensions["pacesetter"].settings)
        if self._tracer is not None:
            self._front = tracing.TracedWSGI(self._front, self._tracer)

    def _anonymous_token(self) -> str:
        now = time.monotonic()
        if now - self._anonymous[0] > 60:  # signed for 300 s, renewed every minute
            self._anonymous = (now, sign_identity(ANONYMOUS, self.tokens.identity_private_key))
        return self._anonymous[1]

    def _authenticate(self, environ) -> tuple[str, str]:
        """Sign the caller's identity into the environ; return (rate-limit kind, key)."""
        # Whoever logs in is not logged in yet, whatever token they send along: the attempt counts against their
        # address (and, in auth.py, the account tried), never against a token holder's larger allowance.
        authorization = "" if environ.get("PATH_INFO") == LOGIN_PATH else environ.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme == "Bearer" and credential:
            identity, signed, session_id = self.tokens.identity_for(credential)
            environ["pacesetter.session_id"] = session_id
        elif scheme == "Kiosk" and credential:
            identity, signed = self.kiosks.identity_for(credential)
        elif authorization:
            raise AuthenticationFailed(_("Unknown authorization scheme: use Bearer (people) or Kiosk (devices)."))
        else:
            # Not logged in: still through the gateway, so the services may accept the suggestion box
            # and online ratings — and nothing that needs a person. Nothing about the caller is passed.
            environ[_IDENTITY_ENVIRON] = self._anonymous_token()
            return "anonymous", environ.get("REMOTE_ADDR", "")
        environ[_IDENTITY_ENVIRON] = signed
        return identity.kind, identity.subject

    def __call__(self, environ, start_response):
        return self._front(environ, start_response)

    def route(self, environ, start_response):
        # A client never gets to speak for itself to a service: only our signature counts.
        environ.pop(_IDENTITY_ENVIRON, None)
        path = environ.get("PATH_INFO", "")
        if not environ.get("HTTP_X_REQUEST_ID"):
            environ["HTTP_X_REQUEST_ID"] = uuid.uuid4().hex
        if path.startswith("/api/"):
            try:
                kind, key = self._authenticate(environ)
            except AuthenticationFailed as exc:
                message = exc.args[0] if exc.args else str(exc)  # a Message: translated, not str()-ed
                # the scheme the caller tried: a kiosk is told as a kiosk (and a revoked one by its own code)
                scheme = "Kiosk" if environ.get("HTTP_AUTHORIZATION", "").startswith("Kiosk ") else "Bearer"
                return _json_error(environ, start_response, 401, getattr(exc, "code", "unauthorized"), message,
                                   [("WWW-Authenticate", f'{scheme} error="invalid_token"')])
            wait = self.limits.retry_after(kind, key)
            if wait is not None:
                return _json_error(environ, start_response, 429, "too_many_requests",
                                   _("Too many requests; try again in {seconds} s.", seconds=wait),
                                   [("Retry-After", str(wait))])
            service = ROUTES.get(path[5:].split("/", 1)[0])
            if service is not None:
                return self.proxy(service, environ, start_response)
        return self.flask_app(environ, start_response)

    def proxy(self, service: str, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return _json_error(environ, start_response, 413, "payload_too_large", _("The request body is too large."))
        body = environ["wsgi.input"].read(length) if length else None
        headers = {"Host": "pacesetter", "X-Request-ID": environ["HTTP_X_REQUEST_ID"],
                   "X-Correlation-ID": environ.get("HTTP_X_CORRELATION_ID") or environ["HTTP_X_REQUEST_ID"],
                   "X-Forwarded-For": environ.get("REMOTE_ADDR", "")}
        for key in _FORWARD_HEADERS:
            if environ.get(key):
                name = key[5:] if key.startswith("HTTP_") else key
                headers[name.replace("_", "-").title()] = environ[key]
        if environ.get(_IDENTITY_ENVIRON):
            headers[IDENTITY_HEADER] = environ[_IDENTITY_ENVIRON]
        # PATH_INFO is the decoded path as latin-1 text: send it on percent-encoded, never as raw bytes
        # (a non-ASCII path made http.client raise, and the client got an empty 500).
        target = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=~")
        if environ.get("QUERY_STRING"):
            # still raw, so its escapes stay; only bytes a request line may not carry are escaped
            target += "?" + quote(environ["QUERY_STRING"].encode("latin-1"), safe="=&%+/:;,@!$'()*?~")
        if self._tracer is not None:
            area = environ["PATH_INFO"][5:].split("/", 1)[0]  # named by the area, not each id: few names to search
            tracing.name_span(environ, f"{environ['REQUEST_METHOD']} /api/{area}", **{"pacesetter.upstream": service})
            tracing.inject(headers)
        pool = self.services[service]
        for attempt in (0, 1):
            conn = pool.get(fresh=attempt == 1)
            try:
                conn.request(environ["REQUEST_METHOD"], target, body=body, headers=headers)
                response = conn.getresponse()
                # An answer without a length is one the service streams (an export): streamed on below.
                data = response.read() if response.length is not None else None
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A kept-alive connection the service closed meanwhile: one fresh try.
                pool.drop()
                if attempt == 1:
                    log.warning("%s dropped the connection: %s", service, exc)
                    return _json_error(environ, start_response, 502, "bad_gateway",
                                       _("{service} closed the connection.", service=term("service", service)))
            except (socket.timeout, TimeoutError):
                pool.drop()
                return _json_error(environ, start_response, 504, "gateway_timeout",
                                   _("{service} did not answer in time.", service=term("service", service)))
            except OSError as exc:
                pool.drop()
                log.warning("%s unreachable: %s", service, exc)
                return _json_error(environ, start_response, 503, "service_unavailable",
                                   _("{service} is unavailable; other parts keep working.",
                                     service=term("service", service)), [("Retry-After", "5")])
        out = [(k, v) for k, v in response.getheaders() if k.lower() in _RETURN_HEADERS]
        if data is None:
            start_response(f"{response.status} {response.reason}", out)
            return _streamed(service, pool.take(), response)
        out.append(("Content-Length", str(len(data))))
        start_response(f"{response.status} {response.reason}", out)
        return [data]


STREAMED_CHUNK = 64 * 1024


def _streamed(service: str, conn: http.client.HTTPConnection, response: http.client.HTTPResponse):
    """A streamed answer handed on as it comes (issue 24): read whole first, a million pledges' ledger sat in the
    gateway's memory and reached the caller only at its end. The timeout is per read, so an export that keeps
    sending is never cut off, and one that stops is: the caller's download then breaks off, as it must (its
    start is sent). The connection is this answer's alone until the end, then closed, never kept for another."""
    try:
        while chunk := response.read1(STREAMED_CHUNK):
            yield chunk
    except (OSError, http.client.HTTPException) as exc:  # a timeout, or the service cut its answer short
        log.warning("%s stopped sending a streamed answer: %r", service, exc)
        raise
    finally:
        conn.close()
