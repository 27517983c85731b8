"""Front-end libraries from the npm registry, served by the gateway (never a CDN: campus intranets are
often offline). `make setup` runs `npm ci` in gateway/; a built image copies the files into the package."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, send_file

from pacesetter_shared.web.errors import NotFound

log = logging.getLogger(__name__)

# Name under /portal/vendor/ → its path inside node_modules (see gateway/package.json).
FILES = {"echarts.min.js": "echarts/dist/echarts.min.js"}

PACKAGED = Path(__file__).parent / "portal" / "vendor"  # where the Dockerfile puts them
CHECKOUT = Path(__file__).resolve().parents[2] / "node_modules"  # gateway/node_modules of a source checkout


def locate(name: str, roots: tuple[Path, Path] = (PACKAGED, CHECKOUT)) -> Path | None:
    """The installed file for a vendor name, or None (unknown name, or `npm ci` never ran)."""
    if name not in FILES:
        return None
    packaged, checkout = roots
    for candidate in (packaged / name, checkout / FILES[name]):
        if candidate.is_file():
            return candidate
    return None


def install(app: Flask, roots: tuple[Path, Path] = (PACKAGED, CHECKOUT)) -> None:
    @app.get("/portal/vendor/<path:name>")
    def vendor_file(name: str):
        found = locate(name, roots)
        if found is None:
            if name in FILES:
                log.error("portal library %s is not installed: run `make setup` (npm ci in gateway/)", name)
                raise NotFound(f"{name} is not installed on this server: run `make setup` (npm ci in gateway/).",
                               {"file": [name]})
            raise NotFound(f"No vendor file {name}.", {"file": [name]})
        # Versioned by package-lock.json; a day of caching spares the 1 MB on every page load.
        return send_file(found, mimetype="text/javascript", max_age=86400)
