"""The security headers of every answer — pages, API answers, errors — from one place.

Every service's Flask app and the gateway's front wrap themselves in :class:`SecurityHeaders`. It is a WSGI
wrapper and not flask-talisman because the gateway's proxied answers never pass through Flask (proxy.py is a
plain WSGI callable): talisman's after-request hook would leave them bare, and a second implementation of the
same policy there would drift from the first. A header the answer already carries is left as it is, so a page
with a policy of its own (the API documents, see gateway/docs.py) keeps it, and wrapping twice changes nothing.
"""
from __future__ import annotations

from typing import Callable, Iterable

# The portal, the kiosk and the display page are Vite's and public/'s files: scripts only from this origin, no
# inline script, no eval. Stylesheets likewise, but style attributes are allowed (style-src-attr): Vue and Element
# Plus style through the CSSOM, which no policy governs, yet ECharts writes its axis tooltips as HTML with style="…"
# (the grading dashboards; refused, they lose their layout — seen in Chromium). An attribute can neither run code
# nor read the page with selectors as an injected <style> could, and a <style> element stays refused.
# img-src data: holds Element Plus's CSS masks (inline SVG icons) and the empty favicon.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# An API answer is data, never a document: if a browser opens one, nothing in it may load or run.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_COMMON = (
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    # The masses' rating links (the QR code at a window) carry their token in the query: no page's address
    # leaves with a click or a request, not even to this origin's logs.
    ("Referrer-Policy", "no-referrer"),
    # No page uses a camera, microphone or the like (the QR code is drawn, never scanned).
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), "
                           "accelerometer=(), gyroscope=(), magnetometer=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
HSTS_SECONDS = 365 * 86400


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class SecurityHeaders:
    """Adds the security headers to every answer of ``app`` that does not carry them already.

    Strict-Transport-Security only on an answer to a request that came over HTTPS (``wsgi.url_scheme``; behind
    a TLS proxy the gateway believes its X-Forwarded-Proto, see TRUSTED_PROXIES): a browser that was told so over
    plain HTTP would lock the campus out of a server that has no certificate. No includeSubDomains: other sites
    of the campus domain may well be plain HTTP.
    """

    def __init__(self, app: WSGIApp, hsts_seconds: int = 0):
        self.app = app
        hsts = (("Strict-Transport-Security", f"max-age={hsts_seconds}"),) if hsts_seconds > 0 else ()
        self._headers = {(api, https): _COMMON + (("Content-Security-Policy", API_POLICY if api else PAGE_POLICY),)
                         + (hsts if https else ())
                         for api in (False, True) for https in (False, True)}

    def __call__(self, environ, start_response):
        extra = self._headers[is_api(environ.get("PATH_INFO", "")), environ.get("wsgi.url_scheme") == "https"]

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            return start_response(status, [*headers, *((n, v) for n, v in extra if n.lower() not in present)],
                                  exc_info)

        return self.app(environ, start)
