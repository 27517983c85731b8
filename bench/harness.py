"""What every scenario of bench/run.py leans on: the suite in its deployed shape, wrk, RSS sampling,
the machine's description. Everything started here is stopped by ``BenchSuite.stop``."""
from __future__ import annotations

import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pacesetter_shared.config import load_settings  # noqa: E402
from pacesetter_shared.db import make_engine  # noqa: E402
from pacesetter_shared.messaging.publisher import broker_connection, topology_for  # noqa: E402
from pacesetter_suite.local import local_environment, prepare, process_specs  # noqa: E402
from tests.support.suite import free_port  # noqa: E402

SERVICES = ("gateway", "pledge", "evaluation", "grading", "notification")
# The deployed shape's settings (local.py's defaults): 2 processes × 8 threads per web server.
WEB_WORKERS, WEB_THREADS = 2, 8


class BenchSuite:
    """Every service's web server and worker as its own process group, on fresh databases."""

    def __init__(self, pg: str, amqp: str, prefix: str, workdir: Path, extra_env: dict | None = None):
        self.pg, self.amqp, self.prefix, self.workdir = pg, amqp, prefix, workdir
        self.ports = {name: free_port() for name in SERVICES}
        self.env = os.environ | local_environment(pg, amqp, prefix=prefix, var_dir=str(workdir / "var"),
                                                  ports=self.ports)
        # Load comes from one address and one account; the limits have their own tests.
        self.env |= {"LOG_LEVEL": "WARNING", "RATE_LIMIT_PERSON": "10000000/minute",
                     "RATE_LIMIT_KIOSK": "10000000/minute", "RATE_LIMIT_ANONYMOUS": "100000/minute",
                     **(extra_env or {})}
        self.specs = {s.name: s for s in process_specs(self.env["PACESETTER_VAR_DIR"], self.ports,
                                                       gunicorn_workers=WEB_WORKERS, threads=WEB_THREADS)}
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self) -> None:
        prepare(self.env)
        for name, spec in self.specs.items():
            self.spawn(name, spec.argv)
        wait_until(self.ready, 90, "every service ready behind the gateway")

    def spawn(self, name: str, argv: list[str]) -> None:
        """One more process of the suite (its own process group, log in the workdir), stopped with the rest."""
        log = open(self.workdir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def stop_process(self, name: str) -> None:
        """One process of the suite stopped (a worker replica scaled down, a server to be started otherwise)."""
        process = self.processes.pop(name)
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(5)

    def ready(self) -> bool:
        dead = [n for n, p in self.processes.items() if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{dead} exited; see {self.workdir}")
        try:
            with urllib.request.urlopen(f"{self.gateway}/readyz", timeout=3) as response:
                return json.load(response)["status"] == "ready"
        except (OSError, ValueError):
            return False

    def pids(self) -> dict[str, list[int]]:
        """Each process's pid and its children's (a gunicorn master and its workers)."""
        found = {}
        for name, process in list(self.processes.items()):  # the pipeline may start replicas meanwhile
            try:
                parent = psutil.Process(process.pid)
                found[name] = [parent.pid] + [c.pid for c in parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                found[name] = []
        return found

    def stop(self) -> None:
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()
        drop_databases(self.pg, self.prefix)
        try:
            settings = load_settings("gateway", self.env)
            with broker_connection(settings) as conn:
                topology_for(settings).delete(conn, settings.max_retries)
        except Exception as exc:  # the broker may be down (someone's fault test): say so, go on
            print(f"could not delete exchange {self.prefix}: {exc}", file=sys.stderr)


def _signal_group(process: subprocess.Popen, sig) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def drop_databases(pg: str, prefix: str) -> None:
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        for name in conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": f"{prefix}%"}).scalars().all():
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def create_database(pg: str, name: str) -> str:
    admin = make_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{pg}/{name}"


def wait_until(condition, timeout: float, what: str, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


class RssSampler:
    """Samples the RSS of every process of the suite in a thread; keeps each process's peak per phase."""

    def __init__(self, pids_by_name, interval: float = 0.1):
        self.pids_by_name, self.interval = pids_by_name, interval
        self.peaks: dict[str, dict[str, float]] = {}
        self._phase: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def phase(self, name: str | None) -> None:
        self._phase = name

    def _run(self) -> None:
        # Finding the processes walks all of /proc (children() reads every process's parent): done again
        # every 2 s only, since doing it every sample cost the bench 0.16 of a core beside the load.
        processes: dict[str, psutil.Process] = {}
        found_at = float("-inf")
        while not self._stop.wait(self.interval):
            phase = self._phase
            if phase is None:
                continue
            if time.monotonic() - found_at > 2:
                processes = {}
                for name, pids in self.pids_by_name().items():
                    for index, pid in enumerate(pids):
                        try:
                            processes[name if index == 0 else f"{name}/{index}"] = psutil.Process(pid)
                        except psutil.NoSuchProcess:
                            continue
                found_at = time.monotonic()
            peaks = self.peaks.setdefault(phase, {})
            for label, process in processes.items():
                try:
                    rss = process.memory_info().rss / 2**20
                except psutil.NoSuchProcess:
                    continue
                peaks[label] = max(peaks.get(label, 0.0), rss)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)


class MemoryCeiling:
    """Kills any process of the suite whose RSS passes ``limit_mb``: the machine is shared, and a figure that
    grows with the data (a year of ratings worked out in memory) must not take everyone's memory. Each kill is
    kept in ``kills`` and reported."""

    def __init__(self, pids_by_name, limit_mb: float, interval: float = 2.0):
        self.pids_by_name, self.limit_mb, self.interval = pids_by_name, limit_mb, interval
        self.kills: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for name, pids in self.pids_by_name().items():
                for pid in pids:
                    try:
                        rss = psutil.Process(pid).memory_info().rss / 2**20
                        if rss > self.limit_mb:
                            os.kill(pid, signal.SIGKILL)
                            self.kills.append({"process": name, "pid": pid, "rss_mb": round(rss),
                                               "at": time.strftime("%H:%M:%S")})
                            print(f"  killed {name} (pid {pid}): RSS {rss:.0f} MB over the ceiling of "
                                  f"{self.limit_mb:.0f} MB", flush=True)
                    except (psutil.NoSuchProcess, ProcessLookupError):
                        continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


WRK_THREADS = 2


def run_wrk(url: str, script: str, seconds: float, connections: int, threads: int = WRK_THREADS, headers=()) -> dict:
    """wrk with a Lua script; requests/s, p50/p99 ms, non-2xx count, requests."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    argv = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--timeout", "10s", "--latency", "-s", handle.name]
    for header in headers:
        argv += ["-H", header]
    try:
        out = subprocess.run(argv + [url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(handle.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": (int(non2xx.group(1)) if non2xx else 0)
            + (sum(int(g) for g in socket_errors.groups()) if socket_errors else 0),
            "p50_ms": _ms(re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)),
            "p99_ms": _ms(re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)), "raw": out}


def _ms(match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def http_json(method: str, url: str, body=None, headers: dict | None = None, timeout: float = 30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, method=method, data=data,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def machine() -> dict:
    def version(argv, pattern):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout
            found = re.search(pattern, out)
            return found.group(1) if found else out.strip()[:40]
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    return {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "postgresql": version(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                                  r"([\d.]+)"),
            "rabbitmq": version(["rabbitmqctl", "version"], r"([\d.]+)"),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
