"""代录: a secretary enters a paper 评议表 on behalf of a rater without a login.

The sheet counts as one rating of its party, recorded as entered from paper by that secretary. The anonymity
rules do not change: a peer's or one of the masses' sheet names no one and is kept under the pseudonym of its
sheet number (RaterPseudonyms, destroyed with the round's secret when it closes); a self-assessment or a
leader's comment names whose it is, as online. The sheet number makes a re-sent sheet the same one.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons
from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import RoundRepository, party_deadlines, raters_of, weights_of
from ..domain.model import (
    NAMED_PARTIES, PARTY_LABELS, POINTS, EvaluationError, InvalidEvaluation, Party, RaterPseudonyms, Rating,
    RoundNotOpen, RoundState, check_submission,
)
from .round_results import check_party_open, check_peer_room, close_if_settled, peer_review_full
from .rounds import PAPER, AlreadyRated, NotFound, may_enter_paper, round_view


class SheetEnteredOtherwise(EvaluationError):
    """A sheet number entered before, with other answers: a typing slip or another sheet."""


def sheet_key(pseudonyms: RaterPseudonyms, sheet_no: str) -> str:
    """The sheet's pseudonym in this round: one per sheet, tied to no one once the round has closed."""
    return pseudonyms.of(f"paper-sheet:{sheet_no.strip().upper()}")


def _asked(row, party: Party) -> frozenset:
    raters = raters_of(row)
    return {Party.SELF: raters.self_ids, Party.LEADER: raters.leader_ids}[party]


def _named_rater(row, party: Party, rater_id, ratings, pseudonyms: RaterPseudonyms) -> dict:
    """A self-assessment or a leader's comment on paper is the named, asked person's, once."""
    if rater_id is None:
        raise InvalidEvaluation(_("A paper self-assessment or leader's comment names whose it is."),
                                {"rater_id": [_("required for this party")]})
    if rater_id not in _asked(row, party):
        raise InvalidEvaluation(_("That person is not asked to rate as {party} in this round.", party=term(
            "party", party.value, PARTY_LABELS[party][1].lower())), {"rater_id": [_("not one of the raters of this party")]})
    if any(pseudonyms.is_by(r, rater_id) for r in ratings):
        raise AlreadyRated(_("That person has rated in this round already."), {"rater_id": [str(rater_id)]})
    return pseudonyms.kept(party, rater_id)


def enter_paper_sheet(uow: UnitOfWork, identity: Identity, round_id, command: dict,
                      now: datetime | None = None) -> tuple[dict, bool]:
    """One paper 评议表 entered by a secretary; the round closes as an online rating would close it. Answers with
    the round as the secretary sees it, and whether the sheet is new (False: entered before, kept once)."""
    now = now or datetime.now(timezone.utc)
    repo = RoundRepository(uow.session)
    row = repo.get(round_id, for_update=True)
    directory = DirectoryView(uow.session)
    if row is None or not may_enter_paper(identity, directory, row):
        raise NotFound(_("No such round for you to enter paper sheets in."))
    if row.state != RoundState.OPEN.value or row.deadline <= now:
        raise RoundNotOpen(_("This round is closed: no more ratings."), {"state": [row.state]})
    party = Party(command["party"])
    ratings, pseudonyms = repo.ratings(row.id), repo.pseudonyms(row.id)
    key = sheet_key(pseudonyms, command["sheet_no"])
    earlier = next((r for r in ratings if r.sheet_key == key), None)
    if earlier is not None:
        if (earlier.party, earlier.rating) != (party.value, command["rating"]):
            raise SheetEnteredOtherwise(_("Sheet {sheet_no} was entered already, with other answers.",
                                          sheet_no=command["sheet_no"]), {"sheet_no": [_("entered already, with other answers")]})
        return answer(uow, identity, row, ratings, pseudonyms, now), False
    check_party_open(row, party, now)
    check_submission(party, command["rating"], mode=command.get("mode"), targets=row.targets,
                     target_reports=command.get("target_reports"))
    if party in NAMED_PARTIES:
        kept = _named_rater(row, party, command.get("rater_id"), ratings, pseudonyms)
    elif command.get("rater_id") is not None:
        raise InvalidEvaluation(_("A peer's or the masses' sheet names no one: it stays anonymous."),
                                {"rater_id": [_("leave it out for this party")]})
    else:
        check_peer_room(party, raters_of(row), ratings)
        kept = {"rater_key": key, "rater_id": None}
    rating = Rating(command["rating"])
    repo.add_rating({"id": uuid.uuid4(), "round_id": row.id, "party": party.value, **kept,
                     "rating": rating.value, "points": POINTS[rating], "comment": command.get("comment") or "",
                     "mode": command.get("mode"), "target_reports": command.get("target_reports"),
                     "submitted_at": now, "source": PAPER, "entered_by": uuid.UUID(identity.subject),
                     "sheet_key": key})
    ratings = repo.ratings(row.id)
    close_if_settled(uow, repo, row, ratings, pseudonyms, now)
    return answer(uow, identity, repo.get(row.id), ratings, pseudonyms, now), True


def answer(uow: UnitOfWork, identity: Identity, row, ratings, pseudonyms: RaterPseudonyms, now=None) -> dict:
    """The round as the caller sees it, with what they may enter from paper."""
    return round_view(uow, identity, row, ratings, pseudonyms) | {
        "paper_entry": paper_entry(uow, identity, row, ratings, pseudonyms, now)}


def paper_entry(uow: UnitOfWork, identity: Identity, row, ratings, pseudonyms: RaterPseudonyms,
                now: datetime | None = None) -> dict | None:
    """What a secretary may still enter from paper in an open round: the parties open, and for the named parties
    the asked people who have not rated. None for anyone else, or once the round has closed."""
    now = now or datetime.now(timezone.utc)
    if row.state != RoundState.OPEN.value or row.deadline <= now \
            or not may_enter_paper(identity, DirectoryView(uow.session), row):
        return None
    deadlines, raters = party_deadlines(row), raters_of(row)
    parties = [p for p in weights_of(row).parties if deadlines[p] > now]
    if Party.PEER in parties and peer_review_full(raters, ratings):
        parties.remove(Party.PEER)
    waiting = [(p, person) for p in parties if p in NAMED_PARTIES for person in sorted(_asked(row, p), key=str)
               if not any(pseudonyms.is_by(r, person) for r in ratings)]
    names = dict(uow.session.execute(sa.select(persons.c.id, persons.c.name).where(
        persons.c.id.in_([person for _p, person in waiting]))).all()) if waiting else {}
    named = [{"party": p.value, "person_id": person, "name": names.get(person)} for p, person in waiting]
    return {"parties": [p.value for p in parties if p not in NAMED_PARTIES or any(n["party"] == p.value for n in named)],
            "named": named}


def entry_for(uow: UnitOfWork, identity: Identity, round_id) -> dict | None:
    """paper_entry of a round the caller has been shown."""
    repo = RoundRepository(uow.session)
    row = repo.get(round_id)
    return paper_entry(uow, identity, row, repo.ratings(row.id), repo.pseudonyms(row.id))
