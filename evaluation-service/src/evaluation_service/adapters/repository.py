"""Rounds and their ratings in and out of the database."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.model import EvaluationRound, Party, PartyWeights, RaterPseudonyms, RoundRaters, TargetKind
from .tables import round_ratings, round_secrets, rounds


def _ids(values) -> frozenset:
    return frozenset(uuid.UUID(str(v)) for v in values)


def _round_filters(state, target_kind, year) -> list:
    """The filters every list of rounds takes: states, kinds, year."""
    conditions = []
    if state:
        conditions.append(rounds.c.state.in_(state))
    if target_kind:
        conditions.append(rounds.c.target_kind.in_(target_kind))
    if year is not None:
        conditions.append(rounds.c.year == year)
    return conditions


class RoundRepository:
    def __init__(self, session: Session):
        self.session = session

    def _locking(self, query, skip_locked: bool = False):
        # SQLite has no row locks; its writers queue on BEGIN IMMEDIATE instead.
        if self.session.bind.dialect.name == "postgresql":
            return query.with_for_update(skip_locked=skip_locked)
        return query

    def get(self, round_id, *, for_update: bool = False):
        query = sa.select(rounds).where(rounds.c.id == round_id)
        if for_update:
            query = self._locking(query)
        return self.session.execute(query).first()

    def find(self, target_kind: str, target_id, period: str):
        return self.session.execute(sa.select(rounds).where(
            rounds.c.target_kind == target_kind, rounds.c.target_id == target_id, rounds.c.period == period)).first()

    def due(self, now, limit: int, passed_over=()):
        """Open rounds past their deadline or one of their parties' (next_party_deadline), locked; rows another
        closer holds are skipped, and so are those this closer left open (passed_over)."""
        query = (sa.select(rounds).where(rounds.c.state == "open",
                                         sa.or_(rounds.c.deadline <= now, rounds.c.next_party_deadline <= now))
                 .order_by(rounds.c.deadline).limit(limit))
        if passed_over:
            query = query.where(rounds.c.id.notin_(list(passed_over)))
        return self.session.execute(self._locking(query, skip_locked=True)).all()

    def add(self, values: dict, secret: bytes) -> None:
        self.session.execute(sa.insert(rounds).values(**values))
        self.session.execute(sa.insert(round_secrets).values(round_id=values["id"], secret=secret))

    def update(self, round_id, **values) -> None:
        self.session.execute(sa.update(rounds).where(rounds.c.id == round_id).values(**values))

    def close(self, round_id, **values) -> None:
        """The one way a round closes: its outcome stored and its raters' secret destroyed with it."""
        self.update(round_id, **values)
        self.session.execute(sa.delete(round_secrets).where(round_secrets.c.round_id == round_id))

    def pseudonyms(self, round_id) -> RaterPseudonyms:
        return self.pseudonyms_of([round_id])[round_id]

    def pseudonyms_of(self, round_ids) -> dict:
        """Each round's pseudonyms, in one query: a closed round's have no secret."""
        found = dict(self.session.execute(sa.select(round_secrets.c.round_id, round_secrets.c.secret)
                                          .where(round_secrets.c.round_id.in_(list(round_ids)))).all())
        return {round_id: RaterPseudonyms(found.get(round_id)) for round_id in round_ids}

    def ratings(self, round_id) -> list:
        return self.session.execute(sa.select(round_ratings).where(round_ratings.c.round_id == round_id)
                                    .order_by(round_ratings.c.submitted_at)).all()

    def add_rating(self, values: dict) -> None:
        self.session.execute(sa.insert(round_ratings).values(**values))

    def list_for(self, person_id, *, limit: int, offset: int, now=None, waiting: bool | None = None,
                 state=None, role: str | None = None, party=None, target_kind=None, year: int | None = None,
                 sort: str = "-opened_at"):
        """Rounds where the person is evaluated or asked to rate (self, peer, leader), a page and the count of all.

        ``waiting``: open before the deadline, asked for a part and not rated yet — exactly the rounds whose
        my_parties is not empty (the masses' part is never open to those this lists: they are asked or evaluated).
        """
        pid = str(person_id)

        def asked(column):
            return sa.cast(column, sa.Text).contains(pid)

        rater = sa.or_(asked(rounds.c.self_ids), asked(rounds.c.peer_ids), asked(rounds.c.leader_ids))
        conditions = [sa.or_(rounds.c.subject_person_id == person_id, rater),
                      *_round_filters(state, target_kind, year)]
        if role == "evaluated":
            conditions.append(sa.or_(rounds.c.subject_person_id == person_id, asked(rounds.c.self_ids)))
        elif role == "rater":
            conditions.append(sa.or_(asked(rounds.c.peer_ids), asked(rounds.c.leader_ids)))
        if party:
            columns = {"self": rounds.c.self_ids, "peer": rounds.c.peer_ids, "leader": rounds.c.leader_ids}
            conditions.append(sa.or_(*[asked(columns[p]) for p in party]))
        where = sa.and_(*conditions)
        if waiting is not None:
            asked_now = sa.and_(rounds.c.state == "open", rounds.c.deadline > now, rater)
            where = rounds.c.id.in_(self._waiting_or_not(person_id, where, asked_now)[waiting])
        return self._page(where, sort, limit, offset)

    def list_of_units(self, unit_ids, *, limit: int, offset: int, state=None, target_kind=None,
                      year: int | None = None, sort: str = "-opened_at"):
        """The rounds of these units (an organiser's view of a branch or a general branch), a page and the count."""
        where = sa.and_(rounds.c.unit_id.in_(unit_ids), *_round_filters(state, target_kind, year))
        return self._page(where, sort, limit, offset)

    def _page(self, where, sort: str, limit: int, offset: int):
        """A page of the rounds matching ``where`` in ``sort``'s order (rounds still open last by closing), and
        the count of all of them."""
        column = getattr(rounds.c, sort.lstrip("-"))
        order = column.desc() if sort.startswith("-") else column.asc()
        if sort.lstrip("-") == "closed_at":
            order = order.nulls_last()
        total = self.session.execute(sa.select(sa.func.count()).select_from(rounds).where(where)).scalar_one()
        rows = self.session.execute(sa.select(rounds).where(where).order_by(order, rounds.c.id)
                                    .limit(limit).offset(offset)).all()
        return rows, total

    def _waiting_or_not(self, person_id, where, asked_now) -> dict[bool, list]:
        """The ids of the rounds matching ``where``, split into those waiting for the person's rating (True) and
        the others (False). The ratings hold no rater id to ask for, so the person's pseudonym under each open
        round's secret is worked out here and looked up. One pass over the matching rounds — the rounds one
        person is evaluated or asked in are few, a general branch's leader's a few hundred a year — after which
        the count and the page are read by id."""
        matching = self.session.execute(
            sa.select(rounds.c.id, round_secrets.c.secret, asked_now.label("asked_now"))
            .outerjoin(round_secrets, round_secrets.c.round_id == rounds.c.id).where(where)).all()
        mine = {r.id: RaterPseudonyms(r.secret).of(person_id) for r in matching if r.asked_now and r.secret is not None}
        found = self.session.execute(sa.select(round_ratings.c.round_id, round_ratings.c.rater_key)
                                     .where(round_ratings.c.rater_key.in_(list(mine.values())))).all() if mine else []
        rated = {round_id for round_id, key in found if mine.get(round_id) == key}
        waiting = {round_id for round_id in mine if round_id not in rated}
        return {True: list(waiting), False: [r.id for r in matching if r.id not in waiting]}


def raters_of(row) -> RoundRaters:
    return RoundRaters(subject_person_id=row.subject_person_id, self_ids=_ids(row.self_ids),
                       peer_ids=_ids(row.peer_ids), leader_ids=_ids(row.leader_ids))


def weights_of(row) -> PartyWeights:
    return PartyWeights({Party(p): w for p, w in row.weights.items()})


def waited_for(row) -> dict[Party, datetime]:
    """The parties the round waits for, each with its own deadline; rounds opened before these existed wait for
    every weighted party until the round's deadline. A weighted party not listed rates until the round closes."""
    if row.party_deadlines is None:
        return {party: row.deadline for party in weights_of(row).parties}
    return {Party(p): datetime.fromisoformat(d) for p, d in row.party_deadlines.items()}


def party_deadlines(row) -> dict[Party, datetime]:
    """Every weighted party's deadline: its own, or the round's."""
    waited = waited_for(row)
    return {party: waited.get(party, row.deadline) for party in weights_of(row).parties}


def evaluation_of(row, ratings) -> EvaluationRound:
    evaluation = EvaluationRound(TargetKind(row.target_kind), weights_of(row), row.min_group)
    for rating in ratings:
        evaluation.rate(Party(rating.party), rating.rating)
    return evaluation
