"""Ops' scheduled jobs across the suite: one list gathered from every service, and "run now" sent to the
service that owns the job (its name's first part: ``pledge.mark_overdue`` → pledge-service).

Each service checks the caller's role again (the identity signed here travels along); the gateway checks
first (api/ops.py) so that a member's request never fans out. ``call(method, url, timeout) -> (status, body)``
is the HTTP call to a service as the caller (adapters/services.py).
"""
from __future__ import annotations

import logging
from typing import Callable
from urllib.parse import quote

from pacesetter_shared.i18n import _, term
from pacesetter_shared.web import NotFound
from pacesetter_shared.web.errors import ServiceUnavailable
from pacesetter_shared.web.ops import JobList

log = logging.getLogger(__name__)

LIST_TIMEOUT = 5  # seconds; a service that does not answer is named, the others still listed
RUN_TIMEOUT = 120  # a job runs while the request waits: its outcome is the answer

Call = Callable[[str, str, float], tuple[int, dict]]


def list_jobs(services: dict[str, str], call: Call) -> dict:
    """Every service's scheduled jobs and when each last ran; the services that did not answer, named."""
    items, unavailable = [], []
    for service, url in sorted(services.items()):
        try:
            status, body = call("GET", f"{url}/api/ops/jobs", LIST_TIMEOUT)
        except (OSError, ValueError) as exc:
            status, body = 0, {"error": str(exc)}
        if status == 200:
            items.extend(JobList().load(body)["items"])  # read back as values, to be written out once more
        else:
            log.warning("jobs of %s unavailable: %s %s", service, status, body)
            unavailable.append(service)
    return {"items": items, "total": len(items), "unavailable": unavailable}


def run_job(services: dict[str, str], job_name: str, call: Call) -> tuple[int, dict]:
    """Run a job now in the service that owns it: that service's answer (status, body), passed on as it is."""
    service = job_name.split(".", 1)[0]
    url = services.get(service)
    if url is None:
        raise NotFound(_("No scheduled job is called {name}.", name=job_name))
    try:
        return call("POST", f"{url}/api/ops/jobs/{quote(job_name, safe='')}/run", RUN_TIMEOUT)
    except (OSError, ValueError) as exc:
        log.warning("run of %s: %s unreachable: %s", job_name, service, exc)
        raise ServiceUnavailable(_("{service} is unavailable; other parts keep working.",
                                   service=term("service", service))) from None
