"""Ops' scheduled jobs across the suite: one list gathered from every service, and "run now" sent to the
service that owns the job (its name's first part: ``pledge.mark_overdue`` → pledge-service).

Each service checks the caller's role again (the identity signed here travels along); the gateway checks
first so that a member's request never fans out.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import quote

from flask import current_app, request

from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import IDENTITY_HEADER
from pacesetter_shared.web import Blueprint, NotFound, current_identity, fields
from pacesetter_shared.web.errors import ServiceUnavailable
from pacesetter_shared.web.ops import JobList, JobRunOut, require_ops

log = logging.getLogger(__name__)

ops_blp = Blueprint("ops", __name__, url_prefix="/api/ops", description="Scheduled jobs of every service (ops)")

LIST_TIMEOUT = 5  # seconds; a service that does not answer is named, the others still listed
RUN_TIMEOUT = 120  # a job runs while the request waits: its outcome is the answer


class SuiteJobList(JobList):
    unavailable = fields.List(fields.String(), metadata={"description": "Services that did not answer"})


def _call(method: str, url: str, timeout: float) -> tuple[int, dict]:
    headers = {"Accept": "application/json", IDENTITY_HEADER: request.headers.get(IDENTITY_HEADER, ""),
               "Accept-Language": request.headers.get("Accept-Language", ""),
               "X-Request-ID": request.headers.get("X-Request-ID", "")}
    call = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:  # the service's own answer (403, 404): passed on as it is
        return exc.code, json.load(exc)


def _services() -> dict[str, str]:
    return current_app.extensions["pacesetter"].settings.service_urls


@ops_blp.route("/jobs", methods=["GET"])
@ops_blp.response(200, SuiteJobList)
def list_jobs():
    """Ops: every service's scheduled jobs and when each last ran (定时任务)."""
    require_ops(current_identity())
    items, unavailable = [], []
    for service, url in sorted(_services().items()):
        try:
            status, body = _call("GET", f"{url}/api/ops/jobs", LIST_TIMEOUT)
        except (OSError, ValueError) as exc:
            status, body = 0, {"error": str(exc)}
        if status == 200:
            items.extend(JobList().load(body)["items"])  # read back as values, to be written out once more
        else:
            log.warning("jobs of %s unavailable: %s %s", service, status, body)
            unavailable.append(service)
    return {"items": items, "total": len(items), "unavailable": unavailable}


@ops_blp.route("/jobs/<job_name>/run", methods=["POST"])
@ops_blp.response(200, JobRunOut)
def run_job(job_name: str):
    """Ops: run a job now in the service that owns it; ``ok`` false with the message when it failed."""
    require_ops(current_identity())
    service = job_name.split(".", 1)[0]
    url = _services().get(service)
    if url is None:
        raise NotFound(_("No scheduled job is called {name}.", name=job_name))
    try:
        status, body = _call("POST", f"{url}/api/ops/jobs/{quote(job_name, safe='')}/run", RUN_TIMEOUT)
    except (OSError, ValueError) as exc:
        log.warning("run of %s: %s unreachable: %s", job_name, service, exc)
        raise ServiceUnavailable(_("{service} is unavailable; other parts keep working.",
                                   service=term("service", service))) from None
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                      mimetype="application/json")
