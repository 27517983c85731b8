"""Reminders (督促提醒): each once per pledge and threshold, even with two workers racing on PostgreSQL."""
from __future__ import annotations

import threading
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from pacesetter_shared.scheduler import Scheduler
from pledge_service.service.jobs import build_jobs, mark_overdue, remind_due_soon, send_overdue_lists

from .lifecycle import NEXT_YEAR_END, events, publish

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at_shanghai(day, hour=9) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI).astimezone(timezone.utc)


def race(*runs):
    """Start every run at the same moment in its own thread; return what each returned."""
    barrier, results = threading.Barrier(len(runs)), [None] * len(runs)

    def go(i, run):
        barrier.wait()
        results[i] = run()

    threads = [threading.Thread(target=go, args=(i, run)) for i, run in enumerate(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def many_pledges(service, org, count=6):
    mine = [publish(service, org, title=f"承诺{i}") for i in range(count)]
    other = [publish(service, org, pledger=org.outsider_reviewer, reviewer=org.outsider_reviewer, title="机关承诺")]
    return mine + other


def test_due_soon_goes_once_per_pledge_with_two_workers_at_once(pledge_service, org):
    pledges = many_pledges(pledge_service, org)
    later = publish(pledge_service, org, due_date=(NEXT_YEAR_END + timedelta(days=400)).isoformat())
    now = at_shanghai(NEXT_YEAR_END - timedelta(days=3))
    sent = race(lambda: remind_due_soon(pledge_service.uow_factory, now),
                lambda: remind_due_soon(pledge_service.uow_factory, now))
    assert sum(sent) == len(pledges)
    reminded = events(pledge_service, "pledge.due_soon")
    assert sorted(e["pledge_id"] for e in reminded) == sorted(p["id"] for p in pledges)
    assert {e["days_left"] for e in reminded} == {3} and later["id"] not in {e["pledge_id"] for e in reminded}
    # A day later nothing new: the threshold was reached once.
    assert remind_due_soon(pledge_service.uow_factory, now + timedelta(days=1)) == 0


def test_due_soon_waits_for_the_configured_window(pledge_service, org):
    publish(pledge_service, org)
    eight_days_before = at_shanghai(NEXT_YEAR_END - timedelta(days=8))
    assert remind_due_soon(pledge_service.uow_factory, eight_days_before) == 0
    assert remind_due_soon(pledge_service.uow_factory, eight_days_before, days=10) == 1


def test_overdue_is_marked_and_told_once_with_two_workers_at_once(pledge_service, org):
    pledges = many_pledges(pledge_service, org)
    fulfilled = publish(pledge_service, org)
    pledge_service.client.post(f"/api/pledges/{fulfilled['id']}/fulfil", json={},
                               headers=pledge_service.headers(org.member))
    now = at_shanghai(NEXT_YEAR_END + timedelta(days=1))
    marked = race(lambda: mark_overdue(pledge_service.uow_factory, now),
                  lambda: mark_overdue(pledge_service.uow_factory, now))
    assert sum(marked) == len(pledges)
    assert sorted(e["pledge_id"] for e in events(pledge_service, "pledge.overdue")) == sorted(p["id"] for p in pledges)
    one = pledge_service.client.get(f"/api/pledges/{pledges[0]['id']}", headers=pledge_service.headers(org.member)).json
    assert one["state"] == "overdue"
    assert [t["action"] for t in one["history"]].count("mark_overdue") == 1
    # Not overdue on the due date itself (Shanghai), and a fulfilled pledge never is.
    assert mark_overdue(pledge_service.uow_factory, now) == 0
    assert pledge_service.client.get(f"/api/pledges/{fulfilled['id']}",
                                     headers=pledge_service.headers(org.member)).json["state"] == "fulfilled"


def test_the_due_date_itself_is_not_overdue(pledge_service, org):
    publish(pledge_service, org)
    assert mark_overdue(pledge_service.uow_factory, at_shanghai(NEXT_YEAR_END, hour=23)) == 0
    assert events(pledge_service, "pledge.overdue") == []


def test_the_weekly_overdue_list_goes_once_per_branch_and_week(pledge_service, org):
    pledges = many_pledges(pledge_service, org, count=3)
    now = at_shanghai(NEXT_YEAR_END + timedelta(days=1))
    mark_overdue(pledge_service.uow_factory, now)
    sent = race(lambda: send_overdue_lists(pledge_service.uow_factory, now),
                lambda: send_overdue_lists(pledge_service.uow_factory, now))
    assert sum(sent) == 2
    lists = {e["unit_id"]: e for e in events(pledge_service, "pledge.overdue_list")}
    assert set(lists) == {str(org.branch), str(org.other_branch)}
    assert sorted(p["pledge_id"] for p in lists[str(org.branch)]["pledges"]) == sorted(p["id"] for p in pledges[:3])
    assert send_overdue_lists(pledge_service.uow_factory, now + timedelta(hours=1)) == 0
    assert send_overdue_lists(pledge_service.uow_factory, now + timedelta(days=7)) == 2
    assert len(events(pledge_service, "pledge.overdue_list")) == 4


def test_two_schedulers_racing_run_each_job_once_and_send_each_reminder_once(pledge_service, org):
    pledges = many_pledges(pledge_service, org, count=4)
    now = at_shanghai(NEXT_YEAR_END + timedelta(days=1))
    schedulers = [Scheduler(pledge_service.engine, build_jobs(pledge_service.uow_factory), clock=lambda: now)
                  for _ in range(2)]
    ran = race(schedulers[0].run_due, schedulers[1].run_due)
    assert sorted(ran[0] + ran[1]) == ["pledge.mark_overdue", "pledge.overdue_lists", "pledge.refresh_statistics",
                                      "pledge.remind_due_soon"]
    assert len(events(pledge_service, "pledge.overdue")) == len(pledges)
    # The list may have gone out while the other scheduler was still marking (then it holds nothing yet, and goes
    # the next week): never twice for a branch, and only for branches that have overdue pledges.
    units = [e["unit_id"] for e in events(pledge_service, "pledge.overdue_list")]
    assert len(units) == len(set(units))
    assert set(units) <= {str(org.branch), str(org.other_branch)}
    # The same slot again, on either replica: nothing runs.
    assert race(schedulers[0].run_due, schedulers[1].run_due) == [[], []]
