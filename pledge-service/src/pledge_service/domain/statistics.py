"""A unit's pledge figures for a year (承诺统计), the input of 工作业绩 in grading."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .model import LeadArea, Pledge, PledgeKind, PledgeState

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARTY_MEMBER_STATUSES = ("full", "probationary")
# Drafts, returned and withdrawn pledges were never made before the unit (not yet or no longer).
NOT_COUNTED = frozenset({PledgeState.DRAFT, PledgeState.RETURNED, PledgeState.WITHDRAWN})


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    member_status: str
    exemptions: list[dict] = field(default_factory=list)  # [{"year": 2026, "reason": "age"}]

    def is_expected_to_pledge(self, year: int) -> bool:
        """Party members pledge every year unless exempted that year for age or health (免于承诺)."""
        return (self.member_status in PARTY_MEMBER_STATUSES
                and not any(e.get("year") == year for e in self.exemptions))


@dataclass(frozen=True)
class UnitStatistics:
    unit_id: uuid.UUID
    year: int
    members_expected: int
    members_with_annual_pledge: int
    pledges_total: int
    fulfilled: int
    fulfilled_on_time: int
    overdue: int
    by_area: dict[str, int]
    as_of: datetime


def fulfilled(pledge: Pledge) -> bool:
    # By the pledger's declaration, not the state: a result may arrive before it (evaluated, never fulfilled).
    return pledge.fulfilled_at is not None


def fulfilled_on_time(pledge: Pledge) -> bool:
    return fulfilled(pledge) and pledge.fulfilled_at.astimezone(SHANGHAI).date() <= pledge.due_date


def unit_statistics(unit_id: uuid.UUID, year: int, pledges: list[Pledge], members: list[Member],
                    now: datetime) -> UnitStatistics:
    counted = [p for p in pledges if p.state not in NOT_COUNTED and p.year == year]
    expected = {m.id for m in members if m.is_expected_to_pledge(year)}
    pledgers: set[uuid.UUID] = set()
    for p in counted:
        if p.kind is PledgeKind.ANNUAL and p.pledger_kind == "member":
            # A collective pledge is every participant's pledge (党员集体承诺).
            pledgers |= {p.pledger_id, *p.participants}
    by_area = {a.value: 0 for a in LeadArea}
    for p in counted:
        for area in p.areas:
            by_area[area.value] += 1
    return UnitStatistics(
        unit_id=unit_id, year=year, members_expected=len(expected),
        members_with_annual_pledge=len(pledgers & expected), pledges_total=len(counted),
        fulfilled=sum(fulfilled(p) for p in counted),
        fulfilled_on_time=sum(fulfilled_on_time(p) for p in counted),
        overdue=sum(p.state is PledgeState.OVERDUE for p in counted), by_area=by_area, as_of=now)



def coverage_percent(stats: UnitStatistics) -> float | None:
    """人人承诺: the share of members expected to pledge who made an annual pledge; None with nobody expected."""
    if not stats.members_expected:
        return None
    return round(100 * min(stats.members_with_annual_pledge, stats.members_expected) / stats.members_expected, 1)


def fulfilment_percent(stats: UnitStatistics) -> float | None:
    """践诺: the share of the year's pledges declared fulfilled; None with no pledge."""
    if not stats.pledges_total:
        return None
    return round(100 * stats.fulfilled / stats.pledges_total, 1)

def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
