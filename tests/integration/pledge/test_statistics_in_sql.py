"""The figures counted in SQL (issue 24: a branch's year of a million pledges as objects took the worker to 3 GB)
are the domain's rule (statistics.count_pledges, annual_pledgers), on pledges of every state, kind, mode and area,
fulfilled on either side of midnight in Shanghai, drawn at random several times, in PostgreSQL and in the embedded
mode's SQLite."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from pledge_service.adapters.repository import PledgeRepository
from pledge_service.domain.model import LeadArea, Pledge, PledgeKind, PledgeMode, PledgeState
from pledge_service.domain.statistics import Member, annual_pledgers, count_pledges, statistics_of, unit_statistics
from pledge_service.service.pledges import compute_statistics
from tests.support.services import start_service

YEAR = 2026


def _varied_pledges(unit: uuid.UUID, other_unit: uuid.UUID, members: list[uuid.UUID], seed: int) -> list[Pledge]:
    draw = random.Random(seed)
    found = []
    for n in range(400):
        pledger_kind = "unit" if n % 11 == 0 else "member"
        mode = PledgeMode.INDIVIDUAL if pledger_kind == "unit" else draw.choice(list(PledgeMode))
        due = date(YEAR, draw.randint(1, 12), draw.randint(1, 28))
        # fulfilled around midnight in Shanghai on the due date or the day after (16:00 UTC is midnight there)
        fulfilled = (datetime(due.year, due.month, due.day, 15, 30, tzinfo=timezone.utc)
                     + timedelta(days=draw.choice((-1, 0, 1)), minutes=draw.choice((0, 29, 31, 60)))
                     if draw.random() < 0.6 else None)
        pledger = draw.choice(members) if pledger_kind == "member" else unit
        found.append(Pledge(
            id=uuid.uuid4(), pledger_kind=pledger_kind, pledger_id=pledger,
            unit_id=other_unit if n % 13 == 0 else unit, kind=draw.choice(list(PledgeKind)), mode=mode,
            title=f"承诺{n}", content="内容", due_date=due, year=YEAR - 1 if n % 17 == 0 else YEAR,
            areas=draw.sample(list(LeadArea), draw.randint(0, 3)),
            participant_ids=draw.sample(members, draw.randint(0, 3)) + ([pledger] if n % 5 == 0 else []),
            state=draw.choice(list(PledgeState)), created_at=datetime(YEAR, 1, 2, tzinfo=timezone.utc),
            fulfilled_at=fulfilled, progress_count=n % 4))
    return found


@pytest.fixture(params=["postgresql", "sqlite"])
def service(request, fresh_database, make_settings, tmp_path):
    url = fresh_database("pledge") if request.param == "postgresql" else f"sqlite:///{tmp_path}/pledge.sqlite"
    started = start_service("pledge", url, make_settings)
    yield started
    started.engine.dispose()


@pytest.mark.parametrize("seed", [24, 7, 2026])
def test_the_counts_in_sql_are_the_domains_own(service, seed):
    unit, other_unit = uuid.uuid4(), uuid.uuid4()
    members = [uuid.uuid4() for _ in range(12)]
    pledges = _varied_pledges(unit, other_unit, members, seed)
    with service.uow_factory() as uow:
        repo = PledgeRepository(uow.session)
        for pledge in pledges:
            repo.add(pledge)
    now = datetime.now(timezone.utc)
    people = [Member(m, "full" if i % 4 else "probationary") for i, m in enumerate(members[:10])]
    with service.uow_factory() as uow:
        repo = PledgeRepository(uow.session)
        stored = [repo.get(pledge.id) for pledge in pledges]  # as the database gives them back
        assert repo.annual_pledgers_by_unit([unit, other_unit], YEAR) == {
            u: annual_pledgers([p for p in stored if p.unit_id == u], YEAR) for u in (unit, other_unit)}
        for unit_ids in ([unit], [unit, other_unit]):
            loaded = [p for p in stored if p.unit_id in unit_ids]
            counts = repo.counts_in_units_year(unit_ids, YEAR)
            assert counts == count_pledges(YEAR, loaded)
            assert statistics_of(unit, YEAR, counts, people, now) == unit_statistics(unit, YEAR, loaded, people, now)
        # the data set is varied enough to tell a wrong rule: each figure is neither none nor all
        assert 0 < counts.fulfilled_on_time < counts.fulfilled < counts.total
        assert 0 < counts.overdue < counts.total and counts.annual_pledgers and counts.annual_pledgers <= set(members)
        assert all(0 < by_area < counts.total for by_area in counts.by_area.values())
        # and compute_statistics, which every change and the daily refresh announce, counts the same way
        assert compute_statistics(uow, unit, YEAR, now).pledges_total == count_pledges(
            YEAR, [p for p in stored if p.unit_id == unit]).total
