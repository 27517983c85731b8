"""The gateway's application factory: the Flask part (login, directory, docs) behind the proxy front."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from flask import jsonify
from flask_swagger_ui import get_swaggerui_blueprint

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import load_or_create_secret
from pacesetter_shared.web import create_service_app, public

from . import directory, pages, roster_import
from .api import auth_blp, directory_blp
from .auth import AuthenticationFailed, TokenService
from .domain.model import InvalidDirectoryChange
from .openapi import CombinedSpec
from .kiosks import KioskAuthenticator
from .proxy import Gateway
from .ratelimit import RateLimits

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    roster_import.ImportRejected: (422, "import_rejected"),
    InvalidDirectoryChange: (422, "validation_error"),
    directory.NotFound: (404, "not_found"),
    directory.Forbidden: (403, "forbidden"),
    directory.Conflict: (409, "conflict"),
    AuthenticationFailed: (401, "unauthorized"),
}


@dataclass
class GatewayContext:
    tokens: TokenService
    kiosks: KioskAuthenticator
    spec: CombinedSpec


def _service_ready(url: str):
    def check():
        with urllib.request.urlopen(f"{url}/readyz", timeout=3) as response:
            json.load(response)
    return check


def create_app(settings: Settings | None = None) -> Gateway:
    settings = settings or load_settings("gateway")
    svc = create_service_app(settings, __name__, "Pacesetter gateway", domain_errors=DOMAIN_ERRORS)
    app = svc.app
    app.config["IDENTITY_MISSING_MESSAGE"] = _("Log in first: send Authorization: Bearer <access token>.")
    svc.api.register_blueprint(auth_blp)
    svc.api.register_blueprint(directory_blp)
    secret = load_or_create_secret(settings.var_dir, "gateway-secret",
                                   settings.env.read("str", "SECRET_KEY") if settings.env else None)
    tokens = TokenService(svc.engine, secret, settings.identity_private_key)
    kiosk_auth = KioskAuthenticator(svc.engine, settings.identity_private_key)
    spec = CombinedSpec(lambda: svc.api.spec.to_dict(), settings.service_urls)
    app.extensions["gateway"] = GatewayContext(tokens=tokens, kiosks=kiosk_auth, spec=spec)
    for name, url in settings.service_urls.items():
        svc.readiness[name] = _service_ready(url)


    docs = get_swaggerui_blueprint("/api/docs", "/api/openapi.json",
                                   config={"app_name": "Pacesetter API 创先争优长效机制平台"})
    app.register_blueprint(docs)
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith(docs.name + "."):
            public(view)

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
                        anonymous=env.read("str", "RATE_LIMIT_ANONYMOUS", "30/minute"))
    return Gateway(app, tokens, kiosk_auth, limits, settings.service_urls)


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("gateway")
    migrations.upgrade(MIGRATIONS, settings.database_url)
