"""The outbox relay against its floor: a bare kombu publish with confirms, in the same run.

    .venv/bin/python bench/outbox_relay.py [--events 5000] [--rounds 2]

Needs the local PostgreSQL and RabbitMQ. Uses its own database and exchange, removed at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

from kombu import Connection, Exchange, Producer, Queue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.db import make_engine, make_session_factory, plumbing_metadata  # noqa: E402
from pacesetter_shared.events import new_envelope, prepare_data  # noqa: E402
from pacesetter_shared.messaging import EventPublisher  # noqa: E402
from pacesetter_shared.messaging.publisher import broker_connection, topology_for  # noqa: E402
from pacesetter_shared.outbox import OutboxRelay, pending_count  # noqa: E402
from pacesetter_shared.uow import UnitOfWorkFactory  # noqa: E402
from tests.conftest import create_database, drop_database  # noqa: E402

DATA = {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(), "unit_id": uuid.uuid4(),
        "kind": "annual", "title": "带头服务师生", "year": 2026, "due_date": date(2026, 12, 31)}


def bare_publish(amqp: str, exchange: str, n: int) -> float:
    """Floor: the same envelopes, one confirmed publish each, no database."""
    payload = prepare_data("pledge.submitted", 1, DATA)
    bodies = [json.dumps(new_envelope("pledge.submitted", 1, "bench", "s", payload).to_dict()).encode()
              for _ in range(n)]
    with Connection(amqp, transport_options={"confirm_publish": True}) as conn:
        target = Exchange(exchange, type="topic", durable=True)
        queue = Queue(f"{exchange}.floor", target, routing_key="pledge.#", durable=True)
        queue(conn.default_channel).declare()
        producer = Producer(conn.channel(), exchange=target)
        start = time.perf_counter()
        for body in bodies:
            producer.publish(body, routing_key="pledge.submitted", content_type="application/json",
                             content_encoding="utf-8", delivery_mode=2)
        elapsed = time.perf_counter() - start
        queue(conn.default_channel).purge()
    return n / elapsed


def relay_publish(engine, settings, n: int) -> float:
    factory = UnitOfWorkFactory(make_session_factory(engine), "pledge")
    for start in range(0, n, 500):
        with factory() as uow:
            for _ in range(min(500, n - start)):
                uow.record("pledge.submitted", "s", DATA)
    relay = OutboxRelay(engine, EventPublisher(settings), batch=settings.relay_batch)
    began = time.perf_counter()
    while relay.publish_pending():
        pass
    elapsed = time.perf_counter() - began
    assert pending_count(engine) == 0
    return n / elapsed


def measure(pg: str, amqp: str, events: int, rounds: int) -> tuple[list[tuple[float, float]], int]:
    """(bare ev/s, relay ev/s) per round, and the relay's batch size; own database and exchange, removed."""
    name = f"bench_relay_{uuid.uuid4().hex[:6]}"
    url = create_database(pg, name)
    exchange = f"bench{uuid.uuid4().hex[:6]}"
    settings = load_settings("pledge", {"DATABASE_URL": url, "BROKER_URL": amqp, "EVENTS_EXCHANGE": exchange,
                                        "PACESETTER_VAR_DIR": str(ROOT / "var" / "bench")})
    engine = make_engine(url)
    plumbing_metadata.create_all(engine)
    rows = []
    try:
        EventPublisher(settings)._ensure()  # declare the topology once, outside the timing
        for _ in range(rounds):
            floor = bare_publish(amqp, exchange, events)
            relayed = relay_publish(engine, settings, events)
            rows.append((floor, relayed))
            with broker_connection(settings) as conn:
                for queue in topology_for(settings).all_queues(settings.max_retries):
                    queue(conn.default_channel).purge()
    finally:
        engine.dispose()
        drop_database(pg, name)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)
            # the floor's own queue is no part of the topology: left, it kept every relayed event
            Queue(f"{exchange}.floor", Exchange(exchange, type="topic"))(conn.default_channel).delete()
    return rows, settings.relay_batch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    rows, relay_batch = measure(args.pg, args.amqp, args.events, args.rounds)
    lines = [f"# Outbox relay — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "",
             f"{os.cpu_count()} cores; {args.events} events per run; relay batch {relay_batch}; "
             "publisher confirms on both sides.", "",
             "| run | bare kombu publish+confirm ev/s | outbox relay ev/s | ratio |", "|---|---|---|---|"]
    lines += [f"| {i} | {floor:.0f} | {relayed:.0f} | {relayed / floor:.2f} |" for i, (floor, relayed) in
              enumerate(rows, 1)]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / f"{date.today().isoformat()}-outbox-relay.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)


if __name__ == "__main__":
    main()
