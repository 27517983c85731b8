"""``/api/docs/``: Swagger UI (flask-swagger-ui) over the combined document, under a policy of its own.

Its page starts Swagger UI with an inline script, which the portal's policy rightly refuses. Rather than
weaken that policy, the documents' pages allow exactly this one script by its hash, worked out at start
from the page the package renders — so a new flask-swagger-ui brings its new hash by itself. The page is
rendered with a fixed configuration (the OAuth redirect address would otherwise be built from the request's
Host) so that every request gets the very script that was hashed.
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, request
from flask_swagger_ui import get_swaggerui_blueprint

from pacesetter_shared.web import public

PATH = "/api/docs"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hashes(page: str) -> list[str]:
    """The CSP source of each inline script of ``page`` ('sha256-…')."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(page)]


def install(app: Flask, spec_url: str) -> None:
    docs = get_swaggerui_blueprint(PATH, spec_url, config={
        "app_name": "Pacesetter API 创先争优长效机制平台", "oauth2RedirectUrl": f"{PATH}/oauth2-redirect.html"})
    app.register_blueprint(docs)
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith(docs.name + "."):
            public(view)

    with app.test_request_context(f"{PATH}/"):
        page = app.view_functions[f"{docs.name}.show"]()
    # Swagger UI inserts <style> elements as it renders (refused, seen in Chromium), and draws icons as data: SVG.
    policy = (f"default-src 'self'; script-src 'self' {' '.join(script_hashes(page))}; "
              "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

    @app.after_request
    def _docs_policy(response):
        if request.blueprint == docs.name:
            response.headers["Content-Security-Policy"] = policy
        return response
