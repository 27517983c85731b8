"""What one kiosk rating and one batch of 100 cost inside evaluation-service: CPU ms and round trips.

No gateway, no wrk, no other process: the service's Flask app on a fresh PostgreSQL database,
driven by its test client with a kiosk's signed identity, as bench/run.py's kiosk and batch
scenarios send (every 20th rating 不满意, or every ``--bad-every``-th). CPU is ``time.process_time`` of this
process, so a busy machine changes it less than a throughput; round trips are counted on the connection (pool
ping of a connection idle for a second, BEGIN, each statement, COMMIT). Prints figures, never pass/fail.

    .venv/bin/python bench/kiosk_cpu.py [--requests 200] [--profile batch|single [--sort tottime]]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import create_database, drop_databases  # noqa: E402
from tests.support.statements import DriverStatements  # noqa: E402

from evaluation_service import app as evaluation_app  # noqa: E402
from evaluation_service.consumers import HANDLERS  # noqa: E402
from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.events import load_data, new_envelope, prepare_data  # noqa: E402
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity  # noqa: E402

BATCH = 100


class RoundTrips(DriverStatements):
    """Statements at the driver (the pool's ping and raw cursors included), and each BEGIN and COMMIT."""

    def __init__(self, engine: sa.Engine):
        super().__init__()
        self.engine, self.transactions = engine, 0

    def __enter__(self):
        for name in ("begin", "commit"):
            sa.event.listen(self.engine, name, self._one)
        return super().__enter__()

    def __exit__(self, *exc):
        for name in ("begin", "commit"):
            sa.event.remove(self.engine, name, self._one)
        super().__exit__(*exc)

    def _one(self, *_args):
        self.transactions += 1

    @property
    def count(self) -> int:
        return len(self.texts) + self.transactions


def measure(pg: str, requests: int, profile: str | None, sort: str = "cumulative", bad_every: int = 20) -> None:
    prefix = f"benchcpu{uuid.uuid4().hex[:6]}"
    var = Path(tempfile.mkdtemp(prefix="pacesetter-kiosk-cpu-"))
    try:
        url = create_database(pg, f"{prefix}_evaluation")
        environ = {"PACESETTER_VAR_DIR": str(var), "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "LOG_JSON": "false"}
        settings = load_settings("evaluation", environ)
        evaluation_app.migrate(settings)
        app = evaluation_app.create_app(settings)
        window = uuid.uuid4()
        _deliver(app, "directory.window_upserted", {
            "window_id": window, "name": "压测窗口", "unit_id": uuid.uuid4(), "responsible_id": uuid.uuid4(),
            "revision": 1, "standards": {"items": ["学籍证明"], "workflow": "受理—办结", "time_limit": "1个工作日"}})
        private = load_settings("gateway", environ).identity_private_key
        device = Identity(subject=str(uuid.uuid4()), kind="kiosk", name="压测评价器", window_id=str(window))
        headers = {IDENTITY_HEADER: sign_identity(device, private, ttl_seconds=3600)}
        client = app.test_client()
        counter = iter(range(10**9))

        def rating() -> dict:
            n = next(counter)
            bad = bad_every and n % bad_every == bad_every - 1
            return {"client_id": f"c-{n}", "window_id": str(window), "level": 2 if bad else 5 - n % 3}

        for name, path, body in (("single", "/api/ratings", rating),
                                 ("batch", "/api/ratings/batch", lambda: {"ratings": [rating() for _ in range(BATCH)]})):
            for _ in range(20):  # warm: caches, prepared statements, the pool
                assert client.post(path, json=body(), headers=headers).status_code in (200, 201)
            bodies = [body() for _ in range(requests)]
            # CPU time, not the time spent waiting on PostgreSQL
            profiler = cProfile.Profile(time.process_time) if profile == name else None
            with RoundTrips(app.extensions["pacesetter"].engine) as trips:
                began, wall = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                for sent in bodies:
                    response = client.post(path, json=sent, headers=headers)
                    assert response.status_code in (200, 201), response.json
                if profiler:
                    profiler.disable()
                cpu, wall = time.process_time() - began, time.perf_counter() - wall
            print(f"{name}: {1000 * cpu / requests:.2f} ms CPU and {trips.count / requests:.1f} round trips per "
                  f"request ({1000 * wall / requests:.2f} ms wall; {requests} requests)", flush=True)
            if profiler:
                pstats.Stats(profiler).sort_stats(sort).print_stats(45)
        with sa.create_engine(settings.database_url.replace("postgresql://", "postgresql+psycopg://")).connect() as c:
            stored = c.execute(sa.text("SELECT count(*) FROM window_ratings")).scalar()
            cases = c.execute(sa.text("SELECT count(*) FROM followup_cases")).scalar()
        print(f"stored {stored} ratings, {cases} follow-up cases")
    finally:
        drop_databases(pg, prefix)


def _deliver(app, event_type: str, data: dict) -> None:
    payload = prepare_data(event_type, 1, data)
    with app.extensions["pacesetter"].uow_factory() as uow:
        HANDLERS[event_type](uow, new_envelope(event_type, 1, "bench", "subject", payload),
                             load_data(event_type, 1, payload))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=("single", "batch"))
    parser.add_argument("--sort", default="cumulative", help="pstats order of --profile: cumulative or tottime")
    parser.add_argument("--bad-every", type=int, default=20, help="every N-th rating 不满意 (0: none)")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    measure(args.pg, args.requests, args.profile, args.sort, args.bad_every)
