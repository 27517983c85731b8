"""The factories granian calls in each of its worker processes in the local shape (``pacesetter_suite.served:gateway``
for ``gateway.app:create_app``): the service's app, and a watch on granian's master.

A master killed (or lost) leaves granian's workers behind, still serving its port beside the master supervisord starts
again, and out of reach of its ``stop``; gunicorn's workers leave by themselves when their master goes, these now too.
"""
from __future__ import annotations

import os
import signal
import threading
import time

from .services import SERVICES

_BY_PACKAGE = {entry.package: entry for entry in SERVICES}
GRACE_SECONDS = 10


def _leave_with_master() -> None:
    master = os.getppid()

    def watch():
        while os.getppid() == master:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)  # granian's worker stops as when its master stops it…
        time.sleep(GRACE_SECONDS)
        os.kill(os.getpid(), signal.SIGKILL)  # …unless it waits on a kept-alive connection that no one closes

    threading.Thread(target=watch, name="master-watch", daemon=True).start()


def __getattr__(package: str):
    entry = _BY_PACKAGE.get(package)
    if entry is None:
        raise AttributeError(package)

    def create_app():
        _leave_with_master()
        return entry.create_app(None)  # its settings from the environment, as its own factory takes them

    return create_app
