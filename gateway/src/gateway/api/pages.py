"""The pages people open: the portal (a Vue single-page application), the counter kiosk and the display screen,
all the Vite build of the repository's portal/ folder (never a CDN: campus intranets are often offline).

`make setup` builds portal/dist; a built image copies it into the package (gateway/pages/). Every address that is
not an API's is the portal's: its router answers /pledges/<id>, /feedback/<case id>, … — the links notices
carry — so an e-mail's link opens the item itself.
"""
from __future__ import annotations

import logging
from pathlib import Path

import mimetypes

from flask import Flask, Response, request, send_from_directory

from pacesetter_shared.i18n import _
from pacesetter_shared.web.errors import NotFound, ServiceUnavailable

log = logging.getLogger(__name__)

PACKAGED = Path(__file__).parent.parent / "pages"  # where the Dockerfile puts the build (gateway/pages/)
CHECKOUT = Path(__file__).resolve().parents[4] / "portal" / "dist"  # portal/dist of a source checkout

# Hashed by Vite: a new build has new names, so a year of caching is safe.
IMMUTABLE = 365 * 86400


def locate(roots: tuple[Path, ...] = (PACKAGED, CHECKOUT)) -> Path | None:
    """The folder of the built pages, or None when the portal was never built."""
    return next((root for root in roots if (root / "index.html").is_file()), None)


def install(app: Flask, roots: tuple[Path, ...] = (PACKAGED, CHECKOUT)) -> None:
    def built() -> Path:
        root = locate(roots)
        if root is None:
            log.error("the portal is not built: run `make setup` (npm ci and vite build in portal/)")
            raise ServiceUnavailable(_("The portal is not built on this server: run `make setup`."))
        return root

    def page(name: str) -> Response:
        # The HTML names the current build's files: always asked again, so a new build reaches every browser.
        response = send_from_directory(built(), name, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/assets/<path:name>")
    def portal_asset(name: str):
        assets = built() / "assets"
        # The build writes each asset also gzipped (<name>.gz): sent as it is to a browser that takes gzip.
        if "gzip" in request.headers.get("Accept-Encoding", "") and (assets / f"{name}.gz").is_file():
            response = send_from_directory(assets, f"{name}.gz", max_age=IMMUTABLE,
                                           mimetype=mimetypes.guess_type(name)[0] or "application/octet-stream")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = send_from_directory(assets, name, max_age=IMMUTABLE)
        response.headers["Vary"] = "Accept-Encoding"
        return response

    @app.get("/kiosk")
    def kiosk_page():
        return page("kiosk.html")

    @app.get("/kiosk-sw.js")
    def kiosk_service_worker():
        # Served from the root so that its scope covers /kiosk.
        return send_from_directory(built(), "kiosk-sw.js", mimetype="text/javascript", max_age=0)

    @app.get("/display")
    def display_page():
        return page("display.html")

    @app.get("/")
    @app.get("/<path:route>")
    def portal(route: str = ""):
        # device/: where the hand-made kiosk kept its files; a kiosk still asking for them gets a 404, not the portal
        if route == "api" or route.startswith(("api/", "assets/", "device/")):
            raise NotFound(_("No such address: /{route}.", route=route))
        return page("index.html")
