"""Ops' view of a service's scheduled jobs (定时任务): which there are, when each last ran, and "run now".

The jobs are the ones the service's worker schedules (its ``scheduled_jobs``), run here in the web
process against the same database and clock: a training session or a repair need not wait for the
next slot. The gateway gathers every service's list under ``/api/ops/jobs`` and sends a run to the
service that owns the job (its name's first part).
"""
from __future__ import annotations

from marshmallow import Schema

from ..i18n import _
from ..identity import Identity
from ..scheduler import JobsFactory, Scheduler, UnknownJob
from . import fields
from .app import ServiceApp
from .errors import Forbidden, NotFound
from .security import current_identity
from .strict import Blueprint


class JobOut(Schema):
    name = fields.String(metadata={"description": "service.job, e.g. pledge.mark_overdue"})
    service = fields.String()
    every_seconds = fields.Integer()
    last_run_at = fields.DateTime(allow_none=True, metadata={"description": "Last start, scheduled or by hand (UTC)"})


class JobList(Schema):
    items = fields.List(fields.Nested(JobOut))
    total = fields.Integer()


class JobRunOut(Schema):
    job = fields.String()
    ok = fields.Boolean()
    message = fields.String(metadata={"description": "What the job returned, or why it failed"})
    started_at = fields.DateTime()


def require_ops(identity: Identity) -> None:
    if not identity.has_role("ops_admin"):
        raise Forbidden(_("Only ops may see and run the scheduled jobs."))


def install_jobs_api(service: ServiceApp, jobs: JobsFactory) -> None:
    """``GET /api/ops/jobs`` and ``POST /api/ops/jobs/<name>/run`` for this service's jobs (ops_admin only)."""
    scheduler = Scheduler(service.engine, jobs(service.uow_factory))
    name = service.settings.service
    blp = Blueprint(f"ops_{name}", __name__, url_prefix="/api/ops/jobs",
                    description="Scheduled jobs: list and run now (ops)")

    @blp.route("", methods=["GET"])
    @blp.response(200, JobList)
    def list_jobs():
        """Ops: this service's scheduled jobs and when each last ran."""
        require_ops(current_identity())
        last = scheduler.last_runs()
        items = [{"name": job.name, "service": name, "every_seconds": job.every_seconds,
                  "last_run_at": last.get(job.name)} for job in scheduler.jobs]
        return {"items": items, "total": len(items)}

    @blp.route("/<job_name>/run", methods=["POST"])
    @blp.response(200, JobRunOut)
    def run_job(job_name: str):
        """Ops: run a job now; ``ok`` false with the error's message when it failed."""
        identity = current_identity()
        require_ops(identity)
        try:
            run = scheduler.run_now(job_name, by=identity.name or identity.subject)
        except UnknownJob:
            raise NotFound(_("No scheduled job is called {name}.", name=job_name)) from None
        return {"job": run.job, "ok": run.ok, "message": run.message, "started_at": run.started_at}

    service.api.register_blueprint(blp)
