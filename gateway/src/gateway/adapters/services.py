"""HTTP to the services as the person who asked: reading their data for a form, and ops' calls (service/ops.py).

The identity the gateway signed for this request goes along unchanged, so each service applies its own
permission and anonymity rules: a form never shows what its reader could not see through the API.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import IDENTITY_HEADER
from pacesetter_shared.web.errors import ApiError

# Which service answers which /api/<area>: the proxy's own table.
from .proxy import ROUTES


class ServiceReader:
    """GETs under /api/... from the owning service, with the caller's signed identity and language."""

    def __init__(self, service_urls: dict[str, str], signed_identity: str, language: str = "",
                 request_id: str = "", timeout: float = 15.0):
        self.service_urls = service_urls
        self.headers = {IDENTITY_HEADER: signed_identity, "Accept": "application/json",
                        "Accept-Language": language or "zh-CN", "X-Request-ID": request_id or "forms"}
        self.timeout = timeout

    def get(self, path: str, **query) -> dict:
        return json.loads(self.get_bytes(path, **query))

    def get_bytes(self, path: str, **query) -> bytes:
        """The answer's body as it is (an XLSX export, say)."""
        service = ROUTES[path.split("/")[2]]
        url = f"{self.service_urls[service]}{path}"
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
        request = urllib.request.Request(url, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            # The service's own refusal (404 for what the caller may not see, 403, ...) reaches the caller as it is.
            try:
                error = json.load(exc)["error"]
            except (ValueError, KeyError, TypeError):
                error = {"code": "bad_gateway", "message": str(exc), "details": {}}
            raise ApiError(error["message"], error.get("details") or {}, code=error["code"],
                           status=exc.code if exc.code < 500 else 502) from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise ApiError(_("{service} is unavailable; other parts keep working.",
                             service=term("service", service)), code="service_unavailable", status=503) from None


def call_service(method: str, url: str, headers: dict[str, str], timeout: float) -> tuple[int, dict]:
    """One call to a service: its status and JSON body, its own refusals (403, 404) included as they are."""
    call = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:  # the service's own answer (403, 404): passed on as it is
        return exc.code, json.load(exc)
