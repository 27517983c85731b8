"""The local multi-process shape under supervisord: a part that exits is started again, and an operator stops, starts
and scales one part while the rest keep serving.

The configuration is generated at each start into the var dir from the launcher's process list. A web part is one
program (``evaluation-web``); a worker is a program of numbered replicas (``evaluation-worker:evaluation-worker-1``,
``-2`` …), so ``supervisorctl stop 'evaluation-worker:*'`` stops them all and scaling changes only how many there are.
"""
from __future__ import annotations

import configparser
import shlex
from pathlib import Path

CONFIG_FILE = "supervisord.conf"
WORKER_SUFFIX = "-worker"


def config_path(var_dir: str | Path) -> Path:
    return Path(var_dir) / CONFIG_FILE


def _command(argv: list[str]) -> str:
    return shlex.join(argv).replace("%", "%%")  # supervisord expands %(…)s in a command


def supervisor_config(var_dir: str | Path, specs, workdir: str | Path) -> str:
    """supervisord.conf for ``specs`` (the launcher's ProcessSpec list, one replica of each worker)."""
    var, logs = Path(var_dir).resolve(), Path(var_dir).resolve() / "logs"
    sections = [f"""[unix_http_server]
file = {var}/supervisor.sock
chmod = 0700

[supervisorctl]
serverurl = unix://{var}/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisord]
nodaemon = true
logfile = {logs}/supervisord.log
pidfile = {var}/supervisord.pid
childlogdir = {logs}
directory = {Path(workdir).resolve()}
"""]
    for spec in specs:
        lines = [f"[program:{spec.name}]", f"command = {_command(spec.argv)}"]
        if spec.name.endswith(WORKER_SUFFIX):
            lines += ["process_name = %(program_name)s-%(process_num)d", "numprocs = 1", "numprocs_start = 1",
                      f"stdout_logfile = {logs}/%(program_name)s-%(process_num)d.log"]
        else:
            lines.append(f"stdout_logfile = {logs}/%(program_name)s.log")
        lines += [
            "redirect_stderr = true",
            "autorestart = true",  # whatever the exit: a crashed part comes back
            "startsecs = 2",
            "startretries = 10",  # a part that cannot start (its database away) is retried, then left FATAL
            "stopasgroup = true",  # gunicorn's and granian's own worker processes go with their master
            "killasgroup = true",
            "stopwaitsecs = 20",  # gunicorn's graceful timeout is 10 s; a worker finishes the message in hand
        ]
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


class ScaleRefused(ValueError):
    pass


def set_replicas(var_dir: str | Path, part: str, replicas: int) -> None:
    """Set how many replicas of a worker the configuration asks for (``supervisorctl update`` applies it)."""
    path = config_path(var_dir)
    config = configparser.ConfigParser(interpolation=None)
    config.read(path)
    workers = sorted(s.removeprefix("program:") for s in config.sections()
                     if s.startswith("program:") and s.endswith(WORKER_SUFFIX))
    if part not in workers:
        raise ScaleRefused(f"{part} is not a worker: scale one of {', '.join(workers)}. A web part listens on one "
                           "port; its HTTP server's own worker processes serve it. A keeper (evaluation-figures) "
                           "holds its state in one process.")
    if replicas < 1:
        raise ScaleRefused(f"at least 1 replica; to stop them all: pacesetter-local ctl stop '{part}:*'")
    config[f"program:{part}"]["numprocs"] = str(replicas)
    with path.open("w") as out:
        config.write(out)
