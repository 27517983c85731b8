"""A branch's levels over the years (晋位升级): its final level by year and the change from one year to the next."""
from __future__ import annotations

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import cycle_branches, cycles
from ..domain.classification import CHANGE_LABELS, GRADE_LABELS, CycleState, level_change
from ..domain.model import Grade
from ._common import Forbidden, NotFound
from .cycles import _can_see


def branch_history(uow: UnitOfWork, identity: Identity, branch_id) -> list[dict]:
    """A branch's final level by year and its change (晋位/持平/降位)."""
    rows = uow.session.execute(
        sa.select(cycle_branches, cycles.c.year).join(cycles, cycles.c.id == cycle_branches.c.cycle_id)
        .where(cycle_branches.c.branch_id == branch_id, cycles.c.state == CycleState.FINAL.value)
        .order_by(cycles.c.year)).all()
    if not rows:
        if DirectoryView(uow.session).unit(branch_id) is None:
            raise NotFound(_("No such branch."))
        return []
    if not _can_see(identity, rows[-1]):
        raise Forbidden(_("This branch is outside your scope."), {"branch_id": [str(branch_id)]})
    out, previous = [], None
    for row in rows:
        change = level_change(previous, Grade(row.level))
        out.append({"year": row.year, "cycle_id": row.cycle_id, "level": row.level,
                    "level_zh": GRADE_LABELS[Grade(row.level)], "total": row.final_total,
                    "change": change.value if change else None,
                    "change_zh": CHANGE_LABELS[change] if change else None})
        previous = Grade(row.level)
    return out
