"""The ledger's export reads a few units' pledges each in the index's order and lets PostgreSQL merge them (issue 24:
sorting a branch's million pledges first took longer than the rest of the export): the rows and their order are
the ledger's pages', for units whose pledges interleave, with ties on the due date and the moment made, with a
filter, and past the number of units read one query each."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy import event

from pledge_service.adapters import repository
from pledge_service.adapters.repository import PledgeRepository
from pledge_service.adapters.tables import pledges

YEAR = 2031


def _interleaved(units: list[uuid.UUID]) -> list[dict]:
    draw = random.Random(24)
    # 23:30, then 00:30 and 01:30 of the next day in Shanghai
    made = [datetime(YEAR, 1, 1, 15, 30, tzinfo=timezone.utc) + timedelta(hours=hours) for hours in range(3)]
    return [{"id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(), "unit_id": draw.choice(units),
             "kind": "annual", "mode": "individual", "title": f"承诺{n}", "content": "", "targets": [],
             "areas": ["study"], "due_date": date(YEAR, 12, draw.choice((30, 31))), "year": YEAR,
             "participant_ids": [], "masses_participants": [], "state": draw.choice(("published", "closed")),
             "created_at": draw.choice(made), "updated_at": made[0],
             "fulfilled_at": draw.choice((None, made[1])), "progress_count": n % 3} for n in range(120)]


def _statements(engine) -> list[tuple]:
    sent: list[tuple] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))
    return sent


def test_the_export_reads_the_units_in_the_ledgers_order_and_merges_them(pledge_service):
    units = [uuid.uuid4() for _ in range(3)]
    rows = _interleaved(units)
    with pledge_service.engine.begin() as conn:
        conn.execute(sa.insert(pledges), rows + [row | {"id": uuid.uuid4(), "year": YEAR - 1} for row in rows[:5]])
        conn.execute(sa.text("ANALYZE pledges"))
    by_order = sorted(rows, key=lambda r: (r["due_date"], r["created_at"], r["id"]))
    sent = _statements(pledge_service.engine)
    with pledge_service.uow_factory() as uow:
        repo = PledgeRepository(uow.session)
        exported = list(repo.ledger_rows(units, YEAR))
        statement, parameters = next((s, p) for s, p in sent if "UNION ALL" in s)
        # a few rows are sorted as cheaply as merged: whether the merge is there to choose is what a million needs
        uow.session.execute(sa.text("SET LOCAL enable_sort = off"))
        plan = "\n".join(uow.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        page, total = repo.ledger_page(units, YEAR, limit=500, offset=0)
        many = list(repo.ledger_rows([*units, *(uuid.uuid4() for _ in range(repository._MERGED_UNITS))], YEAR))
        closed = list(repo.ledger_rows(units, YEAR, state=["closed"]))
    assert "Merge Append" in plan and "Sort  " not in plan and plan.count("ix_pledges_ledger") == len(units), plan
    assert total == len(exported) == len(rows)
    assert [r["title"] for r in exported] == [r["title"] for r in page] == [r["title"] for r in by_order]
    assert [r["title"] for r in many] == [r["title"] for r in by_order]
    assert [r["title"] for r in closed] == [r["title"] for r in by_order if r["state"] == "closed"]
    # the file shows days in Shanghai
    assert {r["created_at"] for r in exported} == {date(YEAR, 1, 1), date(YEAR, 1, 2)}
    assert {r["fulfilled_at"] for r in exported} == {None, date(YEAR, 1, 2)}
    assert set(exported[0].keys()) == {"pledger_name", "unit_name", "pledger_kind", "kind", "mode", "title",
                                       "linked_title", "areas", "state", "created_at", "due_date", "fulfilled_at",
                                       "progress_count", "evaluation_level", "evaluation_score"}
