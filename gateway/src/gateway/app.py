"""The gateway's application factory: the Flask part (login, directory, docs) behind the proxy front."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from flask import jsonify, send_from_directory

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.identity import load_or_create_secret
from pacesetter_shared.web import create_service_app, public

from . import directory
from .api import auth_blp, directory_blp
from .auth import AuthenticationFailed, TokenService
from .domain.model import InvalidDirectoryChange
from .openapi import CombinedSpec
from .proxy import Gateway

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    InvalidDirectoryChange: (422, "validation_error"),
    directory.NotFound: (404, "not_found"),
    directory.Forbidden: (403, "forbidden"),
    directory.Conflict: (409, "conflict"),
    AuthenticationFailed: (401, "unauthorized"),
}


@dataclass
class GatewayContext:
    tokens: TokenService
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
    app.config["IDENTITY_MISSING_MESSAGE"] = "Log in first: send Authorization: Bearer <access token>."
    svc.api.register_blueprint(auth_blp)
    svc.api.register_blueprint(directory_blp)
    secret = load_or_create_secret(settings.var_dir, "gateway-secret",
                                   settings.env.read("str", "SECRET_KEY") if settings.env else None)
    tokens = TokenService(svc.engine, secret, settings.identity_private_key)
    spec = CombinedSpec(lambda: svc.api.spec.to_dict(), settings.service_urls)
    app.extensions["gateway"] = GatewayContext(tokens=tokens, spec=spec)
    for name, url in settings.service_urls.items():
        svc.readiness[name] = _service_ready(url)

    portal = Path(__file__).parent / "portal"

    @app.get("/")
    def index():
        return send_from_directory(portal, "index.html")

    @app.get("/portal/<path:name>")
    def portal_file(name):
        return send_from_directory(portal, name)

    @app.get("/api/openapi.json")
    @public
    def combined_openapi():
        return jsonify(spec.get())

    return Gateway(app, tokens, settings.service_urls)


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("gateway")
    migrations.upgrade(MIGRATIONS, settings.database_url)
