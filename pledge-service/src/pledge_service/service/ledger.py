"""The ledger (承诺台账) of a unit and year: a page of it, or every row streamed for its export
(the rows are read by ``adapters.repository``, the CSV and XLSX files written by ``adapters.ledger_export``)."""
from __future__ import annotations

import uuid
from typing import Iterator, Mapping

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PledgeRepository
from .pledges import check_oversight

LEDGER_FILTERS = ("state", "kind", "pledger_kind", "pledger_id", "pledger_name", "linked_to")


def _unit_and_below(uow: UnitOfWork, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """A general branch's ledger holds its branches' pledges too; a branch's, its groups'."""
    return [u.id for u in DirectoryView(uow.session).descendants(unit_id)] or [unit_id]


def ledger_page(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, year: int, *, limit: int = 20,
                offset: int = 0, sort: str = "due_date", **filters) -> tuple[list[dict], int]:
    """A page of the ledger and the number of its rows; ``filters`` are any of LEDGER_FILTERS."""
    check_oversight(uow, identity, unit_id)
    return PledgeRepository(uow.session).ledger_page(_unit_and_below(uow, unit_id), year, limit=limit,
                                                     offset=offset, sort=sort, **filters)


def stream_ledger(uow: UnitOfWork, unit_id: uuid.UUID, year: int, *, sort: str = "due_date",
                  **filters) -> Iterator[Mapping]:
    """Every row of the ledger for its export, read as it is written, never the whole table at once (the caller
    checked the oversight before the response began)."""
    return PledgeRepository(uow.session).ledger_rows(_unit_and_below(uow, unit_id), year, sort=sort, **filters)
