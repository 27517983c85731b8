"""The gateway's hop, measured: the same database-backed POST straight to pledge-service and through
the gateway (token check included), in one run, alternating so that drift hits both alike. Then tracing's cost
on that hop: the same POST through the gateway with tracing off and on (its spans exported over OTLP to a
local no-op collector, so the figure is the gateway's own work, not a collector's), in turns.

    .venv/bin/python bench/gateway_hop.py [--seconds 10] [--connections 32] [--rounds 2] [--no-tracing]

Needs wrk (Debian package) and the local PostgreSQL. Traffic goes to 127.0.0.1 only; every
process it starts is stopped at the end. Prints a table and writes bench/results/<date>-gateway-hop.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import jwt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pacesetter_shared.identity import Identity, sign_identity  # noqa: E402
from pacesetter_suite.local import local_environment, prepare, process_specs  # noqa: E402
from tests.support.suite import free_port  # noqa: E402

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"kind": "annual", "title": "带头服务师生", "areas": ["serving_masses"], "due_date": "%(due)s"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["%(header)s"] = "%(value)s"
"""


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (gunicorn master + workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for child in [pid] + _children(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, IndexError):
            pass
    return total


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    found = [int(p) for p in out]
    return found + [g for c in found for g in _children(c)]


def wrk(url: str, header: str, value: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"due": date(date.today().year + 1, 12, 31).isoformat(), "header": header,
                                   "value": value})
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    return {"rate": rate, "requests": requests, "errors": int(non2xx.group(1)) if non2xx else 0,
            "p50_ms": _ms(p50), "p99_ms": _ms(p99)}


def _ms(match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


class NoopCollector:
    """An OTLP/HTTP endpoint on this host that takes every export and keeps nothing."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real collector: no connection per export

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "NoopCollector":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def tracing_cost(restart_gateway: Callable[[dict], None], gateway_cpu: Callable[[], float], gateway: str,
                 seconds: int, connections: int, rounds: int) -> list[dict]:
    """POST /api/pledges through the gateway, tracing on then off, ``rounds`` times: each run's req/s, p50/p99 and
    the gateway's CPU ms per request (``gateway_cpu()``: CPU seconds of its processes so far).
    ``restart_gateway(env)`` starts gateway-web afresh with these variables added; only the gateway traces
    (GATEWAY_OTEL_EXPORTER_OTLP_ENDPOINT), so the cost is the hop's. On first in each round: the gateway is left
    running with tracing off."""
    runs = []
    with NoopCollector() as collector:
        for _round in range(rounds):
            for tracing in ("on", "off"):
                restart_gateway({"GATEWAY_OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint} if tracing == "on" else {})
                token = _login(gateway)
                _wait_for_directory(gateway, token)
                before = gateway_cpu()
                run = wrk(f"{gateway}/api/pledges", "Authorization", f"Bearer {token}", seconds, connections)
                run["gateway_cpu_ms"] = 1000 * (gateway_cpu() - before) / max(1, run["requests"])
                run["tracing"] = tracing
                runs.append(run)
    return runs


def tracing_ratios(runs: list[dict]) -> dict:
    """Tracing on against off: mean req/s and gateway CPU ms/req of each, and on ÷ off."""
    mean = {t: {key: sum(r[key] for r in runs if r["tracing"] == t) / max(1, sum(r["tracing"] == t for r in runs))
                for key in ("rate", "gateway_cpu_ms", "p99_ms")} for t in ("off", "on")}
    return {"off": mean["off"], "on": mean["on"],
            "rate_ratio": mean["on"]["rate"] / mean["off"]["rate"] if mean["off"]["rate"] else None,
            "cpu_ratio": mean["on"]["gateway_cpu_ms"] / mean["off"]["gateway_cpu_ms"]
            if mean["off"]["gateway_cpu_ms"] else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--gateway-worker-class", action="append", dest="classes",
                        help="granian, or a gunicorn worker class (gthread, gevent); repeat to compare (default granian)")
    parser.add_argument("--no-tracing", action="store_true", help="leave out tracing on against off")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")

    prefix = f"bench{uuid.uuid4().hex[:6]}"
    workdir = Path(tempfile.mkdtemp(prefix="pacesetter-bench-"))
    ports = {name: free_port() for name in ("gateway", "pledge", "evaluation", "grading", "notification")}
    env = os.environ | local_environment(args.pg, "amqp://guest:guest@127.0.0.1:5672//", prefix=prefix,
                                         var_dir=str(workdir / "var"), ports=ports)
    env |= {"RATE_LIMIT_PERSON": "1000000/minute", "LOG_LEVEL": "WARNING"}
    prepare(env)
    classes = args.classes or ["granian"]

    def start(name: str, worker_class: str = "gthread", extra_env: dict | None = None):
        spec = {s.name: s for s in process_specs(env["PACESETTER_VAR_DIR"], ports, gunicorn_workers=2, threads=8,
                                                 worker_classes={"gateway": worker_class})}[name]
        return subprocess.Popen(spec.argv, env=env | (extra_env or {}), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    def restart_gateway(extra_env: dict) -> None:
        if "gateway-web" in processes:
            os.killpg(processes["gateway-web"].pid, 15)
            processes.pop("gateway-web").wait(20)
        processes["gateway-web"] = start("gateway-web", classes[0], extra_env)

    processes = {name: start(name) for name in ("pledge-web", "pledge-worker", "gateway-worker")}
    try:
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        direct = f"http://127.0.0.1:{ports['pledge']}"
        rows = []
        for _round in range(args.rounds):
            for worker_class in classes:
                processes["gateway-web"] = start("gateway-web", worker_class)
                token = _login(gateway)
                claims = jwt.decode(token, options={"verify_signature": False})
                private = (workdir / "var" / "keys" / "identity-ed25519.pem").read_text()
                signed = sign_identity(Identity.from_claims(claims["idn"]), private, ttl_seconds=3600)
                _wait_for_directory(gateway, token)
                # Direct runs before and after the gateway's: drift on a shared machine hits both sides alike.
                first = wrk(f"{direct}/api/pledges", "X-Pacesetter-Identity", signed, args.seconds, args.connections)
                before = cpu_seconds(processes["gateway-web"].pid)
                through = wrk(f"{gateway}/api/pledges", "Authorization", f"Bearer {token}", args.seconds,
                              args.connections)
                through["gateway_cpu_ms"] = 1000 * (cpu_seconds(processes["gateway-web"].pid) - before) / through["requests"]
                through["class"] = worker_class
                second = wrk(f"{direct}/api/pledges", "X-Pacesetter-Identity", signed, args.seconds, args.connections)
                straight = {key: (first[key] + second[key]) / 2 for key in ("rate", "p50_ms", "p99_ms")}
                straight["errors"] = first["errors"] + second["errors"]
                rows.append((straight, through))
                os.killpg(processes["gateway-web"].pid, 15)
                processes.pop("gateway-web").wait(20)
        traced = [] if args.no_tracing else tracing_cost(
            restart_gateway, lambda: cpu_seconds(processes["gateway-web"].pid), gateway, args.seconds,
            args.connections, args.rounds)
    finally:
        for process in processes.values():
            os.killpg(process.pid, 15)
        for process in processes.values():
            process.wait(20)
        _drop(args.pg, prefix)
    report(rows, traced, args)


def _login(gateway: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"{gateway}/api/auth/login", method="POST",
                                             data=json.dumps({"username": "dangyuan", "password": "pacesetter2026"}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)["access_token"]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _wait_for_directory(gateway: str, token: str) -> None:
    """pledge-service must have the directory (from events) before a pledge can be made."""
    deadline = time.monotonic() + 60
    body = json.dumps({"kind": "annual", "title": "预热", "areas": ["study"],
                       "due_date": date(date.today().year + 1, 12, 31).isoformat()}).encode()
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{gateway}/api/pledges", method="POST", data=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("pledge-service never learnt the directory")


def _drop(pg: str, prefix: str) -> None:
    import sqlalchemy as sa
    from pacesetter_shared.db import make_engine
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        for name in conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": f"{prefix}_%"}).scalars():
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def report(rows, traced, args) -> None:
    lines = [f"# Gateway hop — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
             "",
             f"Machine: {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.python_implementation()} "
             f"{platform.python_version()}; wrk -t2 -c{args.connections} -d{args.seconds}s; "
             "2 workers × 8 threads for each of gateway and pledge-service (pledge-service under gunicorn gthread).",
             "Upstream: POST /api/pledges (validate, insert the pledge and its outbox row in one transaction).",
             "",
             "| run | gateway server | direct req/s (mean of before and after) | via gateway req/s | ratio | direct p50/p99 ms | gateway p50/p99 ms | gateway CPU ms/req | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for i, (straight, through) in enumerate(rows, 1):
        lines.append(f"| {i} | {through['class']} | {straight['rate']:.0f} | {through['rate']:.0f} | {through['rate'] / straight['rate']:.2f} "
                     f"| {straight['p50_ms']:.1f}/{straight['p99_ms']:.1f} | {through['p50_ms']:.1f}/{through['p99_ms']:.1f} "
                     f"| {through['gateway_cpu_ms']:.2f} | {straight['errors'] + through['errors']} |")
    if traced:
        ratios = tracing_ratios(traced)
        lines += ["", f"Tracing's cost on the hop ({(args.classes or ['granian'])[0]} gateway; on: every request one "
                  "span, exported over OTLP/HTTP in batches to a local no-op collector; off: "
                  "OTEL_EXPORTER_OTLP_ENDPOINT unset):", "",
                  "| run | tracing | via gateway req/s | p50/p99 ms | gateway CPU ms/req | errors |",
                  "|---|---|---|---|---|---|"]
        for i, run in enumerate(traced, 1):
            lines.append(f"| {(i + 1) // 2} | {run['tracing']} | {run['rate']:.0f} "
                         f"| {run['p50_ms']:.1f}/{run['p99_ms']:.1f} | {run['gateway_cpu_ms']:.2f} | {run['errors']} |")
        lines += ["", f"On ÷ off: req/s {ratios['rate_ratio']:.2f} ({ratios['on']['rate']:.0f} against "
                  f"{ratios['off']['rate']:.0f}), gateway CPU ms/req {ratios['cpu_ratio']:.2f} "
                  f"({ratios['on']['gateway_cpu_ms']:.2f} against {ratios['off']['gateway_cpu_ms']:.2f})."]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / f"{date.today().isoformat()}-gateway-hop.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"written to {out.relative_to(ROOT)}")


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


if __name__ == "__main__":
    main()
