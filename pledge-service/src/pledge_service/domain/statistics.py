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
    name: str = ""  # for the lists people read (未承诺名单)
    unit_id: uuid.UUID | None = None  # the branch or party group (党小组) the member belongs to

    def exemption(self, year: int) -> dict | None:
        """The member's exemption from pledging that year (免于承诺: 年老体弱), if any."""
        return next((e for e in self.exemptions if e.get("year") == year), None)

    def is_expected_to_pledge(self, year: int) -> bool:
        """Party members pledge every year unless exempted that year for age or health (免于承诺)."""
        return self.member_status in PARTY_MEMBER_STATUSES and self.exemption(year) is None


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


def annual_pledgers(pledges: list[Pledge], year: int) -> set[uuid.UUID]:
    """The members with an annual pledge of the year made before their unit (not a draft, returned or
    withdrawn one); a collective pledge is every participant's pledge (党员集体承诺)."""
    pledgers: set[uuid.UUID] = set()
    for p in pledges:
        if (p.kind is PledgeKind.ANNUAL and p.pledger_kind == "member" and p.year == year
                and p.state not in NOT_COUNTED):
            pledgers |= {p.pledger_id, *p.participants}
    return pledgers


@dataclass(frozen=True)
class PledgeGaps:
    """Who has not pledged (未承诺名单): the party members expected to make an annual pledge that year who have
    none, and apart from them those exempted that year (免于承诺), who are never counted as missing."""

    expected: int  # the members expected to pledge (the base of 人人承诺)
    missing: list[Member]
    exempted: list[Member]


def pledge_gaps(year: int, pledgers: set[uuid.UUID], members: list[Member]) -> PledgeGaps:
    """Members by name; ``pledgers`` are the year's annual pledgers as the statistics count them (annual_pledgers:
    collective pledges' participants have pledged)."""
    party = sorted((m for m in members if m.member_status in PARTY_MEMBER_STATUSES), key=lambda m: (m.name, str(m.id)))
    expected = [m for m in party if m.is_expected_to_pledge(year)]
    return PledgeGaps(expected=len(expected), missing=[m for m in expected if m.id not in pledgers],
                      exempted=[m for m in party if m.exemption(year) is not None])


@dataclass(frozen=True)
class PledgeCounts:
    """What the figures need of a unit-year's counted pledges (not drafts, returned or withdrawn): counts and the
    annual pledgers, which the repository adds up where the pledges are kept (a branch may have a million)."""

    total: int
    fulfilled: int
    fulfilled_on_time: int
    overdue: int
    by_area: dict[str, int]
    annual_pledgers: set[uuid.UUID]


def count_pledges(year: int, pledges: list[Pledge]) -> PledgeCounts:
    """The rule of the figures (承诺统计), stated once: the repository works exactly this out in SQL where the
    pledges are kept (counts_in_units_year, annual_pledgers_by_unit), and tests give both the same pledges."""
    counted = [p for p in pledges if p.state not in NOT_COUNTED and p.year == year]
    by_area = {a.value: 0 for a in LeadArea}
    for p in counted:
        for area in p.areas:
            by_area[area.value] += 1
    return PledgeCounts(total=len(counted), fulfilled=sum(fulfilled(p) for p in counted),
                        fulfilled_on_time=sum(fulfilled_on_time(p) for p in counted),
                        overdue=sum(p.state is PledgeState.OVERDUE for p in counted), by_area=by_area,
                        annual_pledgers=annual_pledgers(counted, year))


def unit_statistics(unit_id: uuid.UUID, year: int, pledges: list[Pledge], members: list[Member],
                    now: datetime) -> UnitStatistics:
    return statistics_of(unit_id, year, count_pledges(year, pledges), members, now)


def statistics_of(unit_id: uuid.UUID, year: int, counts: PledgeCounts, members: list[Member],
                  now: datetime) -> UnitStatistics:
    expected = {m.id for m in members if m.is_expected_to_pledge(year)}
    return UnitStatistics(
        unit_id=unit_id, year=year, members_expected=len(expected),
        members_with_annual_pledge=len(counts.annual_pledgers & expected), pledges_total=counts.total,
        fulfilled=counts.fulfilled, fulfilled_on_time=counts.fulfilled_on_time, overdue=counts.overdue,
        by_area=dict(counts.by_area), as_of=now)


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
