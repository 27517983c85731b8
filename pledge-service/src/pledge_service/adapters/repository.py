"""Pledges in and out of the database."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pacesetter_shared.db import dialect_insert
from pacesetter_shared.directory import persons, units

from ..domain.model import (
    EvaluationResult, InstantTrigger, LeadArea, Pledge, PledgeKind, PledgeMode, PledgeState, ProgressReport,
    Transition,
)
from ..domain.statistics import NOT_COUNTED, PledgeCounts
from .tables import pledge_participants, pledge_transitions, pledges, progress_reports, reminders


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
        return self._named([_to_pledge(row, history)])[0]

    def _named(self, found: list[Pledge]) -> list[Pledge]:
        """The names people read beside the ids (pledger, branch, who did what), from the directory projection."""
        person_ids = {p.pledger_id for p in found} | {t.actor_id for p in found for t in p.history}
        unit_ids = {p.unit_id for p in found} | {p.pledger_id for p in found if p.pledger_kind == "unit"}
        names = dict(self.session.execute(sa.select(persons.c.id, persons.c.name)
                                          .where(persons.c.id.in_(person_ids))).all()) if person_ids else {}
        names |= dict(self.session.execute(sa.select(units.c.id, units.c.name)
                                           .where(units.c.id.in_(unit_ids))).all()) if unit_ids else {}
        for pledge in found:
            pledge.pledger_name = names.get(pledge.pledger_id)
            pledge.unit_name = names.get(pledge.unit_id)
            pledge.history = [replace(t, actor_name=names.get(t.actor_id)) for t in pledge.history]
        return found

    def add(self, pledge: Pledge) -> None:
        now = datetime.now(timezone.utc)
        self.session.execute(sa.insert(pledges).values(**_to_row(pledge), created_at=pledge.created_at or now,
                                                       updated_at=now))
        self._write_participants(pledge)
        self._write_transitions(pledge)

    def save(self, pledge: Pledge) -> None:
        self.session.execute(sa.update(pledges).where(pledges.c.id == pledge.id)
                             .values(**_to_row(pledge), updated_at=datetime.now(timezone.utc),
                                     version=pledges.c.version + 1))
        self._write_participants(pledge)
        self._write_transitions(pledge)

    def _write_participants(self, pledge: Pledge) -> None:
        self.session.execute(sa.delete(pledge_participants).where(pledge_participants.c.pledge_id == pledge.id))
        if pledge.participants:
            self.session.execute(sa.insert(pledge_participants), [
                {"pledge_id": pledge.id, "person_id": person_id} for person_id in pledge.participants])

    def _write_transitions(self, pledge: Pledge) -> None:
        if pledge.new_transitions:
            self.session.execute(sa.insert(pledge_transitions), [
                {"pledge_id": pledge.id, "action": t.action, "from_state": t.from_state.value,
                 "to_state": t.to_state.value, "actor_id": t.actor_id, "at": t.at, "reason": t.reason}
                for t in pledge.new_transitions])
            pledge.new_transitions.clear()
            self._named([pledge])  # the answer to the action names who did it too

    def add_report(self, report: ProgressReport) -> None:
        self.session.execute(sa.insert(progress_reports).values(
            id=report.id, pledge_id=report.pledge_id, reported_on=report.reported_on, evidence=report.evidence,
            attachments=report.attachments, reporter_id=report.reporter_id, created_at=report.created_at))

    def reports(self, pledge_id: uuid.UUID, *, limit: int, offset: int) -> tuple[list[ProgressReport], int]:
        where = progress_reports.c.pledge_id == pledge_id
        total = self.session.execute(sa.select(sa.func.count()).select_from(progress_reports).where(where)).scalar_one()
        rows = self.session.execute(
            sa.select(progress_reports, persons.c.name.label("reporter_name"))
            .select_from(progress_reports.outerjoin(persons, persons.c.id == progress_reports.c.reporter_id))
            .where(where)
            .order_by(progress_reports.c.reported_on.desc(), progress_reports.c.created_at.desc())
            .limit(limit).offset(offset)).all()
        return [ProgressReport(r.id, r.pledge_id, r.reported_on, r.evidence, list(r.attachments), r.reporter_id,
                               r.created_at, r.reporter_name) for r in rows], total

    def in_units_year(self, unit_ids: list[uuid.UUID], year: int) -> list[Pledge]:
        rows = self.session.execute(sa.select(pledges).where(pledges.c.unit_id.in_(unit_ids),
                                                             pledges.c.year == year)).all()
        return [_to_pledge(r, []) for r in rows]

    def counts_in_units_year(self, unit_ids: list[uuid.UUID], year: int) -> PledgeCounts:
        """count_pledges of the units' pledges of the year, added up in SQL: a branch's year may hold a million
        pledges, which as objects took the worker to 3 GB (issue 24). Only the annual pledgers come back one by
        one, and they are members of the unit."""
        counted = sa.and_(pledges.c.unit_id.in_(unit_ids), pledges.c.year == year,
                          pledges.c.state.not_in([state.value for state in NOT_COUNTED]))
        on_time = sa.and_(pledges.c.fulfilled_at.is_not(None),
                          _shanghai_day(self.session, pledges.c.fulfilled_at) <= pledges.c.due_date)
        groups = self.session.execute(
            sa.select(pledges.c.state, pledges.c.areas, sa.func.count(), sa.func.count(pledges.c.fulfilled_at),
                      sa.func.sum(sa.case((on_time, 1), else_=0)))
            .where(counted).group_by(pledges.c.state, pledges.c.areas)).all()
        by_area = {area.value: 0 for area in LeadArea}
        for _, areas, number, _, _ in groups:
            for area in areas:
                by_area[area] += number
        # a collective pledge is every participant's pledge too (党员集体承诺), as Pledge.participants says
        annual = sa.and_(counted, pledges.c.kind == PledgeKind.ANNUAL.value, pledges.c.pledger_kind == "member")
        pledgers = set(self.session.execute(sa.select(pledges.c.pledger_id).where(annual).distinct()).scalars())
        collective = (sa.select(pledges.c.pledger_id, pledges.c.participant_ids)
                      .where(annual, pledges.c.mode == PledgeMode.COLLECTIVE.value))
        for pledger_id, participant_ids in self.session.execute(collective.execution_options(yield_per=1000)):
            pledgers.update(uuid.UUID(i) for i in participant_ids if uuid.UUID(i) != pledger_id)
        return PledgeCounts(total=sum(g[2] for g in groups), fulfilled=sum(g[3] for g in groups),
                            fulfilled_on_time=sum(g[4] for g in groups),
                            overdue=sum(g[2] for g in groups if g[0] == PledgeState.OVERDUE.value),
                            by_area=by_area, annual_pledgers=pledgers)

    def unit_years(self, since: int) -> list[tuple[uuid.UUID, int]]:
        query = (sa.select(pledges.c.unit_id, pledges.c.year).where(pledges.c.year >= since).distinct()
                 .order_by(pledges.c.year, pledges.c.unit_id))
        return [tuple(row) for row in self.session.execute(query)]

    def ids_in_state(self, state: PledgeState, *, due_before=None, due_until=None) -> list[uuid.UUID]:
        query = sa.select(pledges.c.id).where(pledges.c.state == state.value)
        if due_before is not None:
            query = query.where(pledges.c.due_date < due_before)
        if due_until is not None:
            query = query.where(pledges.c.due_date <= due_until)
        return list(self.session.execute(query.order_by(pledges.c.due_date, pledges.c.id)).scalars())

    def claim_reminder(self, subject_id: uuid.UUID, threshold: str, now: datetime) -> bool:
        """True for the one transaction that records this reminder first; a racing twin waits, then gets False."""
        claimed = self.session.execute(
            dialect_insert(self.session, reminders).values(subject_id=subject_id, threshold=threshold, sent_at=now)
            .on_conflict_do_nothing().returning(reminders.c.subject_id)).first()
        return claimed is not None

    def claim_reminders(self, subject_ids: list[uuid.UUID], threshold: str, now: datetime) -> set[uuid.UUID]:
        """claim_reminder for many subjects in one statement: the ones this transaction claimed first."""
        if not subject_ids:
            return set()
        claimed = self.session.execute(
            dialect_insert(self.session, reminders)
            .values([{"subject_id": s, "threshold": threshold, "sent_at": now} for s in subject_ids])
            .on_conflict_do_nothing().returning(reminders.c.subject_id)).scalars()
        return set(claimed)

    def list(self, *, pledger_id=None, member_id=None, unit_ids=None, states=None, year=None, kind=None,
             linked_to=None, sort="-created_at", limit=20, offset=0):
        """``member_id``: the member's own pledges and the collective pledges they take part in."""
        query = sa.select(pledges)
        if member_id is not None:
            taking_part = sa.select(pledge_participants.c.pledge_id).where(pledge_participants.c.person_id == member_id)
            query = query.where(sa.or_(pledges.c.pledger_id == member_id, pledges.c.id.in_(taking_part)))
        if kind is not None:
            query = query.where(pledges.c.kind == kind)
        if linked_to is not None:
            query = query.where(pledges.c.linked_to == linked_to)
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
            query.order_by(*ORDERS[sort], pledges.c.id).limit(limit).offset(offset)).all()
        return self._named([_to_pledge(r, []) for r in rows]), total


# a list's orders; ties go to the newest, then the id, so that pages never overlap
ORDERS = {
    "-created_at": (pledges.c.created_at.desc(),),
    "created_at": (pledges.c.created_at,),
    "due_date": (pledges.c.due_date, pledges.c.created_at.desc()),
    "-due_date": (pledges.c.due_date.desc(), pledges.c.created_at.desc()),
}


def _shanghai_day(session: Session, moment: sa.ColumnElement) -> sa.ColumnElement:
    """The day in Shanghai of a stored UTC time, as the domain's fulfilled_on_time reads it."""
    if session.bind.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("Asia/Shanghai", moment), sa.Date)
    # SQLite (the embedded mode) keeps no zones; China has kept UTC+8 all year since 1991
    return sa.func.date(moment, "+8 hours")


def _to_row(p: Pledge) -> dict:
    return {
        "id": p.id, "pledger_kind": p.pledger_kind, "pledger_id": p.pledger_id, "unit_id": p.unit_id,
        "kind": p.kind.value, "mode": p.mode.value, "title": p.title, "content": p.content,
        "targets": p.targets, "areas": [a.value for a in p.areas], "due_date": p.due_date, "year": p.year,
        "trigger": p.trigger.value if p.trigger else None,
        "participant_ids": [str(i) for i in p.participant_ids], "masses_participants": p.masses_participants,
        "state": p.state.value, "return_reason": p.return_reason, "linked_to": p.linked_to,
        "fulfilled_at": p.fulfilled_at,
        "progress_count": p.progress_count,
        "evaluation_round_id": p.evaluation.round_id if p.evaluation else None,
        "evaluation_score": p.evaluation.score if p.evaluation else None,
        "evaluation_level": p.evaluation.level if p.evaluation else None,
        "evaluated_at": p.evaluation.at if p.evaluation else None,
    }


def _to_pledge(row, history) -> Pledge:
    return Pledge(
        id=row.id, pledger_kind=row.pledger_kind, pledger_id=row.pledger_id, unit_id=row.unit_id,
        kind=PledgeKind(row.kind), mode=PledgeMode(row.mode), title=row.title, content=row.content,
        due_date=row.due_date, year=row.year, areas=[LeadArea(a) for a in row.areas], targets=list(row.targets),
        trigger=InstantTrigger(row.trigger) if row.trigger else None,
        participant_ids=[uuid.UUID(i) for i in row.participant_ids],
        masses_participants=list(row.masses_participants), state=PledgeState(row.state),
        created_at=row.created_at, return_reason=row.return_reason, linked_to=row.linked_to,
        fulfilled_at=row.fulfilled_at,
        progress_count=row.progress_count,
        evaluation=(EvaluationResult(row.evaluation_round_id, row.evaluation_score, row.evaluation_level,
                                     row.evaluated_at) if row.evaluation_round_id else None),
        history=[Transition(h.action, PledgeState(h.from_state), PledgeState(h.to_state), h.actor_id, h.at,
                            h.reason) for h in history],
    )
