"""The application factory every service builds on."""
from __future__ import annotations

import gc
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from flask import Flask, g, jsonify, request
from flask_smorest import Api
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_flask_exporter import PrometheusMetrics

from .. import context, tracing
from ..clock import describe
from ..config import Settings
from ..db import make_engine, make_session_factory
from ..i18n import _
from ..identity import IdentityVerifier
from ..messaging.publisher import broker_connection
from ..uow import UnitOfWorkFactory
from .errors import ApiError, ErrorSchema, error_response, register_error_handlers
from .headers import HSTS_SECONDS, SecurityHeaders
from .logs import configure_logging
from .security import install_identity_check, install_metrics_guard, metrics_networks
from .strict import install as install_strict_input

ReadinessCheck = Callable[[], None]  # raises when not ready


@dataclass
class ServiceApp:
    """What a service's ``create_app`` hands its views: the app, its API, its database."""

    app: Flask
    api: Api
    settings: Settings
    engine: sa.Engine
    uow_factory: UnitOfWorkFactory
    readiness: dict[str, ReadinessCheck] = field(default_factory=dict)
    metrics_registry: CollectorRegistry | None = None  # where a service adds its own collectors


def create_service_app(settings: Settings, import_name: str, title: str, *, version: str = "1.0",
                       domain_errors: dict | None = None, engine: sa.Engine | None = None) -> ServiceApp:
    configure_logging(settings.service, settings.log_level, settings.log_json)
    app = Flask(import_name)
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    engine = engine or make_engine(settings.database_url)
    api = _Api(app, spec_kwargs={"components": {"securitySchemes": {
        "gatewayIdentity": {"type": "apiKey", "in": "header", "name": "X-Pacesetter-Identity"}}}})
    service = ServiceApp(app=app, api=api, settings=settings, engine=engine,
                         uow_factory=UnitOfWorkFactory(make_session_factory(engine), settings.service))
    app.extensions["pacesetter"] = service

    register_error_handlers(app, domain_errors)
    _install_request_ids(app)
    install_identity_check(app, IdentityVerifier(settings.identity_public_key))
    _install_media_type_check(app)  # after the identity: who may not call at all learns no more than 401
    install_strict_input(app)  # after the identity too; before any blueprint, for its int converter
    _install_health(app, service)
    service.metrics_registry = _install_metrics(app, settings.service)
    service.metrics_registry.register(BrokerProbe(settings))
    install_metrics_guard(app, metrics_networks(settings.env.read("str", "METRICS_NETWORKS", "127.0.0.0/8,::1/128")),
                          settings.env.read("str", "METRICS_TOKEN"))
    _install_gc_freeze(app)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, settings.env.read("int", "HSTS_SECONDS", HSTS_SECONDS))
    tracing.install_web(app, settings)  # outermost: a request's span takes its whole time (off: nothing)
    return service


class _Api(Api):
    ERROR_SCHEMA = ErrorSchema  # documents the error shape the handlers really send


def accepts(*media_types: str):
    """Mark a view that takes a body other than JSON (an upload, a CSV) with the media types it reads."""
    def mark(view):
        view._pacesetter_media = frozenset(media_types)
        return view
    return mark


def _install_media_type_check(app: Flask) -> None:
    # A body the view would not read as JSON is refused, not silently taken for an empty one.
    @app.before_request
    def _media_type():
        if request.method not in ("POST", "PUT", "PATCH") or not (
                request.content_length or request.headers.get("Transfer-Encoding")):
            return
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        allowed = getattr(view, "_pacesetter_media", None) or {"application/json"}
        if request.mimetype not in allowed:
            raise ApiError(_("Send the body in one of these media types: {media_types}.", media_types=", ".join(sorted(allowed))),
                           {"content_type": [request.mimetype or _("missing")]}, code="unsupported_media_type", status=415)


_frozen = threading.Event()


def _install_gc_freeze(app: Flask) -> None:
    # A full collection walks every object the process holds, and most of them (modules, schemas, the
    # OpenAPI spec, SQLAlchemy's tables and caches) live as long as the process: walking them stopped
    # every thread of evaluation-web for 30–90 ms now and then (the kiosk's p99 at half load). Once the
    # app is whole — at its first request — they are set aside for good (gc.freeze), once per process.
    @app.before_request
    def _freeze_what_lives_forever():
        if not _frozen.is_set():
            _frozen.set()
            gc.collect()
            gc.freeze()


def _install_request_ids(app: Flask) -> None:
    @app.before_request
    def _ids():
        rid = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        cid = request.headers.get("X-Correlation-ID") or rid
        g._ids = (context.request_id.set(rid), context.correlation_id.set(cid))
        g.request_id, g.correlation_id = rid, cid

    @app.after_request
    def _headers(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
            response.headers["X-Correlation-ID"] = g.correlation_id
        return response

    @app.teardown_request
    def _reset(_exc):
        ids = g.pop("_ids", None)
        if ids:
            context.request_id.reset(ids[0])
            context.correlation_id.reset(ids[1])


# A load balancer's probe waits about a second: each check gets less, and all of them run at once.
READINESS_TIMEOUT = 0.8


def _install_health(app: Flask, service: ServiceApp) -> None:
    def database():
        with service.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    # Readiness is "can serve requests": a write goes to the outbox, not to the broker, so a broker outage
    # takes no web part out of a load balancer; its state is the pacesetter_broker_up metric instead.
    service.readiness["database"] = database
    checking = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readyz")

    @app.get("/healthz")
    def healthz():
        # liveness: this process answers, whatever the state of any other
        offset = service.settings.clock_offset
        if offset is None:
            return jsonify(status="ok", service=service.settings.service)
        # training mode: the portal shows a banner with the shifted date, and no one takes it for the real one
        return jsonify(status="ok", service=service.settings.service,
                       training={"clock_offset": describe(offset), "offset_seconds": int(offset.total_seconds()),
                                 "now": datetime.now(timezone.utc).isoformat()})

    @app.get("/readyz")
    def readyz():
        running = {name: checking.submit(check) for name, check in service.readiness.items()}
        wait(running.values(), timeout=READINESS_TIMEOUT)
        checks = {}
        for name, future in running.items():
            if not future.done():
                future.cancel()  # still queued behind checks that hang: not worth running late
                checks[name] = f"unavailable: no answer within {READINESS_TIMEOUT} s"
            elif future.exception() is not None:
                exc = future.exception()
                checks[name] = f"unavailable: {(str(exc) or exc.__class__.__name__)[:200]}"
            else:
                checks[name] = "ok"
        if all(state == "ok" for state in checks.values()):
            return jsonify(status="ready", service=service.settings.service, checks=checks)
        return error_response(503, "not_ready", _("The service is unavailable; try again shortly."), checks)


class BrokerProbe:
    """Prometheus: ``pacesetter_broker_up``, whether the broker took a connection (checked at most every 10 s, at
    scrape time). 0 means events wait in the outboxes: alert on it; the services keep serving."""

    def __init__(self, settings: Settings, every: float = 10.0, timeout: float = 1.0):
        self.settings, self.every, self.timeout = settings, every, timeout
        self._checked, self._up = float("-inf"), 0.0
        self._lock = threading.Lock()

    def up(self) -> float:
        with self._lock:  # one scrape checks; a concurrent one takes its answer
            if time.monotonic() - self._checked > self.every:
                try:
                    with broker_connection(self.settings) as conn:
                        conn.connect_timeout = self.timeout  # one short try: a metric, not a publisher's patience
                        conn.ensure_connection(max_retries=0)
                    self._up = 1.0
                except Exception:
                    self._up = 0.0
                self._checked = time.monotonic()
            return self._up

    def collect(self):
        yield GaugeMetricFamily("pacesetter_broker_up", "1: the broker took a connection at the last check; "
                                "0: events wait in the outboxes", value=self.up())


def _install_metrics(app: Flask, service_name: str) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics
        metrics = GunicornInternalPrometheusMetrics(app, defaults_prefix="pacesetter",
                                                    default_labels={"service": service_name})
    else:
        # Own registry per app: tests and the embedded mode build several apps in one process.
        metrics = PrometheusMetrics(app, registry=CollectorRegistry(), defaults_prefix="pacesetter",
                                    default_labels={"service": service_name})
    return metrics.registry
