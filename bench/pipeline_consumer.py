"""A consumer alone (notification-service's or grading-service's), draining events waiting in its queue:
events/s, CPU ms (its own and its PostgreSQL backends') and database round trips per event, for each batch size
(issue 10's pipeline, without the rest of the suite competing for the two cores).

    .venv/bin/python bench/pipeline_consumer.py [--service notification|grading] [--events 2000] [--batches 1,10,20]
        [--event completed|negative] [--profile out.txt]

``--event negative`` drains notification's share of a kiosk batch instead: bad ratings' follow-up cases
(feedback.negative) at one window, each a notice to its responsible person and a count towards the
window's alert.

Batch 1 with the pool's pre-ping is the consumer as it was before batching. ``--profile`` samples the consumer
with py-spy (raw folded stacks) while it drains. Needs the local PostgreSQL and RabbitMQ; uses its own database
and exchange, removed at the end.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import grading_service.app  # noqa: E402
import grading_service.consumers  # noqa: E402
import notification_service.app  # noqa: E402
import notification_service.consumers  # noqa: E402
from notification_service.config import NotificationConfig  # noqa: E402
from pacesetter_shared import db  # noqa: E402
from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.db import make_engine, make_session_factory  # noqa: E402
from pacesetter_shared.events import load_data, new_envelope, prepare_data  # noqa: E402
from pacesetter_shared.messaging import EventConsumer, EventPublisher  # noqa: E402
from pacesetter_shared.messaging.publisher import broker_connection, topology_for  # noqa: E402
from pacesetter_shared.uow import UnitOfWorkFactory  # noqa: E402
from tests.conftest import create_database, drop_database  # noqa: E402

BRANCH, SECRETARY, WINDOW = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
# results of 50 members of one branch, as a branch's round ends: the branch and its secretary are shared
MEMBERS = [uuid.uuid4() for _ in range(50)]


def _seed(uow_factory, handlers, service: str) -> None:
    """The branch, its members and the branch secretary in the directory projection, as the events would
    (only notification reads them: grading's input of a result names its branch only)."""
    if service != "notification":
        return
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


def _negative(n: int) -> dict:
    """A 不满意 rating's case at the one window, as evaluation-service announces a rating sent on its own (v3, one
    case; a kiosk batch's several bad ratings would be one event)."""
    return {"window_id": WINDOW, "unit_id": BRANCH, "responsible_id": MEMBERS[0], "source": "rating",
            "cases": [{"case_id": uuid.uuid4(), "level": 2, "reasons": ["服务态度"],
                       "deadline": datetime.now(timezone.utc) + timedelta(days=3)}]}


def _notification_arrived(conn, events: int) -> None:
    notices = conn.execute(sa.text("SELECT count(*) FROM notices")).scalar_one()
    assert notices == 2 * events, f"{notices} notices for {events} events"


def _cases_arrived(conn, events: int) -> None:
    cases = conn.execute(sa.text("SELECT count(*) FROM notices WHERE event_type = 'feedback.negative'")).scalar_one()
    counted = conn.execute(sa.text("SELECT count(*) FROM bad_ratings")).scalar_one()
    assert cases == counted == events, f"{cases} case notices and {counted} counted for {events} events"


def _grading_arrived(conn, events: int) -> None:
    inputs = conn.execute(sa.text("SELECT count(*) FROM grading_inputs")).scalar_one()
    assert inputs == events, f"{inputs} grading inputs for {events} events"


def _backends_cpu(url: str, database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving ``database`` (the server is local: its /proc), so
    that the server's share of an event is counted too; {} when its processes cannot be read. Asked on a
    connection of its own, outside the consumer's pool and its counted round trips."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        pids = conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                            {"d": database}).scalars().all()
    engine.dispose()
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


# service → (migrate, handlers, the batch's read-ahead its worker gives the consumer, the check that every event
# had its effect)
SERVICES = {
    "notification": (notification_service.app.migrate,
                     lambda: notification_service.consumers.build_handlers(NotificationConfig()),
                     notification_service.consumers.READ_AHEAD, _notification_arrived),
    "grading": (grading_service.app.migrate, lambda: grading_service.consumers.HANDLERS,
                None, _grading_arrived),
}


# what each --event sends (type, version, data), and the check that every one had its effect (notification's, for
# negative)
EVENTS = {"completed": ("evaluation.completed", 1, _result), "negative": ("feedback.negative", 3, _negative)}


def drain(pg: str, amqp: str, service: str, events: int, batch: int, pre_ping: bool,
          profile: str | None = None, read_ahead: bool = True, event: str = "completed") -> dict:
    migrate, make_handlers, batch_read_ahead, check = SERVICES[service]
    event_type, version, make_data = EVENTS[event]
    if event == "negative":
        check = _cases_arrived
    name = f"bench_consumer_{uuid.uuid4().hex[:6]}"
    url = create_database(pg, name)
    exchange = f"bench{uuid.uuid4().hex[:6]}"
    settings = load_settings(service, {
        "DATABASE_URL": url, "BROKER_URL": amqp, "EVENTS_EXCHANGE": exchange, "LOG_JSON": "false",
        "PACESETTER_VAR_DIR": str(ROOT / "var" / "bench"), "CONSUMER_BATCH": str(batch),
        "CONSUMER_PREFETCH": str(max(20, 2 * batch))})
    # the baseline pinged at every checkout, as SQLAlchemy's pool_pre_ping does (the web pool now pings
    # only a connection idle for a second)
    ping_window, db.PING_AFTER_IDLE_SECONDS = db.PING_AFTER_IDLE_SECONDS, 0.0 if pre_ping else db.PING_AFTER_IDLE_SECONDS
    engine = make_engine(url, pool_pre_ping=pre_ping)
    try:
        migrate(settings)
        uow_factory = UnitOfWorkFactory(make_session_factory(engine), service)
        handlers = make_handlers()
        _seed(uow_factory, notification_service.consumers.build_handlers(NotificationConfig()), service)
        publisher = EventPublisher(settings)  # declares the topology, so the queue takes what comes
        for n in range(events):
            publisher.publish(new_envelope(event_type, version, "evaluation", "s",
                                           prepare_data(event_type, version, make_data(n))).to_dict())
        publisher.close()
        round_trips = {"statements": 0, "commits": 0, "checkouts": 0}

        def count(key):
            def listener(*_args):
                round_trips[key] += 1
            return listener

        sa.event.listen(engine, "before_cursor_execute", count("statements"))
        sa.event.listen(engine, "commit", count("commits"))
        sa.event.listen(engine.pool, "checkout", count("checkouts"))
        consumer = EventConsumer(settings, service, handlers, uow_factory,
                                 read_ahead=batch_read_ahead if read_ahead else None)
        spy = (subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                                 "--nonblocking", "-o", profile, "--pid", str(os.getpid())],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if profile else None)
        server_before = _backends_cpu(url, name)
        cpu, began = time.process_time(), time.perf_counter()
        thread = threading.Thread(target=consumer.run, daemon=True)
        thread.start()
        while consumer.handled < events:
            time.sleep(0.01)
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        server = _backends_cpu(url, name)
        server_cpu = sum(seconds - server_before.get(pid, 0.0) for pid, seconds in server.items()) if server else None
        consumer.stop()
        thread.join(10)
        if spy is not None:
            spy.send_signal(2)  # py-spy writes its profile on SIGINT
            spy.wait(30)
        with engine.connect() as conn:
            check(conn, events)
        # BEGIN is a round trip of its own (psycopg sends it before the first statement), as is each pre-ping.
        trips = round_trips["statements"] + 2 * round_trips["commits"] + (round_trips["checkouts"] if pre_ping else 0)
        return {"service": service, "event": event_type, "batch": batch, "pre_ping": pre_ping,
                "read_ahead": read_ahead and batch_read_ahead is not None, "events": events, "per_s": events / elapsed,
                "cpu_ms_per_event": 1000 * cpu / events, "round_trips_per_event": trips / events,
                "server_cpu_ms_per_event": None if server_cpu is None else 1000 * server_cpu / events,
                "transactions": round_trips["commits"]}
    finally:
        db.PING_AFTER_IDLE_SECONDS = ping_window
        engine.dispose()
        drop_database(pg, name)
        with broker_connection(settings) as conn:
            topology_for(settings).delete(conn, settings.max_retries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", choices=sorted(SERVICES), default="notification")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--batches", default="1,10,20")
    parser.add_argument("--event", choices=sorted(EVENTS), default="completed")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672//")
    parser.add_argument("--no-baseline", action="store_true", help="leave out batch 1 with the pre-ping")
    parser.add_argument("--profile", metavar="FILE", help="py-spy the last batch size's run into FILE")
    parser.add_argument("--and-without-read-ahead", action="store_true",
                        help="each batch size also without the service's batch read-ahead (as before it)")
    args = parser.parse_args()
    sizes = [int(b) for b in args.batches.split(",")]
    if args.event == "negative" and args.service != "notification":
        parser.error("--event negative is notification's share of a kiosk batch")
    runs = [] if args.no_baseline else [drain(args.pg, args.amqp, args.service, args.events, 1, True,
                                              event=args.event)]
    for n, b in enumerate(sizes):
        if args.and_without_read_ahead:
            runs.append(drain(args.pg, args.amqp, args.service, args.events, b, False, read_ahead=False,
                              event=args.event))
        runs.append(drain(args.pg, args.amqp, args.service, args.events, b, False,
                          args.profile if n == len(sizes) - 1 else None, event=args.event))
    print(f"{args.service}'s consumer of {EVENTS[args.event][0]}; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f}; {args.events} events each")
    print("| batch | pre-ping | read-ahead | events/s | CPU ms/event (consumer process) | PostgreSQL CPU ms/event | "
          "DB round trips/event | transactions |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r['batch']} | {'yes' if r['pre_ping'] else 'no'} | {'yes' if r['read_ahead'] else 'no'} | "
              f"{r['per_s']:.0f} | {r['cpu_ms_per_event']:.2f} | "
              f"{'—' if r['server_cpu_ms_per_event'] is None else format(r['server_cpu_ms_per_event'], '.2f')} | "
              f"{r['round_trips_per_event']:.1f} | {r['transactions']} |")


if __name__ == "__main__":
    main()
