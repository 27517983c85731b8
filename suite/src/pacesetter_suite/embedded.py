"""``make run``: every service and worker in one process, SQLite files, kombu's SQLAlchemy transport.

Data (and undelivered messages) live in ``var/`` and survive a restart. Ctrl-C stops cleanly:
the HTTP servers stop accepting, each worker finishes the message in hand.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from pacesetter_shared import clock
from pacesetter_shared.config import SERVICE_PREFIXES, load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory

from .banner import banner
from .services import SERVICES, configured_ports

log = logging.getLogger("pacesetter")
CHINA = ZoneInfo("Asia/Shanghai")

TRAINING_BANNER = """  Training mode (培训模式): the clock runs {offset} from the real time; the suite's time is {now}
  (Asia/Shanghai). Data made now keeps these dates: train on a var directory of its own.
"""


class _Handler(WSGIRequestHandler):
    def version_string(self) -> str:
        # Werkzeug's own says "Werkzeug/3.1.9 Python/3.11.2": which known holes to try, to anyone who asks.
        return "pacesetter"


def http_server(app, host: str, port: int) -> BaseWSGIServer:
    """The embedded mode's HTTP server for one app (werkzeug's, threaded), naming no version."""
    return make_server(host, port, app, threaded=True, request_handler=_Handler)


def _span(text: str) -> str:
    try:
        clock.parse_offset(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _arguments():
    parser = argparse.ArgumentParser(prog="pacesetter-embedded", description="Every service in one process (SQLite).")
    parser.add_argument("--demo-activity", action="store_true", help="a half year of ratings for the dashboards")
    parser.add_argument("--clock-offset", metavar="SPAN", type=_span,
                        help="training: run this far ahead of the real time (7d, 12h, 1d12h, 90m; -3d behind), so "
                             "reminders, overdue pledges, escalations and the end of 公示 show without waiting")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if args.clock_offset:
        os.environ["CLOCK_OFFSET"] = args.clock_offset  # every service's settings see it (the portal's banner too)
    os.environ.setdefault("LOG_JSON", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # one process and little data: a newcomer's rating shows on the dashboards at once
    os.environ.setdefault("DISCLOSURE_REFRESH_SECONDS", "0")
    if args.demo_activity:
        # the demo's kiosks send their half year of ratings at once, as if offline all that time (48 h otherwise)
        os.environ.setdefault("EVALUATION_RATING_MAX_AGE_KIOSK", "200d")
    host = os.environ.get("PACESETTER_HOST", "127.0.0.1")
    ports = configured_ports(os.environ)
    for name, port in ports.items():
        if name != "gateway":
            os.environ.setdefault(f"{SERVICE_PREFIXES[name]}_URL", f"http://127.0.0.1:{port}")
    settings = {s.name: load_settings(s.name) for s in SERVICES}
    offset = settings["gateway"].clock_offset
    if offset is not None:
        clock.shift(offset)  # before anything reads the time: every thread started below sees the shifted one
    for entry in SERVICES:
        entry.migrate(settings[entry.name])

    from gateway.service.demo import seed
    gateway_settings = settings["gateway"]
    seed(UnitOfWorkFactory(make_session_factory(make_engine(gateway_settings.database_url)), "gateway"))

    servers, workers = [], []
    for entry in SERVICES:
        app = entry.create_app(settings[entry.name])
        server = http_server(app, host if entry.name == "gateway" else "127.0.0.1", ports[entry.name])
        servers.append(server)
        threading.Thread(target=server.serve_forever, name=f"{entry.name}-http", daemon=True).start()
        workers.append(entry.build_worker(settings[entry.name]).start())
        workers += [entry.build_keeper(keeper, settings[entry.name]).start() for keeper in entry.keepers]

    if args.demo_activity:  # make run: a year of activity for the dashboards, once
        from gateway.service.demo_activity import run_in_background
        run_in_background(f"http://127.0.0.1:{ports['gateway']}")
    print(banner("embedded mode", ports["gateway"], f"  Data lives in {gateway_settings.var_dir}. Press Ctrl-C to stop."),
          flush=True)
    if offset is not None:
        print(TRAINING_BANNER.format(offset=clock.describe(offset),
                                     now=datetime.now(CHINA).strftime("%Y-%m-%d %H:%M")), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    # Not stop.wait(): the kernel may hand the signal to another thread, and then nothing wakes the main thread
    # from a lock to run the handler (a suite under load once ignored Ctrl-C so). A sleep ends, and the handler
    # then runs; the main thread never holds the Event's lock, which the handler takes.
    while not stop.is_set():
        time.sleep(0.5)
    print("stopping…", file=sys.stderr, flush=True)
    for server in servers:
        server.shutdown()
    stopping = [threading.Thread(target=worker.stop) for worker in workers]
    for thread in stopping:
        thread.start()
    for thread in stopping:
        thread.join()


if __name__ == "__main__":
    main()
