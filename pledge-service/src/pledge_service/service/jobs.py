"""Scheduled supervision (督促检查): due-soon and overdue reminders, the weekly overdue list per branch.

Each reminder is claimed in the ``reminders`` table in the same transaction as its event, one
pledge (or branch) per transaction: a second worker running the same job at the same moment
waits on the key, then finds it taken and sends nothing.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial

from pacesetter_shared.scheduler import PeriodicJob
from pacesetter_shared.uow import UnitOfWorkFactory

from ..adapters.repository import PledgeRepository
from ..domain.model import PledgeState
from ..domain.statistics import iso_week
from . import pledges

# The due-soon reminder goes this many days before the due date. PLEDGE_DUE_SOON_DAYS is not yet
# among the documented settings (shared config VARIABLES), so the policy default is fixed here.
DUE_SOON_DAYS = 7
HOURLY = 3600
DAILY = 24 * HOURLY


def remind_due_soon(uow_factory: UnitOfWorkFactory, now: datetime, days: int = DUE_SOON_DAYS) -> int:
    """pledge.due_soon once per published pledge whose due date is within ``days``."""
    today = pledges.today_in_china(now)
    with uow_factory() as uow:
        candidates = PledgeRepository(uow.session).ids_in_state(PledgeState.PUBLISHED,
                                                                due_until=today + timedelta(days=days))
    sent = 0
    for pledge_id in candidates:
        with uow_factory() as uow:
            repo = PledgeRepository(uow.session)
            pledge = repo.get(pledge_id)
            if pledge is None or not pledge.is_due_soon(today, days):
                continue
            if repo.claim_reminder(pledge.id, "due_soon", now):
                uow.record("pledge.due_soon", pledge.id,
                           pledges.pledge_facts(pledge, None) | {"days_left": (pledge.due_date - today).days})
                sent += 1
    return sent


def mark_overdue(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Published pledges past their due date become overdue, and the pledger hears it once (pledge.overdue)."""
    today = pledges.today_in_china(now)
    with uow_factory() as uow:
        candidates = PledgeRepository(uow.session).ids_in_state(PledgeState.PUBLISHED, due_before=today)
    marked = 0
    for pledge_id in candidates:
        with uow_factory() as uow:
            repo = PledgeRepository(uow.session)
            pledge = repo.get(pledge_id, for_update=True)
            if pledge is None or not pledge.is_past_due(today) or not repo.claim_reminder(pledge.id, "overdue", now):
                continue
            pledge.apply("mark_overdue", pledges.SYSTEM_ACTOR, now)
            repo.save(pledge)
            uow.record("pledge.overdue", pledge.id, pledges.pledge_facts(pledge, None))
            pledges.record_statistics(uow, pledge.unit_id, pledge.year)
            marked += 1
    return marked


def send_overdue_lists(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Each branch with overdue pledges gets one list a week (ISO week, Shanghai) for its secretary."""
    week = iso_week(pledges.today_in_china(now))
    by_branch: dict[uuid.UUID, list] = defaultdict(list)
    with uow_factory() as uow:
        repo = PledgeRepository(uow.session)
        for pledge_id in repo.ids_in_state(PledgeState.OVERDUE):
            pledge = repo.get(pledge_id)
            by_branch[pledge.unit_id].append(pledge)
    sent = 0
    for unit_id, overdue in by_branch.items():
        with uow_factory() as uow:
            if not PledgeRepository(uow.session).claim_reminder(unit_id, f"overdue_list:{week}", now):
                continue
            uow.record("pledge.overdue_list", unit_id, {"unit_id": unit_id, "week": week, "pledges": [
                {"pledge_id": p.id, "pledger_kind": p.pledger_kind, "pledger_id": p.pledger_id, "title": p.title,
                 "due_date": p.due_date} for p in sorted(overdue, key=lambda p: (p.due_date, str(p.id)))]})
            sent += 1
    return sent


def refresh_statistics(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Re-announce the figures of every unit with pledges this year or later: exemptions change in the
    directory without any pledge changing state. A repeat is harmless: grading keeps the newest ``as_of``."""
    with uow_factory() as uow:
        unit_years = PledgeRepository(uow.session).unit_years(since=pledges.today_in_china(now).year)
    for unit_id, year in unit_years:
        with uow_factory() as uow:
            pledges.record_statistics(uow, unit_id, year)
    return len(unit_years)


def build_jobs(uow_factory: UnitOfWorkFactory, due_soon_days: int = DUE_SOON_DAYS) -> list[PeriodicJob]:
    # Hourly, and each catches up on everything due: a slot lost to a restart costs nothing.
    return [
        PeriodicJob("pledge.mark_overdue", HOURLY, partial(mark_overdue, uow_factory)),
        PeriodicJob("pledge.remind_due_soon", HOURLY, partial(remind_due_soon, uow_factory, days=due_soon_days)),
        PeriodicJob("pledge.overdue_lists", HOURLY, partial(send_overdue_lists, uow_factory)),
        PeriodicJob("pledge.refresh_statistics", DAILY, partial(refresh_statistics, uow_factory)),
    ]
