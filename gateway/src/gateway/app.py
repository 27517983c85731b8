"""The gateway's application factory: the Flask part (login, directory, docs) behind the proxy front."""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from time import perf_counter

from flask import jsonify

from pacesetter_shared import context, migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import load_or_create_secret
from pacesetter_shared.web import create_service_app, public
from pacesetter_shared.web.app import READINESS_TIMEOUT
from pacesetter_shared.web.errors import error_response
from pacesetter_shared.web.headers import HSTS_SECONDS
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY

from .adapters.openapi import CombinedSpec
from .adapters.proxy import Gateway
from .adapters.ratelimit import RateLimits
from .adapters.rendering import ConversionFailed
from .api import BLUEPRINTS, docs, pages
from .api.forms import FormsContext
from .config import end_of_day, login_rules, password_policy
from .domain.forms import FormRefused, NotPrintable, TemplateRefused
from .domain.model import AccountChangeRefused, InvalidDirectoryChange
from .domain.passwords import PasswordPolicy
from .service import directory, roster_import
from .service.identity import AuthenticationFailed, LoginThrottled, PasswordRefused, TokenService
from .service.kiosks import KioskAuthenticator

MIGRATIONS = Path(__file__).parent / "migrations"
request_log = logging.getLogger("gateway.requests")

DOMAIN_ERRORS = {
    roster_import.ImportRejected: (422, "import_rejected"),
    InvalidDirectoryChange: (422, "validation_error"),
    directory.NotFound: (404, "not_found"),
    directory.Forbidden: (403, "forbidden"),
    directory.Conflict: (409, "conflict"),
    AccountChangeRefused: (409, "conflict"),
    AuthenticationFailed: (401, "unauthorized"),
    PasswordRefused: (422, "validation_error"),
    TemplateRefused: (422, "validation_error"),
    NotPrintable: (409, "conflict"),
    FormRefused: (422, "validation_error"),
    ConversionFailed: (503, "service_unavailable"),
}


@dataclass
class GatewayContext:
    tokens: TokenService
    kiosks: KioskAuthenticator
    spec: CombinedSpec
    passwords: PasswordPolicy
    end_of_day: time = DEFAULT_END_OF_DAY  # when a working day ends, for deadlines shown (DEADLINE_END_OF_DAY)
    limits: RateLimits | None = None  # the proxy's, also for limits on failures the views count (pairing codes)


def _service_ready(url: str):
    # the gateway's /readyz runs these at once, each within READINESS_TIMEOUT
    def check():
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=READINESS_TIMEOUT) as response:
                json.load(response)
        except urllib.error.HTTPError as not_ready:  # its own checks say why
            with not_ready:
                reasons = json.load(not_ready).get("error", {}).get("details")
            raise RuntimeError(f"{not_ready.code} {json.dumps(reasons, ensure_ascii=False)}") from None
    return check


class LoggedGateway(Gateway):
    """The gateway with its request log: one line per request, whichever HTTP server runs it (granian writes none).
    The path without its query, which may carry a rating link's token."""

    def __call__(self, environ, start_response):
        started = perf_counter()
        status = "-"

        def start(line, headers, exc_info=None):
            nonlocal status
            status = line.split(" ", 1)[0]
            return start_response(line, headers, exc_info)

        try:
            return super().__call__(environ, start)
        finally:
            # the request's own ids on the line, as on every other line it caused
            rid = environ.get("HTTP_X_REQUEST_ID", "")
            ids = context.request_id.set(rid), context.correlation_id.set(environ.get("HTTP_X_CORRELATION_ID") or rid)
            ms = round((perf_counter() - started) * 1000, 1)
            request_log.info("%s %s %s %s ms", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status, ms,
                             extra={"method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
                                    "status": status, "duration_ms": ms, "client": environ.get("REMOTE_ADDR")})
            context.request_id.reset(ids[0])
            context.correlation_id.reset(ids[1])


def create_app(settings: Settings | None = None) -> LoggedGateway:
    settings = settings or load_settings("gateway")
    svc = create_service_app(settings, __name__, "Pacesetter gateway", domain_errors=DOMAIN_ERRORS)
    app = svc.app
    app.config["IDENTITY_MISSING_MESSAGE"] = _("Log in first: send Authorization: Bearer <access token>.")
    app.extensions["forms"] = FormsContext(settings.service_urls)
    for blueprint in BLUEPRINTS:
        svc.api.register_blueprint(blueprint)
    secret = load_or_create_secret(settings.var_dir, "gateway-secret",
                                   settings.env.read("str", "SECRET_KEY") if settings.env else None)
    passwords = password_policy(settings.env)
    tokens = TokenService(svc.engine, secret, settings.identity_private_key, login_rules=login_rules(settings.env),
                          passwords=passwords)
    kiosk_auth = KioskAuthenticator(svc.engine, settings.identity_private_key)
    spec = CombinedSpec(lambda: svc.api.spec.to_dict(), settings.service_urls)
    app.extensions["gateway"] = GatewayContext(tokens=tokens, kiosks=kiosk_auth, spec=spec, passwords=passwords,
                                               end_of_day=end_of_day(settings.env))

    @app.errorhandler(LoginThrottled)
    def _throttled(exc: LoginThrottled):
        response = error_response(429, "too_many_requests", exc.args[0])
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    for name, url in settings.service_urls.items():
        svc.readiness[name] = _service_ready(url)

    docs.install(app, "/api/openapi.json")

    @app.get("/api/openapi.json")
    @public
    def combined_openapi():
        return jsonify(spec.get())

    # Last: every address no other route answers is the portal's.
    pages.install(app)

    env = settings.env
    limits = RateLimits(env.read("str", "RATE_LIMIT_STORAGE", "memory://"),
                        person=env.read("str", "RATE_LIMIT_PERSON", "600/minute"),
                        kiosk=env.read("str", "RATE_LIMIT_KIOSK", "120/minute"),
                        anonymous=env.read("str", "RATE_LIMIT_ANONYMOUS", "30/minute"),
                        display=env.read("str", "RATE_LIMIT_DISPLAY", "60/minute"),
                        pairing=env.read("str", "RATE_LIMIT_PAIRING_CODES", "10/10minutes"))
    app.extensions["gateway"].limits = limits
    return LoggedGateway(app, tokens, kiosk_auth, limits, settings.service_urls,
                         trusted_proxies=env.read("int", "TRUSTED_PROXIES", 0),
                         hsts_seconds=env.read("int", "HSTS_SECONDS", HSTS_SECONDS))


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("gateway")
    migrations.upgrade(MIGRATIONS, settings.database_url)
