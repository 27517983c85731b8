"""The deployed shape without Docker: each service under its HTTP server (granian for the gateway and
evaluation-service, gunicorn for the rest) and each worker as its own process,
against a real RabbitMQ and PostgreSQL (a database per service). Used by the end-to-end tests and
the benchmarks; ``make run-local`` runs it under honcho.
"""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES, load_settings
from pacesetter_shared.db import make_engine

from .services import SERVICES

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]


def local_environment(pg_server: str = DEFAULT_PG, broker_url: str = DEFAULT_AMQP, prefix: str = "pacesetter",
                      var_dir: str = "var/local", ports: dict[str, int] | None = None) -> dict[str, str]:
    """Environment for every process: one database per service named ``<prefix>_<service>``."""
    ports = ports or DEFAULT_PORTS
    env = {"BROKER_URL": broker_url, "PACESETTER_VAR_DIR": str(Path(var_dir).resolve()), "EVENTS_EXCHANGE": prefix}
    for service, key in SERVICE_PREFIXES.items():
        env[f"{key}_DATABASE_URL"] = f"{pg_server.rstrip('/')}/{prefix}_{service}"
        if service != "gateway":
            env[f"{key}_URL"] = f"http://127.0.0.1:{ports[service]}"
    return env


def create_databases(env: dict[str, str]) -> None:
    for key in SERVICE_PREFIXES.values():
        url = env[f"{key}_DATABASE_URL"]
        server, name = url.rsplit("/", 1)
        engine = make_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()


def prepare(env: dict[str, str], seed_demo: bool = True) -> None:
    """Create databases, migrate every service, seed the demo directory."""
    create_databases(env)
    for entry in SERVICES:
        entry.migrate(load_settings(entry.name, env))
    if seed_demo:
        from gateway.service.demo import seed
        from pacesetter_shared.db import make_session_factory
        from pacesetter_shared.uow import UnitOfWorkFactory
        settings = load_settings("gateway", env)
        engine = make_engine(settings.database_url)
        seed(UnitOfWorkFactory(make_session_factory(engine), "gateway"))
        engine.dispose()


# Served by granian; the rest, whose traffic is the portal's, stay under gunicorn gthread.
GRANIAN_SERVED = ("gateway", "evaluation")


def process_specs(var_dir: str, ports: dict[str, int] | None = None, gunicorn_workers: int = 2, threads: int = 8,
                  worker_replicas: int = 1, worker_classes: dict[str, str] | None = None) -> list[ProcessSpec]:
    ports = ports or DEFAULT_PORTS
    specs = []
    for entry in SERVICES:
        # The gateway carries every request and evaluation-service every kiosk rating: granian makes each
        # request cheap (the gateway's hop 0.8 vs 1.4 ms CPU, a kiosk rating in evaluation 1.1 vs 1.4 ms).
        classes = dict.fromkeys(GRANIAN_SERVED, "granian") | (worker_classes or {})
        worker_class = classes.get(entry.name, "gthread")
        if worker_class == "granian":
            # A Rust HTTP server in front of the same WSGI app: a request's own cost drops (bench/gateway_hop.py).
            argv = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", f"{entry.package}.app:create_app",
                    "--host", "127.0.0.1", "--port", str(ports[entry.name]), "--workers", str(gunicorn_workers),
                    "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning"]
        else:
            argv = [sys.executable, "-m", "gunicorn", f"{entry.package}.app:create_app()",
                    "--bind", f"127.0.0.1:{ports[entry.name]}", "--workers", str(gunicorn_workers),
                    "--threads", str(threads), "--worker-class", worker_class, "--graceful-timeout", "10",
                    # gunicorn's control socket has one default path: each server needs its own
                    "--control-socket", str(Path(var_dir) / f"gunicorn-{entry.name}.ctl"),
                    "--access-logfile", "-" if os.environ.get("PACESETTER_ACCESS_LOG") else "/dev/null"]
        specs.append(ProcessSpec(f"{entry.name}-web", argv))
        for replica in range(worker_replicas):
            specs.append(ProcessSpec(f"{entry.name}-worker{'' if replica == 0 else replica + 1}",
                                     [sys.executable, "-m", f"{entry.package}.worker"]))
    return specs


def main() -> None:
    env = local_environment(os.environ.get("PACESETTER_PG", DEFAULT_PG), os.environ.get("BROKER_URL", DEFAULT_AMQP))
    full_env = os.environ | env
    prepare(full_env)
    procfile = Path(env["PACESETTER_VAR_DIR"]) / "Procfile"
    procfile.parent.mkdir(parents=True, exist_ok=True)
    specs = process_specs(env["PACESETTER_VAR_DIR"])
    procfile.write_text("".join(f"{s.name}: {shlex.join(s.argv)}\n" for s in specs))
    print(f"Portal: http://localhost:{DEFAULT_PORTS['gateway']}/  (Procfile: {procfile})", flush=True)
    os.execvpe(sys.executable, [sys.executable, "-m", "honcho", "start", "-f", str(procfile),
                                "-d", os.getcwd()], full_env)


if __name__ == "__main__":
    main()
