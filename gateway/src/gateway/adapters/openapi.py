"""``/api/openapi.json``: the gateway's own document merged with every service's, as exposed here."""
from __future__ import annotations

import copy
import json
import threading
import time
import urllib.request

from .proxy import ROUTES

CACHE_SECONDS = 30


def _rename_refs(node, prefix: str):
    if isinstance(node, dict):
        return {k: (v.replace("#/components/schemas/", f"#/components/schemas/{prefix}")
                    if k == "$ref" and isinstance(v, str) else _rename_refs(v, prefix)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename_refs(v, prefix) for v in node]
    return node


def merge(own: dict, services: dict[str, dict | None]) -> dict:
    """Schemas get the service's name as a prefix so that two services' ``PageQuery`` don't collide."""
    doc = copy.deepcopy(own)
    doc["info"] = {"title": "Pacesetter API (创先争优长效机制平台)", "version": own.get("info", {}).get("version", "1")}
    doc.setdefault("paths", {})
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    unavailable = []
    for name, spec in services.items():
        if spec is None:
            unavailable.append(name)
            continue
        prefix = name.capitalize()
        for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[prefix + schema_name] = _rename_refs(schema, prefix)
        for scheme_name, scheme in spec.get("components", {}).get("securitySchemes", {}).items():
            components.setdefault("securitySchemes", {}).setdefault(scheme_name, scheme)
        for path, item in spec.get("paths", {}).items():
            if path.startswith("/api/") and ROUTES.get(path[5:].split("/", 1)[0]) == name:
                doc["paths"][path] = _rename_refs(item, prefix)
    components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    doc["security"] = [{"bearer": []}]
    if unavailable:
        doc["x-unavailable-services"] = unavailable
    return doc


class CombinedSpec:
    def __init__(self, own_spec, service_urls: dict[str, str]):
        self._own_spec = own_spec  # callable returning the gateway's own spec dict
        self.service_urls = service_urls
        self._cached: tuple[float, dict] | None = None
        self._lock = threading.Lock()

    def _fetch(self, url: str) -> dict | None:
        try:
            with urllib.request.urlopen(f"{url}/openapi.json", timeout=3) as response:
                return json.load(response)
        except Exception:
            return None

    def get(self) -> dict:
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < CACHE_SECONDS:
                return self._cached[1]
        services = {name: self._fetch(url) for name, url in self.service_urls.items()}
        doc = merge(self._own_spec(), services)
        if not doc.get("x-unavailable-services"):
            with self._lock:
                self._cached = (time.monotonic(), doc)
        return doc
