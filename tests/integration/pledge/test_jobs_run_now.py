"""Ops runs a scheduled job now (#21 gap 10): through the service's API and with ``pacesetter-jobs``."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pacesetter_shared.db import job_runs_table
from pacesetter_shared.scheduler import PeriodicJob, Scheduler
from pledge_service.adapters.tables import pledges as pledges_table
from tests.support.services import OrgFixture, person, start_service

from .lifecycle import events, publish

OPS = person(name="运维", roles=[("ops_admin", None)])


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # people's dates, as the jobs count them


def _past_due(service, pledge_id: str) -> None:
    """A published pledge whose due date went by yesterday (the test cannot wait for it)."""
    with service.engine.begin() as conn:
        conn.execute(sa.update(pledges_table).where(pledges_table.c.id == pledge_id)
                     .values(due_date=today() - timedelta(days=1)))


def _state(service, org, pledge_id: str) -> str:
    return service.client.get(f"/api/pledges/{pledge_id}", headers=service.headers(org.member)).json["state"]


def test_ops_lists_the_jobs_and_runs_one_now(pledge_service, org):
    listed = pledge_service.client.get("/api/ops/jobs", headers=pledge_service.headers(OPS))
    assert listed.status_code == 200, listed.json
    jobs = {j["name"]: j for j in listed.json["items"]}
    assert set(jobs) == {"pledge.mark_overdue", "pledge.remind_due_soon", "pledge.overdue_lists",
                         "pledge.refresh_statistics"}
    assert jobs["pledge.mark_overdue"] == {"name": "pledge.mark_overdue", "service": "pledge", "every_seconds": 3600,
                                           "last_run_at": None}

    pledge = publish(pledge_service, org)
    _past_due(pledge_service, pledge["id"])
    assert _state(pledge_service, org, pledge["id"]) == "published"  # nobody ran the job yet
    ran = pledge_service.client.post("/api/ops/jobs/pledge.mark_overdue/run", headers=pledge_service.headers(OPS))
    assert ran.status_code == 200, ran.json
    assert ran.json["ok"] is True and ran.json["message"] == "1"  # one pledge marked
    assert _state(pledge_service, org, pledge["id"]) == "overdue"
    assert [e["pledge_id"] for e in events(pledge_service, "pledge.overdue")] == [pledge["id"]]

    again = pledge_service.client.get("/api/ops/jobs", headers=pledge_service.headers(OPS)).json
    last = {j["name"]: j["last_run_at"] for j in again["items"]}
    assert last["pledge.mark_overdue"] == ran.json["started_at"] and last["pledge.remind_due_soon"] is None


def test_only_ops_see_and_run_jobs_and_an_unknown_job_is_not_found(pledge_service, org):
    for who in (org.member, org.secretary, org.org):
        assert pledge_service.client.get("/api/ops/jobs", headers=pledge_service.headers(who)).status_code == 403
        refused = pledge_service.client.post("/api/ops/jobs/pledge.mark_overdue/run",
                                             headers=pledge_service.headers(who, **{"Accept-Language": "zh-CN"}))
        assert refused.status_code == 403
        assert refused.json["error"]["message"] == "只有运维管理员可以查看和运行定时任务。"
    unknown = pledge_service.client.post("/api/ops/jobs/pledge.no_such_job/run", headers=pledge_service.headers(OPS))
    assert unknown.status_code == 404 and "pledge.no_such_job" in unknown.json["error"]["message"]
    with pledge_service.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(job_runs_table)).scalar() == 0


def test_a_job_that_fails_says_why_and_its_run_is_kept(pledge_service):
    def broken(now):
        raise RuntimeError("the SMTP server said no")

    run = Scheduler(pledge_service.engine, [PeriodicJob("pledge.broken", 60, broken)]).run_now("pledge.broken", by="运维")
    assert (run.ok, run.message) == (False, "the SMTP server said no")
    with pledge_service.engine.connect() as conn:
        kept = conn.execute(sa.select(job_runs_table).where(job_runs_table.c.job == "pledge.broken")).one()
    assert kept.slot.startswith("manual:") and kept.claimed_by.startswith("运维 (")


def _cli(pledge_service, *args: str) -> subprocess.CompletedProcess:
    settings = pledge_service.settings
    env = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "BROKER_URL", "CLOCK_OFFSET"))}
    env |= {"PLEDGE_DATABASE_URL": settings.database_url, "PACESETTER_VAR_DIR": str(settings.var_dir),
            "LOG_JSON": "false"}
    return subprocess.run([sys.executable, "-m", "pacesetter_shared.jobs", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_pacesetter_jobs_runs_a_job_and_lists_when_it_ran(pledge_service, org):
    soon = publish(pledge_service, org, due_date=(today() + timedelta(days=3)).isoformat())
    before = _cli(pledge_service, "list")
    assert before.returncode == 0, before.stderr
    assert any(line.split()[:3] == ["pledge.remind_due_soon", "1h", "never"] for line in before.stdout.splitlines())

    ran = _cli(pledge_service, "run", "pledge.remind_due_soon")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "pledge.remind_due_soon: ok (1)"
    assert [(e["pledge_id"], e["days_left"]) for e in events(pledge_service, "pledge.due_soon")] == [(soon["id"], 3)]

    after = _cli(pledge_service, "list").stdout.splitlines()
    line = next(line for line in after if line.startswith("pledge.remind_due_soon "))
    assert "never" not in line and line.split()[2] == today().isoformat()  # Shanghai's date, as run


def test_pacesetter_jobs_names_the_jobs_when_it_knows_none_by_that_name(pledge_service):
    unknown = _cli(pledge_service, "run", "pledge.remind_everybody")
    assert unknown.returncode == 2
    assert "no scheduled job is called 'pledge.remind_everybody'" in unknown.stderr
    assert "pledge.mark_overdue" in unknown.stderr and "evaluation.close_due_rounds" in unknown.stderr


def test_pacesetter_jobs_runs_on_the_training_clock_on_the_embedded_data_only(pledge_service, make_settings, tmp_path):
    embedded = start_service("pledge", f"sqlite:///{tmp_path}/pledge.sqlite", make_settings)
    try:
        org = OrgFixture(embedded)
        pledge = publish(embedded, org, due_date=(today() + timedelta(days=2)).isoformat())
        on_time = _cli(embedded, "run", "pledge.mark_overdue")
        assert on_time.stdout.strip() == "pledge.mark_overdue: ok (0)", on_time.stderr
        ahead = _cli(embedded, "--clock-offset", "5d", "run", "pledge.mark_overdue")
        assert ahead.stdout.strip() == "pledge.mark_overdue: ok (1)", ahead.stderr
        assert _state(embedded, org, pledge["id"]) == "overdue"
        with embedded.engine.connect() as conn:
            runs = conn.execute(sa.select(job_runs_table.c.claimed_at).order_by(job_runs_table.c.claimed_at)).scalars()
            first, second = list(runs)
        assert timedelta(days=5) - timedelta(minutes=1) < second - first < timedelta(days=5) + timedelta(minutes=1)
    finally:
        embedded.engine.dispose()

    refused = _cli(pledge_service, "--clock-offset", "5d", "list")  # PostgreSQL: a deployment's database
    assert refused.returncode == 2 and "CLOCK_OFFSET='5d' refused" in refused.stderr and not refused.stdout
