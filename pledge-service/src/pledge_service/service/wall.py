"""The public pledge wall (亮承诺): what display screens and kiosks show of a unit's or a window's pledges."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, units, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import in_ledger_order
from ..adapters.tables import pledges
from .pledges import PUBLIC_STATES, NotFound


def pledge_wall(uow: UnitOfWork, *, unit_id: uuid.UUID | None, window_id: uuid.UUID | None,
                limit: int, offset: int):
    """The public pledge wall (亮承诺): published pledges of a unit (and the units under it) or a window's unit."""
    directory = DirectoryView(uow.session)
    if window_id is not None:
        window_unit = uow.session.execute(sa.select(windows.c.unit_id).where(windows.c.id == window_id)).scalar()
        if window_unit is None:
            raise NotFound(_("No such window."))
        unit_ids = [window_unit]
    else:
        if directory.unit(unit_id) is None:
            raise NotFound(_("No such unit."))
        unit_ids = [u.id for u in directory.descendants(unit_id)]
    pledger_unit, branch = units.alias("pledger_unit"), units.alias("branch")
    query = (
        sa.select(sa.func.coalesce(persons.c.name, pledger_unit.c.name, "").label("pledger_name"),
                  branch.c.name.label("unit_name"), pledges.c.title, pledges.c.content, pledges.c.areas,
                  pledges.c.state)
        .select_from(pledges.outerjoin(persons, persons.c.id == pledges.c.pledger_id)
                     .outerjoin(pledger_unit, pledger_unit.c.id == pledges.c.pledger_id)
                     .join(branch, branch.c.id == pledges.c.unit_id))
        .where(pledges.c.unit_id.in_(unit_ids), pledges.c.state.in_([s.value for s in PUBLIC_STATES]))
    )
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(*in_ledger_order(pledges)).limit(limit).offset(offset)).all()
    return [row._asdict() for row in rows], total
