"""Tracing: the W3C trace context into an event's envelope and back out in its consumer's span; and off means off.

Spans are read as a collector gets them: exported over OTLP/HTTP to a receiver in this process
(tests/support/otlp.py). The broker is kombu's in-process memory transport, so the event goes through the
real outbox row, relay, publisher and consumer runner.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import uuid
from datetime import date

import pytest
from opentelemetry import trace

from pacesetter_shared import tracing
from pacesetter_shared.db import make_engine, make_session_factory, plumbing_metadata
from pacesetter_shared.events import EnvelopeSchema, new_envelope, prepare_data
from pacesetter_shared.messaging import EventConsumer
from pacesetter_shared.messaging.publisher import EventPublisher
from pacesetter_shared.outbox import OutboxRelay
from pacesetter_shared.uow import UnitOfWorkFactory
from tests.support.otlp import OtlpReceiver
from tests.support.waiting import wait_for

PLEDGE = {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(), "unit_id": uuid.uuid4(),
          "kind": "annual", "title": "带头学习", "year": 2026, "due_date": date(2026, 12, 31)}


@pytest.fixture
def receiver():
    with OtlpReceiver() as running:
        yield running
        tracing.shutdown()  # this process's providers export to this receiver only


def _database(tmp_path, name: str, service: str):
    engine = make_engine(f"sqlite:///{tmp_path}/{name}.sqlite")
    plumbing_metadata.create_all(engine)
    return engine, UnitOfWorkFactory(make_session_factory(engine), service)


def test_an_envelope_without_trace_context_is_still_read_and_written_as_before():
    before = new_envelope("pledge.submitted", 1, "pledge", "s", prepare_data("pledge.submitted", 1, PLEDGE)).to_dict()
    assert "traceparent" not in before and "tracestate" not in before  # nothing new on the wire when off
    envelope = EnvelopeSchema().load(before)
    assert envelope.traceparent is None and envelope.to_dict() == before
    traced = before | {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                       "tracestate": "vendor=x"}
    assert EnvelopeSchema().load(traced).to_dict() == traced


def test_an_event_recorded_in_a_span_is_handled_in_a_span_of_the_same_trace_under_it(tmp_path, make_settings,
                                                                                     receiver):
    exchange = f"t{uuid.uuid4().hex[:8]}"
    common = {"broker_url": "memory://", "events_exchange": exchange,
              "otel_exporter_otlp_endpoint": receiver.endpoint}
    pledge = make_settings("pledge", database_url=f"sqlite:///{tmp_path}/p.sqlite", **common)
    notification = make_settings("notification", database_url=f"sqlite:///{tmp_path}/n.sqlite", **common)
    engine, producing = _database(tmp_path, "p", "pledge")
    seen = []

    def handler(uow, envelope, data):
        seen.append((envelope, trace.get_current_span().get_span_context()))

    consumer = EventConsumer(notification, "notification", {"pledge.submitted": handler},
                             _database(tmp_path, "n", "notification")[1])
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    assert consumer.ready.wait(10)
    try:
        with tracing.tracer_for(pledge).start_as_current_span("POST /pledges") as request_span:
            with producing() as uow:
                recorded = uow.record("pledge.submitted", PLEDGE["pledge_id"], PLEDGE)
        assert OutboxRelay(engine, EventPublisher(pledge)).publish_pending() == 1
        wait_for(lambda: seen, timeout=10, message="the event handled")
    finally:
        consumer.stop()
        thread.join(10)
    request = request_span.get_span_context()
    assert recorded.traceparent.startswith(f"00-{request.trace_id:032x}-{request.span_id:016x}-")
    [(handled, inside)] = seen
    assert handled.traceparent == recorded.traceparent  # through the outbox row and the broker
    assert inside.trace_id == request.trace_id and inside.span_id != request.span_id

    tracing.force_flush()
    spans = wait_for(lambda: (lambda s: s if len(s) >= 2 else None)(receiver.spans(f"{request.trace_id:032x}")),
                     message="both spans exported")
    by_service = {s.service: s for s in spans}
    assert by_service["notification-service"].parent_span_id == f"{request.span_id:016x}"
    assert by_service["notification-service"].name == "process pledge.submitted"
    assert by_service["notification-service"].kind == "consumer"
    assert by_service["notification-service"].attributes["messaging.message.id"] == str(recorded.id)
    assert by_service["notification-service"].attributes["messaging.rabbitmq.destination.routing_key"] == \
        "pledge.submitted"  # as delivered
    assert by_service["pledge-service"].parent_span_id == ""


# Off, then on, in a fresh interpreter each: an app serves a request that records an event, and a consumer is
# built; with the SDK's own exporter variables pointing at the receiver, only our variable turns tracing on.
PROCESS = textwrap.dedent("""
    import json, sys, uuid
    from datetime import date
    from pacesetter_shared import tracing
    from pacesetter_shared.config import load_settings
    from pacesetter_shared.db import plumbing_metadata
    from pacesetter_shared.messaging import EventConsumer
    from pacesetter_shared.web import create_service_app, public

    settings = load_settings("pledge")
    svc = create_service_app(settings, "traced", "traced")
    plumbing_metadata.create_all(svc.engine)

    @svc.app.post("/record")
    @public
    def record():
        data = {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(),
                "unit_id": uuid.uuid4(), "kind": "annual", "title": "t", "year": 2026, "due_date": date(2026, 12, 31)}
        with svc.uow_factory() as uow:
            return {"traceparent": uow.record("pledge.submitted", data["pledge_id"], data).traceparent}

    answer = svc.app.test_client().post("/record", headers={
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}).get_json()
    EventConsumer(settings, "pledge", {}, svc.uow_factory)
    tracing.force_flush()
    print(json.dumps({"answer": answer, "on": tracing.is_on(),
                      "loaded": sorted(m for m in sys.modules if m.startswith("opentelemetry"))}))
""")


def _run(tmp_path, receiver, **environ) -> dict:
    env = {"PACESETTER_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite",
           "BROKER_URL": "memory://", "LOG_JSON": "false", "PATH": "/usr/bin:/bin",
           "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{receiver.endpoint}/v1/traces",
           "OTEL_BSP_SCHEDULE_DELAY": "50", **environ}
    out = subprocess.run([sys.executable, "-c", PROCESS], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_with_no_endpoint_nothing_is_installed_loaded_or_exported(tmp_path, receiver):
    off = _run(tmp_path, receiver)
    assert off == {"answer": {"traceparent": None}, "on": False, "loaded": []}
    assert receiver.requests == 0 and receiver.spans() == []

    on = _run(tmp_path, receiver, OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint)  # the control: same, traced
    assert on["on"] and on["answer"]["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")
    [span] = wait_for(lambda: receiver.spans(), message="the request's span")
    assert (span.service, span.name, span.kind) == ("pledge-service", "POST /record", "server")
    assert span.parent_span_id == "b7ad6b7169203331" and span.attributes["http.response.status_code"] == 200


def test_a_bad_endpoint_stops_the_service_at_start_naming_the_setting(make_settings):
    from pacesetter_shared.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="OTEL_EXPORTER_OTLP_ENDPOINT"):
        tracing.tracer_for(make_settings("pledge", otel_exporter_otlp_endpoint="jaeger:4318"))
