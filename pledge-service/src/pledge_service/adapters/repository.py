"""Pledges in and out of the database."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from typing import Iterator, Mapping

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

    def counts_in_units_year(self, unit_ids: list[uuid.UUID], year: int) -> PledgeCounts:
        """statistics.count_pledges of the units' pledges of the year, the same rule worked out in SQL (a branch's
        year may hold a million pledges, which as objects took the worker to 3 GB; tests give both the same
        pledges and compare the answers)."""
        counted = _counted(unit_ids, year)
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
        pledgers = set().union(*self.annual_pledgers_by_unit(unit_ids, year).values())
        return PledgeCounts(total=sum(g[2] for g in groups), fulfilled=sum(g[3] for g in groups),
                            fulfilled_on_time=sum(g[4] for g in groups),
                            overdue=sum(g[2] for g in groups if g[0] == PledgeState.OVERDUE.value),
                            by_area=by_area, annual_pledgers=pledgers)

    def annual_pledgers_by_unit(self, unit_ids: list[uuid.UUID], year: int) -> dict[uuid.UUID, set[uuid.UUID]]:
        """statistics.annual_pledgers of each unit's pledges of the year, worked out in SQL: the figures'
        coverage (人人承诺) and the list of who has not pledged (未承诺名单) both read it, never the pledges."""
        annual = sa.and_(_counted(unit_ids, year), pledges.c.kind == PledgeKind.ANNUAL.value,
                         pledges.c.pledger_kind == "member")
        found: dict[uuid.UUID, set[uuid.UUID]] = {unit_id: set() for unit_id in unit_ids}
        for unit_id, pledger_id in self.session.execute(
                sa.select(pledges.c.unit_id, pledges.c.pledger_id).where(annual).distinct()):
            found[unit_id].add(pledger_id)
        # a collective pledge is every participant's pledge too (党员集体承诺), as Pledge.participants says
        collective = (sa.select(pledges.c.unit_id, pledges.c.pledger_id, pledges.c.participant_ids)
                      .where(annual, pledges.c.mode == PledgeMode.COLLECTIVE.value).distinct())
        for unit_id, pledger_id, participant_ids in self.session.execute(collective.execution_options(yield_per=1000)):
            found[unit_id].update(uuid.UUID(i) for i in participant_ids if uuid.UUID(i) != pledger_id)
        return found

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

    def ledger_page(self, unit_ids: list[uuid.UUID], year: int, *, limit: int, offset: int, sort: str = "due_date",
                    **filters) -> tuple[list[dict], int]:
        """A page of the ledger (承诺台账) of the units and year, and how many rows the whole has."""
        query = _ledger_query(pledges, [pledges.c.unit_id.in_(unit_ids), pledges.c.year == year], **filters)
        total = self.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = self.session.execute(_ledger_order(query, pledges, sort).limit(limit).offset(offset)).all()
        return [row._asdict() for row in rows], total

    def ledger_rows(self, unit_ids: list[uuid.UUID], year: int, *, sort: str = "due_date", batch: int = 5000,
                    **filters) -> Iterator[Mapping]:
        """Every row of the ledger as its export writes it, in batches from a server-side cursor: only the file's
        columns, as the file shows them where that saves work per row: the areas as the JSON text stored, which the
        export decodes once per distinct set (decoding every row's was a fifth of the CPU of a million rows), and
        the day in Shanghai of each moment, of which the file shows no more."""
        source, where = _units_year(self.session, unit_ids, year, ordered=sort == "due_date")
        query = _ledger_order(_ledger_query(source, where, **filters), source, sort)
        shown = {"areas": lambda areas: sa.cast(areas, sa.Text),
                 "created_at": lambda moment: sa.type_coerce(_shanghai_day(self.session, moment), sa.Date),
                 "fulfilled_at": lambda moment: sa.type_coerce(_shanghai_day(self.session, moment), sa.Date)}
        query = query.with_only_columns(*(shown[column.name](column).label(column.name) if column.name in shown
                                          else column for column in query.selected_columns
                                          if column.name in _EXPORTED))
        for row in self.session.execute(query.execution_options(yield_per=batch)):
            yield row._mapping


# the export's columns (adapters.ledger_export.COLUMNS), and what the ledger reads of a pledge for them
_EXPORTED = {"pledger_name", "unit_name", "pledger_kind", "kind", "mode", "title", "linked_title", "areas", "state",
             "created_at", "due_date", "fulfilled_at", "progress_count", "evaluation_level", "evaluation_score"}
_READ = ("id", "pledger_kind", "pledger_id", "unit_id", "kind", "mode", "title", "areas", "state", "created_at",
         "due_date", "fulfilled_at", "progress_count", "evaluation_level", "evaluation_score", "linked_to")
# up to this many units, a query each (a branch and its groups, a general branch's few dozen); planning a
# committee's thousands would cost more than the sort it saves
_MERGED_UNITS = 64


def in_ledger_order(source) -> tuple:
    """The ledger's order after any column asked for: when due, when made, then the id, so that pages never
    overlap (ix_pledges_ledger's order after the unit and year)."""
    return source.c.due_date, source.c.created_at, source.c.id


def _units_year(session: Session, unit_ids: list[uuid.UUID], year: int, *, ordered: bool) -> tuple:
    """The units' pledges of the year: a query each unit read in ix_pledges_ledger's order and merged by
    PostgreSQL (Merge Append) when the rows are wanted in that order, so that a branch's million rows start at
    once, where sorting them first took longer than the rest of the export; else the table and a condition."""
    if ordered and len(unit_ids) <= _MERGED_UNITS and session.bind.dialect.name == "postgresql":
        columns = [pledges.c[name] for name in _READ]
        each = [sa.select(*columns).where(pledges.c.unit_id == unit_id, pledges.c.year == year)
                .order_by(*in_ledger_order(pledges)) for unit_id in unit_ids]
        return sa.union_all(*each).subquery("of_units"), []
    return pledges, [pledges.c.unit_id.in_(unit_ids), pledges.c.year == year]


def _ledger_query(source, where: list, *, state=None, kind=None, pledger_kind=None, pledger_id=None,
                  pledger_name=None, linked_to=None) -> sa.Select:
    """The ledger (承诺台账): each pledge of ``source`` (the pledges table with ``where``, or a unit-year's rows)
    with the pledger's name and branch, and the title of the organisation pledge a member's pledge supports
    (基层党组织承诺), looked up by key for the rows that have one: joined, it hashed the whole table first."""
    pledger_unit = units.alias("pledger_unit")
    branch = units.alias("branch")
    supported = pledges.alias("supported")
    p = source.c
    name = sa.func.coalesce(persons.c.name, pledger_unit.c.name, "")
    query = (
        sa.select(p.id, p.pledger_kind, p.pledger_id, name.label("pledger_name"),
                  sa.func.coalesce(branch.c.name, "").label("unit_name"), p.kind, p.mode, p.title, p.areas, p.state,
                  p.created_at, p.due_date, p.fulfilled_at, p.progress_count, p.evaluation_level,
                  p.evaluation_score, p.linked_to,
                  sa.select(supported.c.title).where(supported.c.id == p.linked_to).scalar_subquery()
                  .label("linked_title"))
        .select_from(source.outerjoin(persons, persons.c.id == p.pledger_id)
                     .outerjoin(pledger_unit, pledger_unit.c.id == p.pledger_id)
                     .outerjoin(branch, branch.c.id == p.unit_id))
        .where(*where)
    )
    if state:
        query = query.where(p.state.in_(list(state)))
    if kind:
        query = query.where(p.kind == kind)
    if pledger_kind:
        query = query.where(p.pledger_kind == pledger_kind)
    if pledger_id:
        query = query.where(p.pledger_id == pledger_id)
    if linked_to:
        query = query.where(p.linked_to == linked_to)
    if pledger_name:
        # A name typed by a secretary: % and _ in it are letters, not wildcards.
        query = query.where(name.icontains(pledger_name.strip(), autoescape=True))
    return query


def _ledger_order(query: sa.Select, source, sort: str) -> sa.Select:
    """The ledger ordered by one of its columns (a leading - for descending), then as always."""
    column = query.selected_columns[sort.lstrip("-")]
    return query.order_by(column.desc() if sort.startswith("-") else column.asc(), *in_ledger_order(source))


# a list's orders; ties go to the newest, then the id, so that pages never overlap
ORDERS = {
    "-created_at": (pledges.c.created_at.desc(),),
    "created_at": (pledges.c.created_at,),
    "due_date": (pledges.c.due_date, pledges.c.created_at.desc()),
    "-due_date": (pledges.c.due_date.desc(), pledges.c.created_at.desc()),
}


def _counted(unit_ids: list[uuid.UUID], year: int) -> sa.ColumnElement:
    """The units' pledges of the year that the figures count: made before the unit (statistics.NOT_COUNTED)."""
    return sa.and_(pledges.c.unit_id.in_(unit_ids), pledges.c.year == year,
                   pledges.c.state.not_in([state.value for state in NOT_COUNTED]))


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
