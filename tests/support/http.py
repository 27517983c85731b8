"""A small JSON client for talking to the gateway as a browser or kiosk would."""
from __future__ import annotations

import json
import urllib.error
import urllib.request


class Response:
    def __init__(self, status: int, body: bytes, headers):
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


class Api:
    """``language``: sent as Accept-Language on every call. None sends none, as a browser with no preference:
    the suite then answers in Chinese, like the portal's pages; a test that reads English messages says "en"."""

    def __init__(self, base: str, token: str | None = None, language: str | None = None):
        self.base = base.rstrip("/")
        self.token = token
        self.language = language

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Response:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Accept": "application/json",
                       **({"Accept-Language": self.language} if self.language else {}), **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Response(response.status, response.read(), response.headers)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read(), exc.headers)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, {} if body is None else body, **kw)

    def login(self, username: str, password: str) -> "Api":
        response = self.post("/api/auth/login", {"username": username, "password": password})
        assert response.status == 200, response.json
        return Api(self.base, response.json["access_token"], self.language)
