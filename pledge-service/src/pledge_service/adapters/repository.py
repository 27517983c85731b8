"""Pledges in and out of the database."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.model import (
    InstantTrigger, LeadArea, Pledge, PledgeKind, PledgeMode, PledgeState, Transition,
)
from .tables import pledge_transitions, pledges


class PledgeRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, pledge_id: uuid.UUID, *, for_update: bool = False) -> Pledge | None:
        query = sa.select(pledges).where(pledges.c.id == pledge_id)
        if for_update and self.session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self.session.execute(query).first()
        if row is None:
            return None
        history = self.session.execute(
            sa.select(pledge_transitions).where(pledge_transitions.c.pledge_id == pledge_id)
            .order_by(pledge_transitions.c.id)
        ).all()
        return _to_pledge(row, history)

    def add(self, pledge: Pledge) -> None:
        now = datetime.now(timezone.utc)
        self.session.execute(sa.insert(pledges).values(**_to_row(pledge), created_at=pledge.created_at or now,
                                                       updated_at=now))
        self._write_transitions(pledge)

    def save(self, pledge: Pledge) -> None:
        self.session.execute(sa.update(pledges).where(pledges.c.id == pledge.id)
                             .values(**_to_row(pledge), updated_at=datetime.now(timezone.utc),
                                     version=pledges.c.version + 1))
        self._write_transitions(pledge)

    def _write_transitions(self, pledge: Pledge) -> None:
        if pledge.new_transitions:
            self.session.execute(sa.insert(pledge_transitions), [
                {"pledge_id": pledge.id, "action": t.action, "from_state": t.from_state.value,
                 "to_state": t.to_state.value, "actor_id": t.actor_id, "at": t.at, "reason": t.reason}
                for t in pledge.new_transitions])
            pledge.new_transitions.clear()

    def list(self, *, pledger_id=None, unit_ids=None, states=None, year=None, limit=20, offset=0):
        query = sa.select(pledges)
        if pledger_id is not None:
            query = query.where(pledges.c.pledger_id == pledger_id)
        if unit_ids is not None:
            query = query.where(pledges.c.unit_id.in_(list(unit_ids)))
        if states:
            query = query.where(pledges.c.state.in_(list(states)))
        if year is not None:
            query = query.where(pledges.c.year == year)
        total = self.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = self.session.execute(
            query.order_by(pledges.c.created_at.desc(), pledges.c.id).limit(limit).offset(offset)).all()
        return [_to_pledge(r, []) for r in rows], total


def _to_row(p: Pledge) -> dict:
    return {
        "id": p.id, "pledger_kind": p.pledger_kind, "pledger_id": p.pledger_id, "unit_id": p.unit_id,
        "kind": p.kind.value, "mode": p.mode.value, "title": p.title, "content": p.content,
        "targets": p.targets, "areas": [a.value for a in p.areas], "due_date": p.due_date, "year": p.year,
        "trigger": p.trigger.value if p.trigger else None,
        "participant_ids": [str(i) for i in p.participant_ids], "masses_participants": p.masses_participants,
        "state": p.state.value, "return_reason": p.return_reason,
    }


def _to_pledge(row, history) -> Pledge:
    return Pledge(
        id=row.id, pledger_kind=row.pledger_kind, pledger_id=row.pledger_id, unit_id=row.unit_id,
        kind=PledgeKind(row.kind), mode=PledgeMode(row.mode), title=row.title, content=row.content,
        due_date=row.due_date, year=row.year, areas=[LeadArea(a) for a in row.areas], targets=list(row.targets),
        trigger=InstantTrigger(row.trigger) if row.trigger else None,
        participant_ids=[uuid.UUID(i) for i in row.participant_ids],
        masses_participants=list(row.masses_participants), state=PledgeState(row.state),
        created_at=row.created_at, return_reason=row.return_reason,
        history=[Transition(h.action, PledgeState(h.from_state), PledgeState(h.to_state), h.actor_id, h.at,
                            h.reason) for h in history],
    )
