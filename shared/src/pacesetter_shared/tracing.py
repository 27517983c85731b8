"""Tracing (OpenTelemetry): one trace from the gateway through each service and across RabbitMQ.

On only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (a service prefix wins, as for every setting): then each
service gets its own SDK TracerProvider, named ``OTEL_SERVICE_NAME`` (by default ``gateway``,
``evaluation-service``…), exporting its finished spans in batches over OTLP/HTTP to ``<endpoint>/v1/traces``.
The SDK's own variables (``OTEL_TRACES_SAMPLER``, ``OTEL_EXPORTER_OTLP_HEADERS``, ``OTEL_BSP_*``) apply.
Off, nothing of OpenTelemetry is even imported and each hook below costs one check: the kiosk's hot path
pays nothing for tracing it does not use.

The context travels as W3C trace context: the ``traceparent``/``tracestate`` headers on each HTTP hop (the
gateway's proxy sends them, ``TracedWSGI`` takes them), and the same two fields in each event's envelope
(``outbox_row`` records the current span's; ``EventConsumer`` handles the event in a span under them).

A provider per service rather than the process-wide global one: the embedded mode runs every service in one
process, and each span must still name its own service.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from .config import ConfigurationError, Settings

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

SPAN_ENVIRON_KEY = "pacesetter.span"  # the request's server span, for views and the gateway's proxy to name it

_lock = threading.Lock()
_providers: dict[tuple[str, str, str], object] = {}  # (service, endpoint, name) → its TracerProvider
_w3c = None  # the W3C propagator, set when the first provider starts: until then tracing is off


def tracer_for(settings: Settings) -> Tracer | None:
    """The service's tracer (its provider started at the first call), or None when no endpoint is set."""
    endpoint = settings.env.read("str", "OTEL_EXPORTER_OTLP_ENDPOINT") if settings.env else None
    if not endpoint:
        return None
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise ConfigurationError(f"OTEL_EXPORTER_OTLP_ENDPOINT={endpoint!r}: expected http://… or https://… "
                                 "(OTLP over HTTP, e.g. http://jaeger:4318)")
    name = settings.env.read("str", "OTEL_SERVICE_NAME", service_name(settings.service))
    key = (settings.service, endpoint, name)
    with _lock:
        provider = _providers.get(key)
        if provider is None:
            provider = _providers[key] = _start(name, endpoint)
    return provider.get_tracer("pacesetter")


def service_name(service: str) -> str:
    return service if service == "gateway" else f"{service}-service"


def _start(name: str, endpoint: str):
    global _w3c
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")))
    _w3c = TraceContextTextMapPropagator()
    return provider


def is_on() -> bool:
    """Whether any service of this process traces."""
    return _w3c is not None


def force_flush(timeout_millis: int = 5000) -> None:
    """Export every finished span now (tests; the SDK flushes by itself at exit)."""
    for provider in list(_providers.values()):
        provider.force_flush(timeout_millis)


def shutdown() -> None:
    """Flush and stop every provider of this process; tracing is off again (tests, between collectors)."""
    global _w3c
    with _lock:
        providers = list(_providers.values())
        _providers.clear()
        _w3c = None
    for provider in providers:
        provider.shutdown()


# -- the context across a hop ----------------------------------------------------------------------
def current_context() -> dict[str, str]:
    """The current span's ``traceparent`` (and ``tracestate``, if any); empty when off or outside a span."""
    if _w3c is None:
        return {}
    carrier: dict[str, str] = {}
    _w3c.inject(carrier)
    return carrier


def _parent(carrier: dict):
    """The context a carrier's ``traceparent``/``tracestate`` name, or None: a new trace."""
    if not carrier.get("traceparent"):
        return None
    return _w3c.extract(carrier)


@contextmanager
def consuming(tracer: Tracer, envelope, destination: str, routing_key: str) -> Iterator[Span]:
    """A consumer span for one event, under the trace context its envelope carries (a new trace if none);
    ``routing_key`` is the key it was delivered with."""
    from opentelemetry.trace import SpanKind

    carrier = {"traceparent": envelope.traceparent, "tracestate": envelope.tracestate}
    with tracer.start_as_current_span(
            f"process {envelope.type}", context=_parent(carrier), kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "process",
                        "messaging.destination.name": destination, "messaging.message.id": str(envelope.id),
                        "messaging.rabbitmq.destination.routing_key": routing_key,
                        "pacesetter.event.producer": envelope.producer,
                        "pacesetter.event.subject": envelope.subject}) as span:
        yield span


def inject(headers: dict) -> None:
    """The current span's context into an outgoing request's ``headers`` (``traceparent``, ``tracestate``)."""
    if _w3c is not None:
        _w3c.inject(headers)


def record_status(span: Span, status: int) -> None:
    from opentelemetry.trace import StatusCode

    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(StatusCode.ERROR)


# -- incoming HTTP -----------------------------------------------------------------------------------
class TracedWSGI:
    """A server span around each request, under the caller's ``traceparent`` when it sent one.

    The span ends when the application returns: a body streamed afterwards is not in its time.
    """

    def __init__(self, app, tracer: Tracer):
        from opentelemetry import context, trace
        from opentelemetry.trace import SpanKind

        self.app, self.tracer = app, tracer
        self._context, self._trace, self._server = context, trace, SpanKind.SERVER

    def __call__(self, environ, start_response):
        if SPAN_ENVIRON_KEY in environ:  # an outer part of this process (the gateway's front) holds its span
            return self.app(environ, start_response)
        parent = _parent({"traceparent": environ.get("HTTP_TRACEPARENT"),
                          "tracestate": environ.get("HTTP_TRACESTATE")})
        method = environ.get("REQUEST_METHOD", "")
        span = self.tracer.start_span(method, context=parent, kind=self._server, attributes={
            "http.request.method": method, "url.path": environ.get("PATH_INFO", "")})
        environ[SPAN_ENVIRON_KEY] = span

        def start(status: str, headers, exc_info=None):
            record_status(span, int(status[:3]))
            return start_response(status, headers, exc_info)

        token = self._context.attach(self._trace.set_span_in_context(span, parent))
        try:
            return self.app(environ, start)
        except BaseException as exc:
            span.record_exception(exc)
            record_status(span, 500)
            raise
        finally:
            self._context.detach(token)
            span.end()


def name_span(environ, name: str, **attributes) -> None:
    """Name the request's server span after what it does (``POST /api/ratings/batch``), not its raw path."""
    span = environ.get(SPAN_ENVIRON_KEY)
    if span is not None:
        span.update_name(name)
        span.set_attributes(attributes)


def install_web(app, settings: Settings) -> None:
    """Trace a service's Flask app: each request a server span named after its route. Nothing when off."""
    tracer = tracer_for(settings)
    if tracer is None:
        return
    from flask import request

    def name_after_route():
        rule = request.url_rule
        if rule is not None:
            name_span(request.environ, f"{request.method} {rule.rule}", **{"http.route": rule.rule})

    # first of the before-request hooks: a request another one refuses (401, 415) is named too
    app.before_request_funcs.setdefault(None, []).insert(0, name_after_route)
    app.wsgi_app = TracedWSGI(app.wsgi_app, tracer)
