"""Issue 25 part 3's proof: one kiosk rating followed as one trace — the gateway, evaluation-service, the
feedback.negative event across RabbitMQ and notification-service's notice to the window's responsible person.

Every service is its own process, so each exports its spans over OTLP/HTTP, as to Jaeger or Tempo, to a
receiver in this test's process (tests/support/otlp.py): the real exporter path, not an in-memory stand-in.
"""
from __future__ import annotations

import secrets
import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.e2e.test_embedded_mode import Embedded, _create
from tests.support.http import Api
from tests.support.otlp import OtlpReceiver
from tests.support.suite import running_suite
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def traced(pg_server, amqp_url, tmp_path_factory):
    with OtlpReceiver() as receiver, running_suite(pg_server, amqp_url, "trace", tmp_path_factory, extra_env={
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100"}) as suite:  # the SDK's batch delay (5 s): spans out at once here
        yield suite, receiver


def test_one_kiosk_rating_is_one_trace_from_the_gateway_to_the_secretarys_notice(traced):
    suite, receiver = traced
    org = wait_for(lambda: Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD), message="login")
    name = f"追踪窗口{uuid.uuid4().hex[:6]}"
    window = org.post("/api/directory/windows", {"name": name, "unit_id": str(_id("br-teachers")),
                                                 "responsible_id": str(_id("zhishu"))}).json
    credential = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": f"{name}评价器"}
                          ).json["credential"]
    kiosk = Api(suite.gateway)

    def rate():
        # the kiosk starts the trace, as a browser's OpenTelemetry would: each try a trace of its own
        trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
        answer = kiosk.post("/api/ratings", {"window_id": window["id"], "client_id": uuid.uuid4().hex, "level": 1,
                                             "reasons": []},
                            headers={"Authorization": f"Kiosk {credential}",
                                     "traceparent": f"00-{trace_id}-{span_id}-01"})
        return (trace_id, span_id, answer.json) if answer.status == 201 else None

    trace_id, kiosk_span, rating = wait_for(rate, timeout=30, message="evaluation-service to know the window")
    assert rating["status"] == "accepted" and rating["case_id"]

    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    wait_for(lambda: [n for n in secretary.get("/api/notifications?limit=200").json["items"]
                      if n["event_type"] == "feedback.negative" and n["link"] == f"/feedback/{rating['case_id']}"],
             timeout=60, message="the notice in the responsible person's inbox")

    def whole_trace():
        spans = receiver.spans(trace_id)
        return spans if any(s.service == "notification-service" and s.kind == "consumer" for s in spans) else None

    spans = wait_for(whole_trace, timeout=30, message="notification-service's span in the kiosk rating's trace")
    for span in spans:
        print(f"{span.service:22} {span.kind:8} {span.name:32} {span.span_id} ← {span.parent_span_id or '-'}")
    by_id = {s.span_id: s for s in spans}

    [gateway] = [s for s in spans if s.service == "gateway"]  # the hop: one span, its context sent on
    assert gateway.parent_span_id == kiosk_span and gateway.name == "POST /api/ratings"
    assert gateway.kind == "server" and gateway.attributes["pacesetter.upstream"] == "evaluation"
    assert gateway.attributes["http.response.status_code"] == 201
    [evaluation] = [s for s in spans if s.service == "evaluation-service" and s.kind == "server"]
    assert evaluation.parent_span_id == gateway.span_id and evaluation.name == "POST /api/ratings"
    assert evaluation.attributes["http.route"] == "/api/ratings"

    # the event: recorded in evaluation's request span, handled by notification-service in a span under it
    [notice] = [s for s in spans if s.service == "notification-service" and s.name == "process feedback.negative"]
    assert notice.kind == "consumer" and notice.parent_span_id == evaluation.span_id
    assert notice.attributes["pacesetter.event.subject"] == window["id"]
    assert notice.attributes["messaging.destination.name"].endswith(".notification")
    assert not any(s.error for s in spans)
    # one trace: every span's parent is in it, but the kiosk's own
    assert all(s.parent_span_id in by_id for s in spans if s is not gateway)

    # the gateway's own pages (its Flask part, behind the same front): one span a request, named by the route
    logins = wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(
        [s for s in receiver.spans() if s.service == "gateway" and s.name == "POST /api/auth/login"]),
        message="both logins' spans (zuzhibu's, zhishu's)")
    assert all(s.kind == "server" and s.parent_span_id == "" for s in logins)
    assert {s.attributes["http.route"] for s in logins} == {"/api/auth/login"}


def test_the_embedded_mode_traces_each_service_under_its_own_name_in_one_process(tmp_path):
    """``make run`` with the variable set: one process, yet each service's spans carry its own name, and an event
    crosses kombu's SQLAlchemy transport with its trace context as it crosses RabbitMQ."""
    with OtlpReceiver() as receiver:
        suite = Embedded(tmp_path / "var", tmp_path / "embedded.log")
        suite.env |= {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
        suite.start()
        try:
            member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
            pledge = wait_for(lambda: _create(member), timeout=30, message="pledge-service to learn the directory")

            def submitted_trace():
                for span in receiver.spans():
                    if span.name == "process pledge.submitted" and span.attributes.get(
                            "pacesetter.event.subject") == pledge["id"]:
                        return receiver.spans(span.trace_id)
                return None

            spans = wait_for(submitted_trace, timeout=30, message="the submitted pledge's notice, traced")
        finally:
            suite.stop()
    by_id = {s.span_id: s for s in spans}
    [notice] = [s for s in spans if s.name == "process pledge.submitted" and s.service == "notification-service"]
    recorded_in = by_id[notice.parent_span_id]
    assert (recorded_in.service, recorded_in.kind, recorded_in.name) == ("pledge-service", "server", "POST /api/pledges")
    assert by_id[recorded_in.parent_span_id].service == "gateway"
