"""/api/ops: ops' scheduled jobs across the suite (定时任务). Thin views over service/ops.py; the role is checked
here first so that a member's request never fans out."""
from __future__ import annotations

import json

from flask import current_app, request

from pacesetter_shared.identity import IDENTITY_HEADER
from pacesetter_shared.web import Blueprint, current_identity
from pacesetter_shared.web.ops import JobRunOut, require_ops

from ..adapters.services import call_service
from ..schemas.ops import SuiteJobList
from ..service import ops

blp = Blueprint("ops", __name__, url_prefix="/api/ops", description="Scheduled jobs of every service (ops)")


def _call(method: str, url: str, timeout: float) -> tuple[int, dict]:
    """A call to a service as the caller: their signed identity, language and request id go along."""
    headers = {"Accept": "application/json", IDENTITY_HEADER: request.headers.get(IDENTITY_HEADER, ""),
               "Accept-Language": request.headers.get("Accept-Language", ""),
               "X-Request-ID": request.headers.get("X-Request-ID", "")}
    return call_service(method, url, headers, timeout)


def _services() -> dict[str, str]:
    return current_app.extensions["pacesetter"].settings.service_urls


@blp.route("/jobs", methods=["GET"])
@blp.response(200, SuiteJobList)
def list_jobs():
    """Ops: every service's scheduled jobs and when each last ran (定时任务)."""
    require_ops(current_identity())
    return ops.list_jobs(_services(), _call)


@blp.route("/jobs/<job_name>/run", methods=["POST"])
@blp.response(200, JobRunOut)
def run_job(job_name: str):
    """Ops: run a job now in the service that owns it; ``ok`` false with the message when it failed."""
    require_ops(current_identity())
    status, body = ops.run_job(_services(), job_name, _call)
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                      mimetype="application/json")
