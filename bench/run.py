"""``make bench``: the suite in its deployed shape, loaded scenario by scenario, each figure beside the
floor it is compared to or the same figure at a smaller volume (both measured in the same run), the ratio, and
issue 10's or issue 24's goal met or missed.

    .venv/bin/python bench/run.py [--quick] [--scale campus|system] [--only kiosk,batch,...]

Starts every service under gunicorn (the gateway under granian) and every worker as its own process
against the local PostgreSQL and RabbitMQ, on databases and an exchange of its own; traffic goes to
127.0.0.1 only; every load is bounded. Everything it started is stopped and dropped at the end, also
on Ctrl-C and on error. Writes bench/results/<date>-bench.md (-bench-system.md) and .json, and appends a full
run's table to bench/results/history.md. The data volumes come from bench/volumes.py. Not a test: it never fails
on a missed goal.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import jwt
import psutil
import psycopg
from psycopg.types.json import Jsonb
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor_app  # noqa: E402
import gateway_hop  # noqa: E402
import grading_classification  # noqa: E402
import history  # noqa: E402
import outbox_relay  # noqa: E402
import volumes  # noqa: E402
from harness import (  # noqa: E402
    ROOT, WEB_THREADS, WEB_WORKERS, WRK_THREADS, BenchSuite, MemoryCeiling, RssSampler, create_database,
    drop_databases, http_json, machine, percentile, run_wrk, wait_until,
)
from tests.support.suite import free_port  # noqa: E402

from gateway.service.demo import DEMO_PASSWORD, _id  # noqa: E402
from pacesetter_shared.db import make_engine  # noqa: E402
from pacesetter_shared.events import new_envelope, prepare_data  # noqa: E402
from pacesetter_shared.identity import Identity, sign_identity  # noqa: E402

FULL = {"seconds": 10, "rounds": 2, "hop_rounds": 2, "batch_connections": 4, "pipeline_seconds": 60,
        "pipeline_floor_seconds": 20,
        "relay_events": 5000, "dashboard_requests": 20}
QUICK = {"seconds": 3, "rounds": 1, "hop_rounds": 1, "batch_connections": 4, "pipeline_seconds": 8,
         "pipeline_floor_seconds": 4,
         "relay_events": 1000, "dashboard_requests": 5}
# How long a cold year may take to show, and the RSS past which a process is killed, per scale: the figures keeper's
# whole pass of a year of ten million ratings takes 9-15 minutes and peaks at 9.3 GB
# (bench/results/2026-12-06-guard-at-10m.md); a small year shows at the keeper's next turn, up to DISCLOSURE_REFRESH_SECONDS (30) after it went cold
COLD_READ_LIMIT_S = {"quick": 75, "campus": 180, "system": 1800}
RSS_CEILING_MB = {"quick": 4096, "campus": 4096, "system": 14336}
SCENARIO_TITLES = {"hop": ("gateway hop",), "kiosk": ("single kiosk rating",), "batch": ("kiosk batch of 100",),
                   "relay": ("outbox relay",), "grading": ("grading classification", "grading report XLSX"),
                   "ledger": ("ledger export to CSV", "ledger export to XLSX"),
                   "dashboard": ("portal dashboard, a year of ratings",),
                   "pipeline": ("pipeline evaluation.completed → grading input + inbox",)}
# The pipeline last: a backlog it leaves in the consumers would load the scenarios after it.
SCENARIOS = ("hop", "kiosk", "batch", "relay", "grading", "ledger", "dashboard", "pipeline")
# The scenario reading each service's data volume (bench/volumes.py).
VOLUME_OF = {"dashboard": "evaluation", "ledger": "pledge", "grading": "grading"}
PIPELINE_RATE = 200
# The services consuming evaluation.completed, and the pipeline's loads per scale: (events/s, workers per service)
CONSUMERS = ("grading", "notification", "pledge")
PIPELINE_LOADS = {"quick": [(PIPELINE_RATE, {})], "campus": [(PIPELINE_RATE, {})],
                  "system": [(PIPELINE_RATE, {}), (500, dict.fromkeys(CONSUMERS, 2))]}
BATCH = 100
KIOSK_CONNECTIONS = 32
BAD_EVERY = 20
# The kiosk batch at two shares of bad ratings, each with its goal as a share of the raw batch insert: one in 100
# (the real share: national 好差评 figures put bad ratings well under 1 %), one in 20 (a bad day).
BAD_SHARES = ((100, 0.6), (20, 0.45))

# One rating body for the floor and the suite; client ids made per request (unique key per kiosk).
# Every BAD_EVERY-th is 不满意 (the batch scenario sets its own shares): it opens a follow-up case and writes an
# outbox row, as at a real counter.
RATING_LUA = """
local counter = 0
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
local function rating()
  counter = counter + 1
  local level = 5 - (counter %% 3)
  if %(bad_every)d > 0 and counter %% %(bad_every)d == 0 then level = 2 end
  return string.format('{"client_id":"%(run)s-%%d-%%d","window_id":"%(window)s","level":%%d}', tid, counter, level)
end
function request()
  local n = %(batch)d
  if n == 0 then return wrk.format("POST", nil, nil, rating()) end
  local items = {}
  for i = 1, n do items[i] = rating() end
  return wrk.format("POST", nil, nil, '{"ratings":[' .. table.concat(items, ",") .. ']}')
end
%(delay)s
wrk.headers["Content-Type"] = "application/json"
"""


# Paced: each connection waits ``delay`` ms before each request. Its first wait is drawn within one period,
# so that the connections do not all send at the same instant as they start: that burst is the full rate,
# not the pace asked for, and on its own it could fill the top 1 % of a ten-second run.
PACED_LUA = """
local firsts = %(firsts)d
function delay()
  if firsts > 0 then
    if firsts == %(firsts)d then math.randomseed(tid) end
    firsts = firsts - 1
    return math.random() * %(delay).1f
  end
  return %(delay).1f
end
"""


def rating_script(window: str, batch: int = 0, rate: float | None = None, bad_every: int = BAD_EVERY) -> str:
    """Kiosk ratings as fast as the connections go, or paced to ``rate`` per second over KIOSK_CONNECTIONS;
    every ``bad_every``-th 不满意 (0: none)."""
    # wrk calls delay() before every request, a connection's first included; its threads share the connections
    delay = PACED_LUA % {"firsts": -(-KIOSK_CONNECTIONS // WRK_THREADS),
                         "delay": 1000 * KIOSK_CONNECTIONS / rate} if rate else ""
    return RATING_LUA % {"run": uuid.uuid4().hex[:8], "window": window, "batch": batch, "delay": delay,
                         "bad_every": bad_every}


class Bench:
    def __init__(self, args, sizes: dict):
        self.args, self.sizes = args, sizes
        # the data volumes' sizes (bench/volumes.py): --quick has its own small ones
        self.scale = "quick" if args.quick else args.scale
        self.volume = volumes.SCALES[self.scale]
        self.prefix = f"bench{uuid.uuid4().hex[:6]}"
        self.workdir = Path(tempfile.mkdtemp(prefix="pacesetter-bench-"))
        self.suite = BenchSuite(args.pg, args.amqp, self.prefix, self.workdir)
        self.rows: list[dict] = []
        self.details: dict = {}
        self.floor_process: subprocess.Popen | None = None
        self.floor_db: str | None = None
        self.sampler: RssSampler | None = None
        self.ceiling: MemoryCeiling | None = None
        self.profilers: list[subprocess.Popen] = []
        self.cold_read_limit_s = COLD_READ_LIMIT_S[self.scale]
        self.rss_ceiling_mb = args.rss_ceiling_mb or RSS_CEILING_MB[self.scale]

    # -- setting up ------------------------------------------------------------------
    def start(self) -> None:
        # only the volumes the chosen scenarios read: a year of ratings present keeps evaluation's worker busy
        needed = [service for scenario, service in VOLUME_OF.items() if scenario in self.args.only.split(",")]
        if needed:
            print(f"volumes of the {self.scale} scale", flush=True)
            self.details["volumes"] = volumes.provide(self.args.pg, self.args.amqp, self.scale, self.prefix, needed,
                                                      fresh=self.args.volumes == "fresh")
        started = time.monotonic()
        self.suite.start()
        self.details["startup_s"] = round(time.monotonic() - started, 1)
        self.sampler = RssSampler(self.suite.pids)
        self.ceiling = MemoryCeiling(self.suite.pids, self.rss_ceiling_mb)
        gw = self.suite.gateway
        self.org = {"Authorization": f"Bearer {self.login('zuzhibu')}"}
        self.windows, self.kiosks = [], []
        for n, branch in enumerate(("br-teachers", "br-students", "br-affairs", "br-teachers")):
            status, window = http_json("POST", f"{gw}/api/directory/windows", {
                "name": f"压测窗口{n + 1}", "location": "行政楼", "unit_id": str(_id(branch)),
                "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("dangyuan"))],
                "standards": {"items": ["学籍证明"], "workflow": "受理—办结", "time_limit": "1个工作日"}}, self.org)
            assert status == 201, window
            status, device = http_json("POST", f"{gw}/api/directory/kiosks",
                                       {"window_id": window["id"], "name": f"压测评价器{n + 1}"}, self.org)
            assert status == 201, device
            self.windows.append(window["id"])
            self.kiosks.append(device["credential"])
        kiosk = {"Authorization": f"Kiosk {self.kiosks[0]}"}
        # evaluation-service learns windows from directory events: wait until it takes a rating.
        wait_until(lambda: http_json("POST", f"{gw}/api/ratings", {
            "client_id": f"warm-{uuid.uuid4().hex}", "window_id": self.windows[-1], "level": 5},
            {"Authorization": f"Kiosk {self.kiosks[-1]}"})[0] == 201, 60, "evaluation-service to know the windows")
        wait_until(lambda: http_json("POST", f"{gw}/api/ratings", {
            "client_id": f"warm-{uuid.uuid4().hex}", "window_id": self.windows[0], "level": 5}, kiosk)[0] == 201,
            30, "the first kiosk's rating")
        self.sampler.phase("idle")
        time.sleep(3)  # idle RSS: a few samples with nothing happening
        self.sampler.phase(None)
        for name in self.args.profile or ():
            # py-spy samples every process of the server (master and workers) until the bench stops it.
            out = self.workdir / f"profile-{name}.txt"
            self.profilers.append(subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--subprocesses",
                 "--nonblocking", "-o", str(out), "--pid", str(self.suite.processes[name].pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            print(f"profiling {name} into {out}", flush=True)

    def login(self, username: str) -> str:
        def attempt():
            status, body = http_json("POST", f"{self.suite.gateway}/api/auth/login",
                                     {"username": username, "password": DEMO_PASSWORD})
            return body["access_token"] if status == 200 else None
        return wait_until(attempt, 60, f"{username} to log in")

    def floor_database(self) -> str:
        if self.floor_db is None:
            self.floor_db = create_database(self.args.pg, f"{self.prefix}_floor")
            engine = make_engine(self.floor_db, poolclass=sa.pool.NullPool)
            floor_app.metadata.create_all(engine)
            engine.dispose()
        return self.floor_db

    def start_floor(self) -> str:
        """The floor app under gunicorn with the services' worker settings, on a database of its own.
        Stopped again right after its measurement, so that its pooled connections leave PostgreSQL
        (max_connections is shared with everyone's tests)."""
        port = free_port()
        env = os.environ | {"BENCH_FLOOR_DATABASE_URL": self.floor_database()}
        self.floor_process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "floor_app:create_app()", "--chdir", str(ROOT / "bench"),
             "--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS), "--threads", str(WEB_THREADS),
             "--worker-class", "gthread", "--control-socket", str(self.workdir / "gunicorn-floor.ctl"),
             "--access-logfile", "/dev/null"], env=env, start_new_session=True,
            stdout=open(self.workdir / "floor.log", "ab"), stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _posts(f"{base}/rate", {"client_id": "warm", "window_id": self.windows[0], "level": 5}),
                   30, "the floor app")
        return base

    def stop_floor(self) -> None:
        if self.floor_process:
            try:
                os.killpg(self.floor_process.pid, signal.SIGTERM)
                self.floor_process.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            self.floor_process = None

    def stop(self) -> None:
        for profiler in self.profilers:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            try:
                profiler.wait(30)
            except subprocess.TimeoutExpired:
                profiler.kill()
        if self.sampler:
            self.sampler.close()
        if self.ceiling:
            self.ceiling.close()
            self.details["killed_over_rss_ceiling"] = self.ceiling.kills
        self.stop_floor()
        self.suite.stop()
        drop_databases(self.args.pg, self.prefix)
        if not self.args.profile and not self.args.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def row(self, scenario: str, figure: str, value: float | None, floor: float | None, goal: str, met: bool | None,
            unit: str = "", note: str = "", growth: float | None = None) -> None:
        """One figure; ``floor`` is the floor or, with ``growth`` (how many times the data or the load grew),
        the same figure at the smaller volume: the ratio is then how many times the figure grew."""
        ratio = value / floor if value is not None and floor else None
        self.rows.append({"scenario": scenario, "figure": figure, "value": value, "unit": unit, "floor": floor,
                          "ratio": ratio, "growth": growth, "goal": goal, "met": met, "note": note})
        print(f"  {scenario}: {figure} = {_fmt(value)} {unit}  {'smaller' if growth else 'floor'} {_fmt(floor)}  "
              f"ratio {_fmt(ratio, 2)}{f' for ×{growth:g}' if growth else ''}  "
              f"goal {goal}: {'met' if met else 'MISSED' if met is not None else '—'} {note}", flush=True)

    # -- scenarios -------------------------------------------------------------------
    def hop(self) -> None:
        """gateway_hop.py's comparison: POST /api/pledges straight and through the gateway, alternating."""
        gw, direct = self.suite.gateway, self.suite.url("pledge")
        token = self.login("dangyuan")
        claims = jwt.decode(token, options={"verify_signature": False})
        private = (self.workdir / "var" / "keys" / "identity-ed25519.pem").read_text()
        signed = sign_identity(Identity.from_claims(claims["idn"]), private, ttl_seconds=3600)
        gateway_hop._wait_for_directory(gw, token)
        seconds, connections = self.sizes["seconds"], 32
        runs = []
        for _ in range(self.sizes["hop_rounds"]):
            first = gateway_hop.wrk(f"{direct}/api/pledges", "X-Pacesetter-Identity", signed, seconds, connections)
            gateway_pids = self.suite.pids()["gateway-web"]
            before = sum(_cpu(p) for p in gateway_pids)
            through = gateway_hop.wrk(f"{gw}/api/pledges", "Authorization", f"Bearer {token}", seconds, connections)
            cpu_ms = 1000 * (sum(_cpu(p) for p in gateway_pids) - before) / max(1, through["requests"])
            second = gateway_hop.wrk(f"{direct}/api/pledges", "X-Pacesetter-Identity", signed, seconds, connections)
            runs.append({"direct": (first["rate"] + second["rate"]) / 2, "gateway": through["rate"],
                         "gateway_cpu_ms": cpu_ms, "direct_p99": max(first["p99_ms"], second["p99_ms"]),
                         "gateway_p99": through["p99_ms"],
                         "errors": first["errors"] + second["errors"] + through["errors"]})
        self.details["hop"] = runs
        direct_rate = sum(r["direct"] for r in runs) / len(runs)
        gateway_rate = sum(r["gateway"] for r in runs) / len(runs)
        self.row("gateway hop", "POST /api/pledges via gateway, req/s (32 conn)", gateway_rate, direct_rate,
                 "≥ 0.85 × direct", gateway_rate >= 0.85 * direct_rate, "req/s",
                 f"direct {direct_rate:.0f} req/s; gateway CPU {sum(r['gateway_cpu_ms'] for r in runs) / len(runs):.2f}"
                 f" ms/req; errors {sum(r['errors'] for r in runs)}")
        self.hop_tracing(seconds, connections)

    def hop_tracing(self, seconds: int, connections: int) -> None:
        """Tracing's cost on the hop (gateway_hop.tracing_cost): gateway-web started again with tracing on, its
        spans to a local no-op collector, and off, in turns; left running with tracing off for what follows."""
        def restart_gateway(extra_env: dict) -> None:
            self.suite.stop_process("gateway-web")
            plain, self.suite.env = self.suite.env, self.suite.env | extra_env
            try:
                self.suite.spawn("gateway-web", self.suite.specs["gateway-web"].argv)
            finally:
                self.suite.env = plain

        runs = gateway_hop.tracing_cost(restart_gateway, lambda: sum(_cpu(p) for p in self.suite.pids()["gateway-web"]),
                                        self.suite.gateway, seconds, connections, self.sizes["hop_rounds"])
        traced = gateway_hop.tracing_ratios(runs)
        self.details["hop_tracing"] = runs
        self.row("gateway hop", "gateway CPU ms/req, tracing on (OTLP to a no-op collector)",
                 traced["on"]["gateway_cpu_ms"], traced["off"]["gateway_cpu_ms"], "≤ 1.5 × off",
                 traced["cpu_ratio"] is not None and traced["cpu_ratio"] <= 1.5, "ms",
                 f"req/s on {traced['on']['rate']:.0f}, off {traced['off']['rate']:.0f} "
                 f"(×{traced['rate_ratio']:.2f}); errors {sum(r['errors'] for r in runs)}")

    def with_cpu(self, load, names=("gateway-web", "evaluation-web")) -> tuple[dict, dict]:
        """``load()``'s result and each process group's CPU ms per request it sent: what a busy shared
        machine changes least (throughput moves with everyone's tests). ``names=None``: every process of
        the suite, RabbitMQ, and the whole machine's busy time (wrk and everyone else's work in it)."""
        suite = self.suite.pids()
        # PostgreSQL's share too (every backend of the local server, so others' queries count in it)
        pids = {name: suite[name] for name in names or suite} | {"postgresql": _postgres_pids()}
        if names is None:
            pids["rabbitmq"] = _named_pids("beam.smp")
        before = {name: sum(_cpu(p) for p in group) for name, group in pids.items()}
        busy = _machine_busy()
        result = load()
        per_request = {name: round(1000 * (sum(_cpu(p) for p in group) - before[name]) / max(1, result["requests"]), 2)
                       for name, group in pids.items()}
        if names is None:
            per_request["machine"] = round(1000 * (_machine_busy() - busy) / max(1, result["requests"]), 2)
        return result, per_request

    def kiosk(self) -> None:
        seconds = self.sizes["seconds"]
        floors, throughs, cpus, floor_cpus = [], [], [], []
        try:
            base = self.start_floor()
            floor_pids = [self.floor_process.pid] + [c.pid for c in psutil.Process(self.floor_process.pid).children()]
            # floor and suite in turns: one floor alone moved ±30 % between runs on this shared machine
            for _ in range(self.sizes["rounds"]):
                before = sum(_cpu(p) for p in floor_pids)
                floors.append(run_wrk(f"{base}/rate", rating_script(self.windows[0]), seconds, KIOSK_CONNECTIONS))
                floor_cpus.append(1000 * (sum(_cpu(p) for p in floor_pids) - before) / max(1, floors[-1]["requests"]))
                self.sampler.phase("load")
                through, cpu_ms = self.with_cpu(lambda: run_wrk(
                    f"{self.suite.gateway}/api/ratings", rating_script(self.windows[0]), seconds, KIOSK_CONNECTIONS,
                    headers=[f"Authorization: Kiosk {self.kiosks[0]}"]))
                self.sampler.phase(None)
                throughs.append(through)
                cpus.append(cpu_ms)
            through = _mean_runs(throughs)
            # the floor at the pace of the p99 goal below (half the suite's rate): its p99 for comparison
            floor_paced = run_wrk(f"{base}/rate", rating_script(self.windows[0], rate=through["rate"] / 2), seconds,
                                  KIOSK_CONNECTIONS)
            floor_paced.pop("raw")
        finally:
            self.stop_floor()
        floor, floor_cpu_ms = _mean_runs(floors), sum(floor_cpus) / len(floor_cpus)
        cpu_ms = _mean_cpu(cpus)
        self.sampler.phase("load")
        # The same kiosk straight to evaluation-service (its signed identity made here): the gateway's share.
        private = (self.workdir / "var" / "keys" / "identity-ed25519.pem").read_text()
        device = Identity(subject=self.kiosks[0].partition(".")[0], kind="kiosk", name="压测评价器1",
                          unit_id=str(_id("br-teachers")), window_id=self.windows[0])
        direct = run_wrk(f"{self.suite.url('evaluation')}/api/ratings", rating_script(self.windows[0]), seconds,
                         KIOSK_CONNECTIONS,
                         headers=[f"X-Pacesetter-Identity: {sign_identity(device, private, ttl_seconds=3600)}"])
        half = through["rate"] / 2
        paced = run_wrk(f"{self.suite.gateway}/api/ratings", rating_script(self.windows[0], rate=half),
                        seconds, KIOSK_CONNECTIONS, headers=[f"Authorization: Kiosk {self.kiosks[0]}"])
        paced_direct = run_wrk(f"{self.suite.url('evaluation')}/api/ratings", rating_script(
            self.windows[0], rate=half), seconds, KIOSK_CONNECTIONS,
            headers=[f"X-Pacesetter-Identity: {sign_identity(device, private, ttl_seconds=3600)}"])
        self.sampler.phase(None)
        for run in (direct, paced, paced_direct):
            run.pop("raw")
        self.details["kiosk"] = {"floor": floor, "gateway": through, "direct": direct, "paced": paced,
                                 "paced_direct": paced_direct, "floor_paced": floor_paced,
                                 "paced_target": half, "cpu_ms_per_rating": cpu_ms | {"floor": floor_cpu_ms}}
        self.row("single kiosk rating", "ratings/s via gateway (32 conn)", through["rate"], floor["rate"],
                 "≥ 0.6 × floor", through["rate"] >= 0.6 * floor["rate"], "/s",
                 f"p50/p99 {through['p50_ms']:.0f}/{through['p99_ms']:.0f} ms (floor {floor['p50_ms']:.0f}/"
                 f"{floor['p99_ms']:.0f}); straight to evaluation-service {direct['rate']:.0f}/s; errors "
                 f"{through['errors'] + direct['errors']}; CPU ms per rating: gateway {cpu_ms['gateway-web']:.2f}, "
                 f"evaluation {cpu_ms['evaluation-web']:.2f}, PostgreSQL {cpu_ms['postgresql']:.2f} "
                 f"(floor app {floor_cpu_ms:.2f})")
        self.row("single kiosk rating", "p99 ms at half the max rate", paced["p99_ms"], None, "≤ 50 ms",
                 paced["p99_ms"] <= 50, "ms", f"{paced['rate']:.0f}/s sent (target {half:.0f}); p50 "
                 f"{paced['p50_ms']:.1f} ms; errors {paced['errors']}; at the same pace straight to "
                 f"evaluation-service p50/p99 {paced_direct['p50_ms']:.1f}/{paced_direct['p99_ms']:.0f} ms, the floor "
                 f"app {floor_paced['p50_ms']:.1f}/{floor_paced['p99_ms']:.0f} ms")

    def batch(self) -> None:
        """A kiosk's batches at each share of bad ratings, in turns with the raw batch insert (the floor)."""
        seconds, connections = self.sizes["seconds"], self.sizes["batch_connections"]
        floors, runs = [], {every: ([], []) for every, _goal in BAD_SHARES}
        for _ in range(self.sizes["rounds"]):
            for every, _goal in BAD_SHARES:
                floors.append(raw_batch_insert(self.floor_database(), self.windows[0], seconds, connections))
                self.sampler.phase("load")
                through, cpu_ms = self.with_cpu(lambda: run_wrk(
                    f"{self.suite.gateway}/api/ratings/batch",
                    rating_script(self.windows[0], batch=BATCH, bad_every=every), seconds, connections,
                    headers=[f"Authorization: Kiosk {self.kiosks[0]}"]), names=None)
                self.sampler.phase(None)
                runs[every][0].append(through)
                runs[every][1].append(cpu_ms)
        # Once more with no bad rating: what the ratings' own path costs, without their follow-up downstream.
        good, good_cpu = self.with_cpu(lambda: run_wrk(
            f"{self.suite.gateway}/api/ratings/batch", rating_script(self.windows[0], batch=BATCH, bad_every=0),
            seconds, connections, headers=[f"Authorization: Kiosk {self.kiosks[0]}"]), names=None)
        good.pop("raw", None)
        floor = sum(rate for rate, _ in floors) / len(floors)
        floor_pg_ms = sum(pg for _, pg in floors) / len(floors)
        self.details["batch"] = {"floor_rows_per_s": floor, "postgresql_floor_ms_per_batch": floor_pg_ms,
                                 "no_bad_rating": {"gateway": good, "cpu_ms_per_batch": good_cpu}}
        for every, goal in BAD_SHARES:
            through, cpu_ms = _mean_runs(runs[every][0]), _mean_cpu(runs[every][1])
            rate = through["rate"] * BATCH
            self.details["batch"][f"one_bad_in_{every}"] = {"gateway": through, "cpu_ms_per_batch": cpu_ms}
            self.row("kiosk batch of 100", f"ratings/s via gateway, 1 in {every} 不满意", rate, floor,
                     f"≥ {goal} × raw batch insert", rate >= goal * floor, "/s",
                     f"{connections} conn; batch p50/p99 {through['p50_ms']:.0f}/{through['p99_ms']:.0f} ms; "
                     f"errors {through['errors']}; CPU ms per batch: whole machine {cpu_ms['machine']:.1f}, of it "
                     + _largest(cpu_ms) + f" (raw insert: PostgreSQL {floor_pg_ms:.2f}); with no bad rating "
                     f"{good['rate'] * BATCH:,.0f} ratings/s (ratio {good['rate'] * BATCH / floor:.2f}), "
                     f"whole machine {good_cpu['machine']:.1f} ms per batch")

    def pipeline(self) -> None:
        """The scale's loads in turn (campus: 200/s with one worker per service; system: that, then 500/s with two
        per consuming service), and --worker-replicas at 200/s when asked; each row against the one before it."""
        floor = bare_round_trip(self.args.amqp, f"{self.prefix}floor", PIPELINE_RATE,
                                self.sizes["pipeline_floor_seconds"])
        self.details["pipeline"] = {"floor": floor, "runs": []}
        loads = PIPELINE_LOADS[self.scale] + ([(PIPELINE_RATE, self.args.worker_replicas)]
                                              if self.args.worker_replicas else [])
        before = {"rate": PIPELINE_RATE, "p99_ms": floor["p99_ms"]}  # the first row's is the bare round trip
        for rate, replicas in loads:
            workers = self.start_worker_replicas(replicas)
            self.sampler.phase("load")
            # which process the cores went to: a pipeline falling behind on a shared machine names its rival
            result, cpu_ms = self.with_cpu(
                lambda: pipeline_latency(self.suite, rate, self.sizes["pipeline_seconds"]), names=None)
            self.sampler.phase(None)
            self.details["pipeline"]["runs"].append({"rate": rate, "workers": workers, "suite": result,
                                                     "cpu_ms_per_event": cpu_ms})
            shape = ", ".join(f"{service} ×{n}" for service, n in workers.items())
            self.row("pipeline evaluation.completed → grading input + inbox", f"p99 ms at {rate}/s, workers {shape}",
                     result["p99_ms"], before["p99_ms"], "p99 ≤ 1000 ms; 0 lost",
                     result["p99_ms"] <= 1000 and result["lost"] == 0, "ms",
                     f"p50 {result['p50_ms']:.0f} ms; {result['sent']} sent at {result['rate']:.0f}/s, "
                     f"{result['lost']} not arrived by the end of the wait (still queued then: "
                     f"{', '.join(f'{k} {v}' for k, v in result['backlog_at_end'].items())}); kept up with "
                     f"{result['throughput'] or 0:.0f}/s; p99 grading "
                     f"{result['grading_p99_ms']:.0f} ms, notification {result['notification_p99_ms']:.0f} ms; "
                     f"outbox relay lag p50/p99 "
                     f"{result['relay_lag_p50_ms']:.0f}/{result['relay_lag_p99_ms']:.0f} ms; bare kombu round trip "
                     f"at {PIPELINE_RATE}/s p50/p99 {floor['p50_ms']:.1f}/{floor['p99_ms']:.1f} ms; CPU ms per "
                     f"event: whole machine {cpu_ms['machine']:.2f}, of it " + _largest(cpu_ms),
                     growth=rate / before["rate"] if rate != before["rate"] else None)
            before = {"rate": rate, "p99_ms": result["p99_ms"]}

    def start_worker_replicas(self, replicas: dict[str, int]) -> dict[str, int]:
        """Starts or stops workers of the pipeline's consuming services to ``replicas`` each (one by default),
        competing on their service's queue as ops would scale them; returns how many consume from each queue."""
        from kombu import Connection

        from pacesetter_shared.messaging.topology import Topology
        wanted = dict.fromkeys(CONSUMERS, 1) | replicas
        for service, count in wanted.items():
            for n in range(2, count + 1):
                if f"{service}-worker{n}" not in self.suite.processes:
                    self.suite.spawn(f"{service}-worker{n}", self.suite.specs[f"{service}-worker"].argv)
            extra = [name for name in self.suite.processes
                     if name.startswith(f"{service}-worker") and name[len(service) + 7:].isdigit()
                     and int(name[len(service) + 7:]) > count]
            for name in extra:
                self.suite.stop_process(name)

        def consumers() -> dict[str, int]:
            with Connection(self.suite.amqp) as conn:
                return {service: conn.default_channel.queue_declare(
                    Topology(self.suite.prefix).queue_name(service), passive=True).consumer_count
                    for service in wanted}

        wait_until(lambda: consumers() == wanted, 60, f"worker replicas consuming: {wanted}")
        return wanted

    def relay(self) -> None:
        runs, relay_batch = outbox_relay.measure(self.args.pg, self.args.amqp, self.sizes["relay_events"], 2)
        self.details["relay"] = {"runs": runs, "batch": relay_batch}
        floor = sum(f for f, _ in runs) / len(runs)
        relayed = sum(r for _, r in runs) / len(runs)
        self.row("outbox relay", "events/s published with confirms", relayed, floor, "≥ 0.8 × bare kombu",
                 relayed >= 0.8 * floor, "/s", f"{self.sizes['relay_events']} events × 2 runs")

    def grading(self) -> None:
        """The classification (domain alone, best of 3) and the cycle's XLSX report through the gateway, each at
        the scale's two sizes; the report with the peak RSS of grading-web's processes."""
        smaller, larger = self.volume["branches"]
        classified = {n: min((grading_classification.measure(n) for _ in range(3)), key=lambda f: f["total_s"])
                      for n in (smaller, larger)}
        reports = {}
        for year, branches in zip(volumes.GRADING_YEARS, (smaller, larger)):
            cycle = volumes.md5_id(f"bench-cycle-{year}")
            reports[branches] = self.download("grading", f"/api/grading/cycles/{cycle}/report.xlsx")
        self.details["grading"] = {"classification": classified, "report": reports}
        small, large = classified[smaller], classified[larger]
        self.row("grading classification", f"{larger:,} branches × 7 indicators, s (best of 3)",
                 large["total_s"], small["total_s"], "≤ 2 s", large["total_s"] <= 2, "s",
                 f"classify {large['classify_s']:.2f} s, cap {large['cap_s']:.2f} s, CPU {large['total_cpu_s']:.2f} s "
                 f"(wall moves with the machine's load, CPU less); at {smaller:,}: {small['total_s']:.2f} s, "
                 f"CPU {small['total_cpu_s']:.2f} s", growth=larger / smaller)
        self.download_rows("grading report XLSX", "branches", reports, 10)

    def ledger(self) -> None:
        """The ledger of one branch's year streamed as CSV and as XLSX, at the scale's two sizes."""
        unit = _id("br-teachers")
        runs = {fmt: {size: self.download("pledge", f"/api/pledges/ledger/export?unit_id={unit}&year={year}"
                                          f"&format={fmt}")
                      for year, size in zip(volumes.PLEDGE_YEARS, self.volume["pledges"])}
                for fmt in ("csv", "xlsx")}
        self.details["ledger"] = runs
        # issue 10: 100,000 pledges in ≤ 5 s; issue 24: 1,000,000 in ≤ 30 s
        goal = 30 if self.volume["pledges"][1] > 100_000 else 5
        for fmt, by_size in runs.items():
            self.download_rows(f"ledger export to {fmt.upper()}", "pledges", by_size, goal)

    def download(self, service: str, path: str) -> dict:
        """One export through the gateway: seconds, bytes, and the peak RSS of the service's web processes
        (sampled every 20 ms), also above each one's RSS when the download began. When the gateway gives up
        (504: nothing sent before its proxy timeout), the same export straight from the service is measured too."""
        result = self._download_sampled(service, f"{self.suite.gateway}{path}", self.org)
        if result.get("status") == 504:
            token = self.org["Authorization"].removeprefix("Bearer ")
            private = (self.workdir / "var" / "keys" / "identity-ed25519.pem").read_text()
            identity = Identity.from_claims(jwt.decode(token, options={"verify_signature": False})["idn"])
            straight = self._download_sampled(service, f"{self.suite.url(service)}{path}", {
                "X-Pacesetter-Identity": sign_identity(identity, private, ttl_seconds=3600)})
            result = straight | {"through_gateway": result}
        return result

    def _download_sampled(self, service: str, url: str, headers: dict) -> dict:
        pids = self.suite.pids()[f"{service}-web"]
        start = {pid: _rss_mb(pid) for pid in pids}
        peak, stop = {}, threading.Event()
        sampler = threading.Thread(target=_sample_rss, args=(pids, peak, stop), daemon=True)
        sampler.start()
        began, status = time.monotonic(), 200
        try:
            length = _download(url, headers)
        except urllib.error.HTTPError as exc:
            status, length = exc.code, 0
        finally:
            stop.set()
            sampler.join()
        return {"seconds": time.monotonic() - began, "bytes": length, "status": status,
                "peak_rss_mb": max(peak.values(), default=None),
                "above_start_mb": max((peak[p] - start[p] for p in peak if start.get(p)), default=None)}

    def download_rows(self, scenario: str, what: str, by_size: dict[int, dict], goal_s: float) -> None:
        """Two rows for an export measured at two sizes (the smaller first): the larger's seconds against the
        smaller's, and how much its peak RSS grew between them."""
        (smaller, small), (larger, large) = sorted(by_size.items())
        refused = "".join(f"; {n:,} {what}: the gateway answered {r['through_gateway']['status']} after "
                          f"{r['through_gateway']['seconds']:.1f} s, so the seconds are straight from the service"
                          for n, r in sorted(by_size.items()) if "through_gateway" in r)
        self.row(scenario, f"{larger:,} {what}, s", large["seconds"], small["seconds"], f"≤ {goal_s:g} s",
                 large["seconds"] <= goal_s and "through_gateway" not in large, "s",
                 f"{smaller:,} {what} {small['seconds']:.1f} s; {large['bytes'] / 2**20:.1f} MB written{refused}",
                 growth=larger / smaller)
        grown = large["peak_rss_mb"] - small["peak_rss_mb"]
        self.row(scenario, f"peak RSS growth {_count(smaller)} → {_count(larger)}, MB", grown, None,
                 "flat (< 20 MB growth)", grown < 20, "MB",
                 f"peak RSS of the web processes {small['peak_rss_mb']:.0f} → {large['peak_rss_mb']:.0f} MB; above "
                 f"the serving process's RSS at the start {small['above_start_mb']:.0f} → "
                 f"{large['above_start_mb']:.0f} MB")

    def dashboard(self) -> None:
        """The organisation department's dashboards of a whole year at the scale's two sizes (its two years of
        ratings): the first read of each year while nobody has worked it out (the guard's decision, figures.py),
        then p95 of the reads of the rows kept; and what the figures keeper's refresh of that year costs."""
        per_year = {}
        for year, rows, windows in zip(volumes.rating_years(), self.volume["ratings"], self.volume["windows"]):
            per_year[rows] = self.dashboard_year(year) | {"year": year, "windows": windows}
        self.details["dashboard"] = per_year
        (smaller, small), (larger, large) = sorted(per_year.items())
        goal = 100 if larger > 1_000_000 else 300  # issue 24 at ten million ratings, issue 10 at one million
        kills = "; killed over the RSS ceiling: " + ", ".join(
            f"{k['process']} {k['rss_mb']} MB at {k['at']}" for k in self.ceiling.kills) if self.ceiling.kills else ""

        def per_query(figures: dict) -> str:
            return "; ".join(f"{k} {v:.0f}" for k, v in figures["per_query_ms"].items()) or figures["why"]
        self.row("portal dashboard, a year of ratings", f"p95 ms ({larger:,} ratings, {large['windows']:,} windows)",
                 large["p95_ms"], small["p95_ms"], f"≤ {goal} ms", _at_most(large["p95_ms"], goal), "ms",
                 f"{per_query(large)}; at {smaller:,} ratings: {per_query(small)}", growth=larger / smaller)
        refresh = " → ".join(f"{f['refresh_s']:.1f} s ({f['refresh_cpu_s']:.1f} s CPU)" if f["refresh_s"] is not None
                             else "—" for f in (small, large))
        warm = [f["warm"] for f in (small, large)]
        self.row("portal dashboard, a year of ratings", f"first read of a year nobody asked for, ms ({larger:,} ratings)",
                 warm[1]["first_read_ms"], warm[0]["first_read_ms"], "≤ 1000 ms, figures shown",
                 _at_most(warm[1]["first_read_ms"], 1000) and all(w["shown"] for w in warm), "ms",
                 "; ".join(f"at {n:,}: figures {'shown' if w['shown'] else 'NOT shown'}, after the keeper's start-up "
                           f"pass came to the year ({w['waited_s']:.0f} s waited for it)"
                           for n, w in zip((smaller, larger), warm)), growth=larger / smaller)
        self.row("portal dashboard, a year of ratings", f"a cold year's first read, ms ({larger:,} ratings)",
                 large["first_read_ms"], small["first_read_ms"], "≤ 1000 ms", _at_most(large["first_read_ms"], 1000),
                 "ms", f"until the year's figures show; first answer {large['first_status']} (at {smaller:,}: "
                 f"{small['first_status']}); asked again until the figures show (the gateway answers 504 past its "
                 f"proxy timeout), up to {self.cold_read_limit_s} s; the keeper's whole pass of the year meanwhile "
                 f"{refresh}{kills}",
                 growth=larger / smaller)

    def dashboard_year(self, year: int) -> dict:
        gw, committee = self.suite.gateway, _id("committee")
        whole = f"from={year}-01-01&to={year}-12-31"
        queries = {
            "summary by month": f"/api/ratings/summary?unit_id={committee}&granularity=month&{whole}",
            "summary by week": f"/api/ratings/summary?unit_id={committee}&granularity=week&{whole}&limit=60",
            "ranking": f"/api/ratings/ranking?unit_id={committee}&month={year}-06",
            "rhythm": f"/api/ratings/rhythm?unit_id={committee}&{whole}",
        }
        # Nobody asked for the year yet, but the figures keeper works out every year with ratings as it starts (a
        # first start over imported history does so once, and ratings coming in keep a year up to date): its first
        # read, issue 24's 2.1 s, once the keeper has come to it.
        began = time.perf_counter()
        with psycopg.connect(self.suite.env["EVALUATION_DATABASE_URL"], autocommit=True) as conn:
            wait_until(lambda: conn.execute("SELECT 1 FROM disclosure_snapshots WHERE year = %s",
                                            (year,)).fetchone() is not None,
                       self.cold_read_limit_s, f"the figures keeper to work {year} out as it starts", interval=1)
        warm = {"waited_s": time.perf_counter() - began}
        self.org = {"Authorization": f"Bearer {self.login('zuzhibu')}"}  # a session may run out while it waits
        began = time.perf_counter()
        status, body = http_json("GET", gw + queries["summary by month"], headers=self.org, timeout=60)
        warm |= {"first_read_ms": 1000 * (time.perf_counter() - began),
                 "shown": status == 200 and (body or {}).get("as_of") is not None}
        # Cold: the year's kept decision deleted, as if never worked out. The year shows when an answer carries
        # its figures (as_of set), once the keeper has taken in all its ratings (a figure shown sooner could give
        # a small group away, figures.py); the time from the first read to the figures is the cold read.
        with psycopg.connect(self.suite.env["EVALUATION_DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DELETE FROM disclosed_figures WHERE year = %s", (year,))
            conn.execute("DELETE FROM disclosure_snapshots WHERE year = %s", (year,))
            # a year never worked out has no dead rows either: where autovacuum is off (here) the 5.6 M deleted
            # ones would stay in every later read's way
            conn.execute("VACUUM disclosed_figures")
        began, first, limit = time.perf_counter(), None, self.cold_read_limit_s
        keeper_cpu = sum(_cpu(p) for p in self.suite.pids().get("evaluation-figures", []))
        while time.perf_counter() - began < limit:
            asked = time.perf_counter()
            try:
                status, body = http_json("GET", gw + queries["summary by month"], headers=self.org,
                                         timeout=limit - (asked - began))
            except OSError as exc:  # no answer within the limit
                status, body = type(exc).__name__, None
            if status == 401:  # the session ran out while the year was worked out (minutes at 10 M): log in again
                self.org = {"Authorization": f"Bearer {self.login('zuzhibu')}"}
                continue
            shown = status == 200 and (body or {}).get("as_of") is not None
            first = first or f"{status}{'' if shown or status != 200 else ' without figures'} in " \
                             f"{1000 * (time.perf_counter() - asked):.0f} ms"
            if shown:
                break
            time.sleep(0.5)
        first_ms, first_status = 1000 * (time.perf_counter() - began), first
        keeper_cpu = sum(_cpu(p) for p in self.suite.pids().get("evaluation-figures", [])) - keeper_cpu
        if not shown:  # the reads after it would each wait for the same work: not measured
            return {"warm": warm, "first_read_ms": None, "first_status": first_status, "p95_ms": None, "per_query_ms": {},
                    "why": f"the year did not show within {limit} s", "refresh_s": None,
                    "refresh_cpu_s": None}
        timings: dict[str, list[float]] = {}
        for _ in range(self.sizes["dashboard_requests"]):
            for name, path in queries.items():
                began = time.perf_counter()
                status, body = http_json("GET", gw + path, headers=self.org, timeout=60)
                timings.setdefault(name, []).append(1000 * (time.perf_counter() - began))
                assert status == 200, (name, status, body)
        return {"warm": warm, "first_read_ms": first_ms, "first_status": first_status,
                "p95_ms": percentile([t for ts in timings.values() for t in ts], 95),
                "per_query_ms": {name: round(percentile(ts, 95), 1) for name, ts in timings.items()},
                "refresh_s": first_ms / 1000, "refresh_cpu_s": keeper_cpu}

    def count_connections(self, after: str) -> None:
        """PostgreSQL connections the suite holds (pools keep what a load opened), beside everyone's:
        max_connections is shared, and "too many clients" is a figure too."""
        try:
            with psycopg.connect(f"{self.args.pg}/postgres", autocommit=True) as conn:
                ours, everyone, limit = conn.execute(
                    "SELECT count(*) FILTER (WHERE datname LIKE %s), count(*), current_setting('max_connections')"
                    " FROM pg_stat_activity", (f"{self.prefix}%",)).fetchone()
            self.details.setdefault("pg_connections", {})[after] = {"bench": ours, "all": everyone, "max": int(limit)}
        except psycopg.OperationalError as exc:
            self.details.setdefault("pg_connections", {})[after] = {"error": str(exc)[:120]}

    def memory(self) -> None:
        peaks = self.sampler.peaks if self.sampler else {}
        idle, load = peaks.get("idle", {}), peaks.get("load", {})
        self.details["rss_mb"] = {"idle": idle, "load": load}
        if idle:
            worst = max(idle, key=idle.get)
            self.row("RSS per process", "largest idle RSS, MB", idle[worst], None, "≤ 120 MB idle",
                     idle[worst] <= 120, "MB", f"{worst}; under load the largest: "
                     + (f"{max(load, key=load.get)} {max(load.values()):.0f} MB" if load else "not sampled")
                     # a year of ratings there from the start: evaluation's worker works it out as it starts
                     + (f"; with the {self.scale} volumes of {', '.join(self.details['volumes'])} there from the "
                        "start" if self.details.get("volumes") else ""))


def wait_for_room(pg: str, needed: int = 30, timeout: float = 600) -> None:
    """The suite needs some 20–40 of PostgreSQL's connections, which are shared with everyone's tests:
    wait (up to 10 minutes) until 30 are free rather than fail half-started."""
    def free() -> bool:
        try:
            with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
                used, limit = conn.execute("SELECT count(*), current_setting('max_connections')::int "
                                           "FROM pg_stat_activity").fetchone()
            return limit - used >= needed
        except psycopg.OperationalError:
            return False
    if not free():
        print(f"waiting for {needed} free PostgreSQL connections (others' tests hold them)", flush=True)
        wait_until(free, timeout, f"{needed} free PostgreSQL connections", interval=2)


def _posts(url: str, body: dict) -> bool:
    try:
        return http_json("POST", url, {**body, "client_id": uuid.uuid4().hex}, timeout=3)[0] == 201
    except OSError:
        return False


def _largest(cpu_ms: dict) -> str:
    """Each process group's share of a ``with_cpu`` figure, the largest first."""
    return ", ".join(f"{name} {ms:.2f}" for name, ms in sorted(cpu_ms.items(), key=lambda item: -item[1])
                     if name != "machine" and ms >= 0.05)


def _mean_runs(runs: list[dict]) -> dict:
    """wrk runs of one load taken as one: mean rate and p50, the worst p99, requests and errors summed."""
    return {"rate": sum(r["rate"] for r in runs) / len(runs), "p50_ms": sum(r["p50_ms"] for r in runs) / len(runs),
            "p99_ms": max(r["p99_ms"] for r in runs), "requests": sum(r["requests"] for r in runs),
            "errors": sum(r["errors"] for r in runs), "runs": [{k: v for k, v in r.items() if k != "raw"} for r in runs]}


def _mean_cpu(per_run: list[dict]) -> dict:
    """Each process group's CPU ms per request, over the runs of one load."""
    return {name: round(sum(run[name] for run in per_run) / len(per_run), 2) for name in per_run[0]}


def _postgres_pids() -> list[int]:
    return _named_pids("postgres")


def _named_pids(prefix: str) -> list[int]:
    return [p.pid for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith(prefix)]


def _machine_busy() -> float:
    """CPU seconds every core spent on anything but idling since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _cpu(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.NoSuchProcess:  # a PostgreSQL backend that ended meanwhile
        return 0.0
    return times.user + times.system


def _rss_mb(pid: int) -> float | None:
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.NoSuchProcess:
        return None


def _sample_rss(pids: list[int], peak: dict, stop: threading.Event) -> None:
    while not stop.wait(0.02):
        for pid in pids:
            rss = _rss_mb(pid)
            if rss is not None:
                peak[pid] = max(peak.get(pid, 0.0), rss)


def _download(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)
    total = 0
    with urllib.request.urlopen(request, timeout=300) as response:
        while chunk := response.read(256 * 1024):
            total += len(chunk)
    return total


def raw_batch_insert(url: str, window: str, seconds: float, connections: int) -> tuple[float, float]:
    """Floor for batches: 100 rows per transaction with executemany, from ``connections`` threads.
    Rows/s, and the CPU ms per batch of the PostgreSQL backends that served them."""
    counts, backend_cpu = [0] * connections, [0.0] * connections
    run = uuid.uuid4().hex[:8]  # client ids of their own: the floor is measured more than once on one table
    deadline = time.monotonic() + seconds
    sql = ("INSERT INTO floor_ratings (window_id, origin, client_id, level, reasons, rated_at, received_at) "
           "VALUES (%s, 'raw', %s, %s, '[]', now(), now())")

    failures: list[Exception] = []

    def work(index: int) -> None:
        try:
            with psycopg.connect(url) as conn:
                backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
                n = 0
                while time.monotonic() < deadline:
                    with conn.transaction(), conn.cursor() as cur:
                        cur.executemany(sql, [(window, f"raw-{run}-{index}-{n + i}", 5 - (n + i) % 3)
                                              for i in range(BATCH)])
                    n += BATCH
                counts[index], backend_cpu[index] = n, _cpu(backend)
        except Exception as exc:  # reported below: a floor of 0 would make any figure look good
            failures.append(exc)

    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"raw batch insert failed: {failures[0]!r}")
    return sum(counts) / (time.monotonic() - began), 1000 * sum(backend_cpu) / max(1, sum(counts) / BATCH)


def bare_round_trip(amqp: str, exchange_name: str, rate: int, seconds: float) -> dict:
    """Floor for the pipeline: a kombu publish with confirms → a consumer on its own connection."""
    from kombu import Connection, Exchange, Queue
    exchange = Exchange(exchange_name, type="topic", durable=True)
    queue = Queue(f"{exchange_name}.q", exchange, routing_key="#", durable=True)
    latencies: list[float] = []
    total = int(rate * seconds)
    ready, done = threading.Event(), threading.Event()

    def consume() -> None:
        with Connection(amqp) as conn:
            def on_message(body, message):
                latencies.append(1000 * (time.time() - body["sent"]))
                message.ack()
                if len(latencies) >= total:
                    done.set()
            with conn.Consumer(queue, callbacks=[on_message], prefetch_count=20, accept=["json"]):
                ready.set()
                deadline = time.monotonic() + seconds + 30
                while not done.is_set() and time.monotonic() < deadline:
                    try:
                        conn.drain_events(timeout=0.5)
                    except TimeoutError:
                        pass

    with Connection(amqp, transport_options={"confirm_publish": True}) as conn:
        queue(conn.default_channel).declare()
        consumer = threading.Thread(target=consume, daemon=True)
        consumer.start()
        ready.wait(10)
        producer = conn.Producer(exchange=exchange)
        began = time.monotonic()
        for n in range(total):
            _pace(began, n, rate)
            producer.publish({"sent": time.time(), "n": n}, routing_key="bench.floor", serializer="json",
                             delivery_mode=2)
        consumer.join(seconds + 35)
        queue(conn.default_channel).delete()
        exchange(conn.default_channel).delete()
    return {"sent": total, "received": len(latencies), "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99)}


def _pace(began: float, n: int, rate: int) -> None:
    wait = began + n / rate - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def pipeline_latency(suite: BenchSuite, rate: int, seconds: float) -> dict:
    """evaluation.completed written into evaluation-service's outbox, one commit per event at a steady
    rate — the row its round's completion writes (envelope built and validated by the shared code);
    arrival is grading's processed event and both inbox notices (member, branch secretary)."""
    branch, member = _id("br-teachers"), _id("dangyuan")
    total = int(rate * seconds)
    # Envelopes made before the clock starts: a Python injector on a busy 2-core machine could not
    # keep 200 commits/s with a unit of work each (it managed ~90/s), and the pipeline is measured here.
    envelopes = []
    for _ in range(total):
        round_id = uuid.uuid4()
        payload = prepare_data("evaluation.completed", 1, {
            "round_id": round_id, "target_kind": "branch", "target_id": branch, "subject_person_id": member,
            "unit_id": branch, "year": date.today().year, "score": 91.5, "level": "excellent",
            "breakdown": [{"party": "masses", "weight": 1.0, "score": 91.5, "raters": 12}]})
        envelopes.append(new_envelope("evaluation.completed", 1, "evaluation", str(round_id), payload))
    sent: dict[str, float] = {}
    # Several connections, as several web processes would: one connection's commits are serialised
    # behind the WAL flush (on this busy machine ~90 commits/s), which would slow the injector, not the pipeline.
    injectors = max(4, rate // 50)
    began = time.monotonic()

    failures: list[Exception] = []

    def inject(first: int) -> None:
        try:
            _inject(first)
        except Exception as exc:  # reported below, not lost in a thread
            failures.append(exc)

    def _inject(first: int) -> None:
        with psycopg.connect(suite.env["EVALUATION_DATABASE_URL"], autocommit=True) as conn:
            for n in range(first, total, injectors):
                _pace(began, n, rate)
                envelope, at = envelopes[n], datetime.now(timezone.utc)
                body = envelope.to_dict() | {"occurred_at": at.isoformat()}
                conn.execute("INSERT INTO outbox (event_id, event_type, envelope, created_at) "
                             "VALUES (%s, %s, %s, %s)", (envelope.id, envelope.type, Jsonb(body), at))
                sent[str(envelope.id)] = at.timestamp()

    threads = [threading.Thread(target=inject, args=(i,)) for i in range(injectors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"injecting failed: {failures[0]}")
    rate_sent = total / (time.monotonic() - began)
    grading = make_engine(suite.env["GRADING_DATABASE_URL"], poolclass=sa.pool.NullPool)
    notification = make_engine(suite.env["NOTIFICATION_DATABASE_URL"], poolclass=sa.pool.NullPool)

    by_service: dict[str, dict[str, float]] = {}

    def arrivals() -> dict[str, float]:
        with grading.connect() as conn:
            graded = {str(r.event_id): r.processed_at.timestamp() for r in conn.execute(sa.text(
                "SELECT event_id, processed_at FROM processed_events WHERE event_type = 'evaluation.completed'"))}
        with notification.connect() as conn:
            noticed = {str(r.event_id): r.last.timestamp() for r in conn.execute(sa.text(
                "SELECT event_id, max(created_at) AS last FROM notices WHERE event_type = 'evaluation.completed' "
                "GROUP BY event_id HAVING count(*) >= 2"))}
        by_service.update(grading=graded, notification=noticed)
        return {e: max(graded[e], noticed[e]) for e in sent if e in graded and e in noticed}

    # Late is not lost: wait while events still arrive; what has not come 20 s after the last arrival
    # (or 3 minutes after the end) counts as lost.
    arrived, last_progress, cap = arrivals(), time.monotonic(), time.monotonic() + 180
    while len(arrived) < len(sent) and time.monotonic() - last_progress < 20 and time.monotonic() < cap:
        time.sleep(0.5)
        now_arrived = arrivals()
        if len(now_arrived) > len(arrived):
            last_progress = time.monotonic()
        arrived = now_arrived
    grading.dispose()
    notification.dispose()
    # What has not arrived: still waiting in a queue or the outbox (late), or nowhere (lost).
    backlog = {}
    try:
        from kombu import Connection

        from pacesetter_shared.messaging.topology import Topology
        with Connection(suite.amqp) as conn:
            for service in ("grading", "notification"):
                name = Topology(suite.prefix).queue_name(service)
                backlog[f"{service} queue"] = conn.default_channel.queue_declare(name, passive=True).message_count
        with psycopg.connect(suite.env["EVALUATION_DATABASE_URL"]) as conn:
            backlog["evaluation outbox"] = conn.execute(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]
    except Exception as exc:  # the figure without it is still worth having
        backlog["error"] = repr(exc)[:200]
    # Whether the outbox relay kept up: from the row's commit to its publication confirmed and marked.
    with psycopg.connect(suite.env["EVALUATION_DATABASE_URL"]) as conn:
        relay_lag = [1000 * float(r[0]) for r in conn.execute(
            "SELECT extract(epoch FROM published_at - created_at) FROM outbox "
            "WHERE event_type = 'evaluation.completed' AND published_at IS NOT NULL")]
    latencies = [1000 * (arrived[e] - sent[e]) for e in arrived]
    # Which side lagged. Both stamps are taken inside the consuming transaction, before its commit: a batched
    # consumer's events show up to one batch's handling earlier than they became visible.
    each = {name: [1000 * (times[e] - sent[e]) for e in sent if e in times] for name, times in by_service.items()}
    # what the pipeline kept up with: arrivals over the time from the first event sent to the last arrival
    span = (max(arrived.values()) - min(sent.values())) if arrived else 0
    return {"sent": total, "requests": total, "rate": rate_sent, "arrived": len(arrived), "lost": total - len(arrived),
            "throughput": len(arrived) / span if span else None, "backlog_at_end": backlog,
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies) if latencies else None,
            "relay_lag_p50_ms": percentile(relay_lag, 50), "relay_lag_p99_ms": percentile(relay_lag, 99),
            **{f"{name}_p99_ms": percentile(values, 99) for name, values in each.items()}}


def worker_replicas(text: str) -> dict[str, int]:
    """``notification=2,grading=2`` → worker processes per consuming service of the pipeline."""
    found = {}
    for part in text.split(","):
        service, _, count = part.partition("=")
        if service not in CONSUMERS or not count.isdigit() or int(count) < 1:
            raise argparse.ArgumentTypeError(f"{part!r}: expected grading=N, notification=N or pledge=N, N ≥ 1")
        found[service] = int(count)
    return found


def _count(n: int) -> str:
    """250000 → 250k, 1000000 → 1M: a size in a figure's name."""
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _at_most(value: float | None, goal: float) -> bool:
    return value is not None and value <= goal


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if abs(value) < 10_000 else f"{value:,.0f}"


def report(bench: Bench, info: dict, started: datetime, seconds: float) -> Path:
    stamp = started.strftime("%Y-%m-%d")
    mode = "quick" if bench.args.quick else "full"
    lines = [f"# make bench — {started:%Y-%m-%d %H:%M} UTC ({mode}, scale {bench.scale}, {seconds / 60:.1f} min)", "",
             f"Machine: {info['cores']} cores, {info['memory_gib']} GiB; {info['python']}; PostgreSQL "
             f"{info['postgresql']}; RabbitMQ {info['rabbitmq']}; load average at start "
             f"{', '.join(map(str, info['load_average_at_start']))} (shared with other engineers' tests).",
             f"Shape: every service {WEB_WORKERS} processes × {WEB_THREADS} threads (gunicorn gthread; gateway "
             "granian), every worker its own process; floors and the smaller volumes measured in this run.",
             ""] + _volumes_lines(bench.details.get("volumes")) + [
             "| scenario | figure | value | floor or smaller volume | ratio | growth | goal | met |",
             "|---|---|---|---|---|---|---|---|"]
    for row in bench.rows:
        met = "met" if row["met"] else "**missed**" if row["met"] is not None else "—"
        lines.append(f"| {row['scenario']} | {row['figure']} | {_fmt(row['value'])} | {_fmt(row['floor'])} | "
                     f"{_fmt(row['ratio'], 2)} | {history.growth(row)} | {row['goal']} | {met} |")
    lines += ["", "Notes:", ""] + [f"- {row['scenario']} — {row['figure']}: {row['note']}" for row in bench.rows
                                   if row["note"]]
    if bench.details.get("killed_over_rss_ceiling"):
        lines += ["", f"Killed over the RSS ceiling ({bench.rss_ceiling_mb:.0f} MB): " + "; ".join(
            f"{k['process']} (pid {k['pid']}) at {k['rss_mb']} MB, {k['at']}"
            for k in bench.details["killed_over_rss_ceiling"])]
    connections = bench.details.get("pg_connections", {})
    if connections:
        lines += ["", "PostgreSQL connections after each scenario (this bench / everyone / max_connections): "
                  + "; ".join(f"{k} " + (f"{v['bench']}/{v['all']}/{v['max']}" if "bench" in v else "server full")
                              for k, v in connections.items())]
    rss = bench.details.get("rss_mb", {})
    if rss.get("idle"):
        lines += ["", "| process | idle RSS MB | peak under load MB |", "|---|---|---|"]
        for name in sorted(rss["idle"]):
            lines.append(f"| {name} | {rss['idle'][name]:.0f} | {rss.get('load', {}).get(name, float('nan')):.0f} |")
    text = "\n".join(lines) + "\n"
    # a subset of the scenarios never overwrites the day's full table: its file names what it ran
    only = bench.args.only.split(",")
    subset = "" if set(SCENARIOS) <= set(only) else "-" + "-".join(only)
    kind = {"quick": "-quick", "campus": "", "system": "-system"}[bench.scale]
    out = ROOT / "bench" / "results" / f"{stamp}-bench{kind}{subset}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps(
        {"started": started.isoformat(), "mode": mode, "seconds": seconds, "machine": info, "rows": bench.rows,
         "details": bench.details}, indent=2, default=str, ensure_ascii=False))
    print("\n" + text)
    print(f"written to {out.relative_to(ROOT)} and .json")
    if not subset and not bench.args.quick:  # only full runs make a figure's history
        history.append(bench.rows, bench.scale, started, seconds / 60, info["load_average_at_start"], _fmt)
        print(f"appended to {history.HISTORY.relative_to(ROOT)}")
    return out


def _volumes_lines(made: dict | None) -> list[str]:
    """How the run's data volumes were had: made now (and in how long) or reused from the cache."""
    if not made:
        return []
    return ["Volumes (bench/volumes.py): " + "; ".join(
        f"{service} {', '.join(f'{v:,} {k}' for k, v in m['made'].items())} {m['state']} (made in {m['made_s']} s; "
        f"copied for this run in {m['copy_s']} s)" for service, m in made.items()), ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs (about a minute)")
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {SCENARIOS}")
    parser.add_argument("--profile", action="append", metavar="PROCESS",
                        help="py-spy record a process (e.g. evaluation-web) during the run; repeatable")
    parser.add_argument("--keep", action="store_true", help="keep the processes' logs (deleted otherwise)")
    parser.add_argument("--worker-replicas", type=worker_replicas, metavar="SERVICE=N,...",
                        help="the pipeline once more with N workers of each service named (notification, grading, "
                             "pledge), e.g. notification=2,grading=2; every shape is reported")
    parser.add_argument("--scale", choices=("campus", "system"), default="campus",
                        help="data volumes: campus (1 M ratings, 100k pledges, 5,000 branches) or system (ten "
                             "times); each measured beside a smaller one (a tenth; a quarter for pledges)")
    parser.add_argument("--volumes", choices=("keep", "fresh", "drop"), default="keep",
                        help="keep: reuse the cached volumes when nothing changed (default); fresh: make them again; "
                             "drop: drop the cached volumes of every scale after the run")
    parser.add_argument("--rss-ceiling-mb", type=float,
                        help="kill any process of the suite whose RSS passes this (the machine is shared; by default "
                             "4 GB, 14 GB at the system scale); reported with the figures")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--amqp", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    for target in (args.pg, args.amqp):  # load only ever goes to this machine
        if "127.0.0.1" not in target and "localhost" not in target:
            sys.exit(f"bench runs against 127.0.0.1 only, not {target}")
    chosen = [s for s in args.only.split(",") if s]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        sys.exit(f"unknown scenarios: {sorted(unknown)}")
    # SIGTERM stops like Ctrl-C: through the finally below, which stops and drops everything.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    # also when started in the background by a shell, which starts it with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    info = machine()
    started, clock = datetime.now(timezone.utc), time.monotonic()
    bench = Bench(args, QUICK if args.quick else FULL)
    print(f"bench {bench.prefix}: logs in {bench.workdir} (kept with --keep or --profile)", flush=True)
    try:
        wait_for_room(args.pg)
        bench.start()
        for name in SCENARIOS:
            if name in chosen:
                print(f"[{time.monotonic() - clock:5.0f}s] {name}", flush=True)
                for attempt in (1, 2):
                    try:
                        wait_for_room(args.pg, needed=15, timeout=120)
                        getattr(bench, name)()
                        break
                    except Exception as exc:  # one broken scenario still leaves the others' figures
                        if attempt == 1 and "too many clients" in str(exc):
                            print(f"  {name}: PostgreSQL full (others' tests), once more", flush=True)
                            bench.rows = [r for r in bench.rows if r["scenario"] not in SCENARIO_TITLES[name]]
                            continue
                        bench.row(name, "failed", None, None, "—", None, note=f"{type(exc).__name__}: {exc}"[:300])
                        break
                bench.count_connections(name)
        bench.memory()
    finally:
        print("stopping everything the bench started", flush=True)
        bench.stop()
        if args.volumes == "drop":
            print(f"dropped the cached volumes: {', '.join(volumes.drop(args.pg)) or 'none'}", flush=True)
        if bench.rows:  # also what an interrupted run measured
            report(bench, info, started, time.monotonic() - clock)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
