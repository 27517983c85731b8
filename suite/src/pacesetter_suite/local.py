"""The deployed shape without Docker: each service under its HTTP server (granian for the gateway and
evaluation-service, gunicorn for the rest) and each worker as its own process,
against a real RabbitMQ and PostgreSQL (a database per service). Used by the end-to-end tests and
the benchmarks; ``make run-local`` runs it under supervisord (``supervision.py``):

    pacesetter-local                                  prepare the databases, then run every part supervised
    pacesetter-local ctl status|stop|start|restart …  supervisorctl on that suite (evaluation-web, 'evaluation-worker:*')
    pacesetter-local scale evaluation-worker 3        how many replicas of one worker

Every part's settings are written to ``<var dir>/local.env``, which ops commands (``pacesetter-dlq``) read.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import sqlalchemy as sa

from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES, VARIABLES, load_settings
from pacesetter_shared.db import make_engine

from .banner import banner
from .services import SERVICES, configured_ports
from .supervision import ScaleRefused, config_path, set_replicas, supervisor_config

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672//"
DEFAULT_VAR_DIR = "var/local"
ENV_FILE = "local.env"


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
            # The factory is the service's own, its workers leaving with their master (served.py).
            argv = [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", f"pacesetter_suite.served:{entry.package}",
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
        specs += [ProcessSpec(f"{entry.name}-{keeper}", [sys.executable, "-m", f"{entry.package}.worker", keeper])
                  for keeper in entry.keepers]
    return specs


def _is_setting(name: str) -> bool:
    prefix, _sep, rest = name.partition("_")
    return name in VARIABLES or (prefix in SERVICE_PREFIXES.values() and rest in VARIABLES)


def suite_environment(environ) -> dict[str, str]:
    """Every part's settings: the local shape's (from PACESETTER_PG, BROKER_URL, EVENTS_EXCHANGE, PACESETTER_VAR_DIR,
    GATEWAY_PORT…) and any other Pacesetter setting the launcher was given (LOG_LEVEL, SMTP_HOST…)."""
    given = {name: value for name, value in environ.items() if _is_setting(name)}
    return given | local_environment(environ.get("PACESETTER_PG", DEFAULT_PG), environ.get("BROKER_URL", DEFAULT_AMQP),
                                     prefix=environ.get("EVENTS_EXCHANGE", "pacesetter"),
                                     var_dir=environ.get("PACESETTER_VAR_DIR", DEFAULT_VAR_DIR),
                                     ports=configured_ports(environ))


def write_env_file(path: Path, env: dict[str, str]) -> None:
    """KEY=value lines, quoted for sh (``set -a; . local.env``); only its owner reads it: keys may be in it."""
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("# every part of the local suite runs with these; written by pacesetter-local at its start\n"
                    + "".join(f"{name}={shlex.quote(value)}\n" for name, value in sorted(env.items())))


CLOSING = """  Every part runs under supervisord, started again whenever it exits; its log: {var}/logs/<part>.log
  One part:  pacesetter-local ctl status | stop evaluation-web | start evaluation-web | stop 'evaluation-worker:*'
             pacesetter-local scale evaluation-worker 3
  Every part's settings: {env_file} (pacesetter-dlq reads it). Ctrl-C stops the suite.
"""


def start(environ) -> None:
    env = suite_environment(environ)
    var_dir = Path(env["PACESETTER_VAR_DIR"])
    (var_dir / "logs").mkdir(parents=True, exist_ok=True)
    full_env = dict(environ) | env
    prepare(full_env)
    write_env_file(var_dir / ENV_FILE, env)
    ports = configured_ports(environ)
    # WEB_CONCURRENCY: each HTTP server's worker processes, as in the deployed images
    specs = process_specs(str(var_dir), ports, gunicorn_workers=int(environ.get("WEB_CONCURRENCY", 2)))
    config_path(var_dir).write_text(supervisor_config(var_dir, specs, os.getcwd()))
    print(banner("local multi-process mode", ports["gateway"],
                 CLOSING.format(var=var_dir, env_file=var_dir / ENV_FILE)), flush=True)
    os.execvpe(sys.executable, [sys.executable, "-m", "supervisor.supervisord", "-c", str(config_path(var_dir))],
               full_env)


def ctl(var_dir: Path, args: list[str]) -> NoReturn:
    from supervisor import supervisorctl

    supervisorctl.main(["-c", str(config_path(var_dir)), *args])  # exits with supervisorctl's status


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pacesetter-local", description="The local multi-process suite under "
                                     "supervisord (make run-local), and one of its parts at a time.")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("start", help="prepare the databases, then run every part supervised (the default)")
    control = commands.add_parser("ctl", help="supervisorctl on the running suite: status, stop, start, restart, tail")
    control.add_argument("args", nargs=argparse.REMAINDER)
    scale = commands.add_parser("scale", help="run this many replicas of one worker (its replicas restart once)")
    scale.add_argument("part", help="a worker, e.g. evaluation-worker")
    scale.add_argument("replicas", type=int)
    args = parser.parse_args(argv)
    if args.command in (None, "start"):
        start(os.environ)
        return
    var_dir = Path(os.environ.get("PACESETTER_VAR_DIR", DEFAULT_VAR_DIR))
    if not config_path(var_dir).exists():
        parser.exit(2, f"pacesetter-local: no suite was started in {var_dir} (make run-local starts one there; "
                       "PACESETTER_VAR_DIR names another)\n")
    if args.command == "ctl":
        ctl(var_dir, args.args or ["status"])
    try:
        set_replicas(var_dir, args.part, args.replicas)
    except ScaleRefused as refused:
        parser.exit(2, f"pacesetter-local: {refused}\n")
    ctl(var_dir, ["update", args.part])  # supervisord starts the program again with its new count


if __name__ == "__main__":
    main()
