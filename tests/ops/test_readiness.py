"""Readiness is "can serve requests", answered within a second; liveness depends on no other process.

"The broker stopped" is a broker URL nothing listens on (the shared RabbitMQ is never stopped by these tests): to the
web part that is the same refused connection a stopped RabbitMQ gives. "A database, a service that hangs" is a port
that takes connections and never answers, which no timeout of the driver or of the server is set to notice.
"""
from __future__ import annotations

import socket
import time
from contextlib import closing, contextmanager

from werkzeug.test import Client

from gateway.app import create_app as create_gateway
from pledge_service.app import create_app as create_pledge_app

NOWHERE_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # port 1: nothing listens, the connection is refused


@contextmanager
def silent_port():
    """A port that takes connections (the kernel's backlog) and never says a word; closing it ends them."""
    with closing(socket.socket()) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on: a service that is down."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_a_web_part_stays_ready_without_its_broker_and_says_so_as_a_metric(fresh_database, make_settings):
    client = Client(create_pledge_app(make_settings("pledge", database_url=fresh_database("rdy"),
                                                    broker_url=NOWHERE_BROKER)))
    client.get("/healthz")  # the process's first request sets its long-lived objects aside (gc.freeze)
    response, took = timed_get(client, "/readyz")
    assert response.status_code == 200 and took < 1, (response.status_code, took)
    assert response.json == {"status": "ready", "service": "pledge", "checks": {"database": "ok"}}
    metrics = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})  # the host itself may read them
    assert "pacesetter_broker_up 0.0" in metrics.text


def test_a_database_that_does_not_answer_makes_readyz_say_so_within_a_second_and_healthz_is_untouched(make_settings):
    with silent_port() as port:
        client = Client(create_pledge_app(make_settings(
            "pledge", database_url=f"postgresql://postgres@127.0.0.1:{port}/nothing")))
        health, took_health = timed_get(client, "/healthz")
        assert health.status_code == 200 and took_health < 1
        response, took = timed_get(client, "/readyz")
        assert response.status_code == 503 and took < 1, (response.status_code, took)
        assert response.json["error"]["code"] == "not_ready"
        assert response.json["error"]["message"] == "服务暂不可用，请稍后再试。"
        assert response.json["error"]["details"] == {"database": "unavailable: no answer within 0.8 s"}


def test_the_gateway_asks_every_service_at_once_and_answers_within_a_second(tmp_path, make_settings):
    with silent_port() as hanging, silent_port() as other_hanging:
        refused = closed_port()
        gateway = Client(create_gateway(make_settings(
            "gateway", database_url=f"sqlite:///{tmp_path / 'gateway.sqlite'}", broker_url=NOWHERE_BROKER,
            pledge_url=f"http://127.0.0.1:{hanging}", evaluation_url=f"http://127.0.0.1:{other_hanging}",
            grading_url=f"http://127.0.0.1:{refused}", notification_url=f"http://127.0.0.1:{refused}")))
        gateway.get("/healthz")
        response, took = timed_get(gateway, "/readyz")
        # one after the other, the two silent services alone would take 1.6 s
        assert response.status_code == 503 and took < 1, (response.status_code, took)
        checks = response.json["error"]["details"]
        assert checks["database"] == "ok"
        # the service's own timeout or the gateway's deadline, whichever came first on a busy machine
        assert {checks["pledge"], checks["evaluation"]} <= {"unavailable: timed out",
                                                            "unavailable: no answer within 0.8 s"}, checks
        assert "Connection refused" in checks["grading"] and "Connection refused" in checks["notification"]
        assert gateway.get("/healthz").status_code == 200

