"""notification-service's consumer alone, draining evaluation.completed events waiting in its queue: events/s,
CPU ms and database round trips per event, for each batch size (issue 10's pipeline, without the rest of the
suite competing for the two cores).

    .venv/bin/python bench/pipeline_consumer.py [--events 2000] [--batches 1,10,20]

Batch 1 with the pool's pre-ping is the consumer as it was before batching. Needs the local PostgreSQL and
RabbitMQ; uses its own database and exchange, removed at the end.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notification_service.app import migrate  # noqa: E402
from notification_service.config import NotificationConfig  # noqa: E402
from notification_service.consumers import build_handlers  # noqa: E402
from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.db import make_engine, make_session_factory  # noqa: E402
from pacesetter_shared.events import load_data, new_envelope, prepare_data  # noqa: E402
from pacesetter_shared.messaging import EventConsumer, EventPublisher  # noqa: E402
from pacesetter_shared.messaging.publisher import broker_connection, topology_for  # noqa: E402
from pacesetter_shared.uow import UnitOfWorkFactory  # noqa: E402
from tests.conftest import create_database, drop_database  # noqa: E402

BRANCH, SECRETARY = uuid.uuid4(), uuid.uuid4()
# results of 50 members of one branch, as a branch's round ends: the branch and its secretary are shared
MEMBERS = [uuid.uuid4() for _ in range(50)]


def _seed(uow_factory, handlers) -> None:
    """The branch, a member and the branch secretary in the directory projection, as the events would."""
    events = [("directory.unit_upserted", {"unit_id": BRANCH, "name": "教工第一党支部", "kind": "branch",
                                           "parent_id": None, "revision": 1})]
    people = [(m, f"党员{n}", ["member"]) for n, m in enumerate(MEMBERS)]
    for person_id, name, roles in people + [(SECRETARY, "张支书", ["member", "branch_secretary"])]:
        events.append(("directory.person_upserted", {
            "person_id": person_id, "name": name, "email": f"{person_id.hex[:8]}@example.edu", "unit_id": BRANCH,
            "member_status": "full", "revision": 1, "roles": [{"role": r, "unit_id": BRANCH} for r in roles]}))
    for event_type, data in events:
        envelope = new_envelope(event_type, 1, "bench", "s", prepare_data(event_type, 1, data))
        with uow_factory() as uow:
            handlers[event_type](uow, envelope, load_data(event_type, 1, envelope.data))


def _result(n: int) -> dict:
    return {"round_id": uuid.uuid4(), "target_kind": "branch", "target_id": BRANCH,
            "subject_person_id": MEMBERS[n % len(MEMBERS)],
            "unit_id": BRANCH, "year": date.today().year, "score": 91.5, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 91.5, "raters": 12}]}


def drain(pg: str, amqp: str, events: int, batch: int, pre_ping: bool) -> dict:
    name = f"bench_consumer_{uuid.uuid4().hex[:6]}"
    url = create_database(pg, name)
    exchange = f"bench{uuid.uuid4().hex[:6]}"
    settings = load_settings("notification", {
        "DATABASE_URL": url, "BROKER_URL": amqp, "EVENTS_EXCHANGE": exchange, "LOG_JSON": "false",
        "PACESETTER_VAR_DIR": str(ROOT / "var" / "bench"), "CONSUMER_BATCH": str(batch),
        "CONSUMER_PREFETCH": str(max(20, 2 * batch))})
    engine = make_engine(url, pool_pre_ping=pre_ping)
    try:
        migrate(settings)
        uow_factory = UnitOfWorkFactory(make_session_factory(engine), "notification")
        handlers = build_handlers(NotificationConfig())
        _seed(uow_factory, handlers)
        publisher = EventPublisher(settings)  # declares the topology, so the queue takes what comes
        for n in range(events):
            publisher.publish(new_envelope("evaluation.completed", 1, "evaluation", "s",
                                           prepare_data("evaluation.completed", 1, _result(n))).to_dict())
        publisher.close()
        round_trips = {"statements": 0, "commits": 0, "checkouts": 0}

        def count(key):
            def listener(*_args):
                round_trips[key] += 1
            return listener

        sa.event.listen(engine, "before_cursor_execute", count("statements"))
        sa.event.listen(engine, "commit", count("commits"))
        sa.event.listen(engine.pool, "checkout", count("checkouts"))
        consumer = EventConsumer(settings, "notification", handlers, uow_factory)
        cpu, began = time.process_time(), time.perf_counter()
        thread = threading.Thread(target=consumer.run, daemon=True)
        thread.start()
        while consumer.handled < events:
            time.sleep(0.01)
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        consumer.stop()
        thread.join(10)
        with engine.connect() as conn:
            notices = conn.execute(sa.text("SELECT count(*) FROM notices")).scalar_one()
        assert notices == 2 * events, f"{notices} notices for {events} events"
        # BEGIN is a round trip of its own (psycopg sends it before the first statement), as is each pre-ping.
        trips = round_trips["statements"] + 2 * round_trips["commits"] + (round_trips["checkouts"] if pre_ping else 0)
        return {"batch": batch, "pre_ping": pre_ping, "events": events, "per_s": events / elapsed,
                "cpu_ms_per_event": 1000 * cpu / events, "round_trips_per_event": trips / events,
                "transactions": round_trips["commits"]}
    finally:
        engine.dispose()
        drop_database(pg, name)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--batches", default="1,10,20")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    runs = [drain(args.pg, args.amqp, args.events, 1, True)]
    runs += [drain(args.pg, args.amqp, args.events, int(b), False) for b in args.batches.split(",")]
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {args.events} events each")
    print("| batch | pre-ping | events/s | CPU ms/event (consumer process) | DB round trips/event | transactions |")
    print("|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r['batch']} | {'yes' if r['pre_ping'] else 'no'} | {r['per_s']:.0f} | {r['cpu_ms_per_event']:.2f} | "
              f"{r['round_trips_per_event']:.1f} | {r['transactions']} |")


if __name__ == "__main__":
    main()
