"""The ledger (承诺台账) of a unit and year: a page of it, or every row streamed for its export
(the CSV and XLSX files themselves are written by ``adapters.ledger_export``)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, units
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import pledges
from .pledges import check_oversight


def _unit_and_below(uow: UnitOfWork, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """A general branch's ledger holds its branches' pledges too; a branch's, its groups'."""
    return [u.id for u in DirectoryView(uow.session).descendants(unit_id)] or [unit_id]


LEDGER_ORDER = (pledges.c.due_date, pledges.c.created_at, pledges.c.id)


LEDGER_FILTERS = ("state", "kind", "pledger_kind", "pledger_id", "pledger_name", "linked_to")


def ledger_order(query: sa.Select, sort: str = "due_date") -> sa.Select:
    """The ledger ordered by one of its columns (a leading - for descending), then as always: due date, when made."""
    column = query.selected_columns[sort.lstrip("-")]
    first = column.desc() if sort.startswith("-") else column.asc()
    return query.order_by(first, *LEDGER_ORDER)


def ledger_query(unit_ids: list[uuid.UUID], year: int, *, state=None, kind=None, pledger_kind=None, pledger_id=None,
                 pledger_name=None, linked_to=None) -> sa.Select:
    """The ledger (承诺台账): every pledge of the units and year with the pledger's id, name and branch, and the
    organisation pledge a member's pledge supports (基层党组织承诺)."""
    pledger_unit = units.alias("pledger_unit")
    branch = units.alias("branch")
    supported = pledges.alias("supported")
    name = sa.func.coalesce(persons.c.name, pledger_unit.c.name, "")
    query = (
        sa.select(pledges.c.id, pledges.c.pledger_kind, pledges.c.pledger_id, name.label("pledger_name"),
                  sa.func.coalesce(branch.c.name, "").label("unit_name"),
                  pledges.c.kind, pledges.c.mode, pledges.c.title, pledges.c.areas, pledges.c.state,
                  pledges.c.created_at, pledges.c.due_date, pledges.c.fulfilled_at, pledges.c.progress_count,
                  pledges.c.evaluation_level, pledges.c.evaluation_score, pledges.c.linked_to,
                  supported.c.title.label("linked_title"))
        .select_from(pledges.outerjoin(persons, persons.c.id == pledges.c.pledger_id)
                     .outerjoin(pledger_unit, pledger_unit.c.id == pledges.c.pledger_id)
                     .outerjoin(branch, branch.c.id == pledges.c.unit_id)
                     .outerjoin(supported, supported.c.id == pledges.c.linked_to))
        .where(pledges.c.unit_id.in_(unit_ids), pledges.c.year == year)
    )
    if state:
        query = query.where(pledges.c.state.in_(list(state)))
    if kind:
        query = query.where(pledges.c.kind == kind)
    if pledger_kind:
        query = query.where(pledges.c.pledger_kind == pledger_kind)
    if pledger_id:
        query = query.where(pledges.c.pledger_id == pledger_id)
    if linked_to:
        query = query.where(pledges.c.linked_to == linked_to)
    if pledger_name:
        # A name typed by a secretary: % and _ in it are letters, not wildcards.
        query = query.where(name.icontains(pledger_name.strip(), autoescape=True))
    return query


def ledger_page(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int, *, limit: int = 20,
                offset: int = 0, sort: str = "due_date", **filters):
    """A page of the ledger; ``filters`` are any of LEDGER_FILTERS."""
    check_oversight(uow, identity, unit_id)
    query = ledger_query(_unit_and_below(uow, unit_id), year, **filters)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(ledger_order(query, sort).limit(limit).offset(offset)).all()
    return [row._asdict() for row in rows], total


def stream_ledger(uow: UnitOfWork, unit_id: uuid.UUID, year: int, *, batch: int = 5000, sort: str = "due_date",
                  **filters):
    """Yield the ledger's rows (mappings) in batches from a server-side cursor, never the whole table at once.
    Their areas are the JSON text as stored: the export reads each distinct set once, where decoding it in
    every row was a fifth of the CPU of a million rows."""
    query = ledger_order(ledger_query(_unit_and_below(uow, unit_id), year, **filters), sort)
    query = query.with_only_columns(*(sa.cast(column, sa.Text).label("areas") if column.name == "areas" else column
                                      for column in query.selected_columns))
    for row in uow.session.execute(query.execution_options(yield_per=batch)):
        yield row._mapping
