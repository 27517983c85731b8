"""Rating in a round (评议) and closing it: one party's rating (and whom its Idempotency-Key is kept under), the
rules a paper sheet (代录) shares with it, the round completed as soon as every party it waits for is in, or closed
at a party's or its own deadline (the deadline job), and its result stored and announced."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.i18n import _, term
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..adapters.repository import RoundRepository, evaluation_of, party_deadlines, raters_of, waited_for, weights_of
from ..domain.model import (
    PARTY_LABELS, POINTS, InvalidEvaluation, Party, RaterPseudonyms, Rating, RoundNotOpen, RoundState, all_parties_in,
    check_submission, quorum_met, try_result,
)
from ..domain.parties import left_out, settled
from .rounds import AlreadyRated, Forbidden, NotFound, _names, _sees_result, _view

CLOSE_BATCH = 50


def submit_rating(uow: UnitOfWork, identity: Identity, round_id, command: dict,
                  now: datetime | None = None) -> dict:
    """One party's rating; the round completes as soon as every party asked is in. Answers with the round as
    the rater sees it, their rating shown even when it closed the round: this request still knows whose it
    is, though the database no longer does."""
    now = now or datetime.now(timezone.utc)
    repo = RoundRepository(uow.session)
    row = repo.get(round_id, for_update=True)
    if row is None:
        raise NotFound(_("No such round."))
    if row.state != RoundState.OPEN.value or row.deadline <= now:
        raise RoundNotOpen(_("This round is closed: no more ratings."), {"state": [row.state]})
    if identity.kind != "person":
        raise Forbidden(_("Only people rate in a round."))
    party, me = Party(command["party"]), uuid.UUID(identity.subject)
    check_party_open(row, party, now)
    raters = raters_of(row)
    raters.check(party, me)
    check_submission(party, command["rating"], mode=command.get("mode"), targets=row.targets,
                     target_reports=command.get("target_reports"))
    ratings, pseudonyms = repo.ratings(row.id), repo.pseudonyms(row.id)
    if any(pseudonyms.is_by(r, me) for r in ratings):
        raise AlreadyRated(_("You have rated in this round already."), {"party": [party.value]})
    check_peer_room(party, raters, ratings)
    rating = Rating(command["rating"])
    repo.add_rating({"id": uuid.uuid4(), "round_id": row.id, "party": party.value, **pseudonyms.kept(party, me),
                     "rating": rating.value, "points": POINTS[rating], "comment": command.get("comment") or "",
                     "mode": command.get("mode"), "target_reports": command.get("target_reports"),
                     "submitted_at": now})
    ratings = repo.ratings(row.id)
    close_if_settled(uow, repo, row, ratings, pseudonyms, now)
    return _view(repo.get(row.id), ratings, pseudonyms, identity,
                 _sees_result(identity, DirectoryView(uow.session), row), _names(uow, [row]))


def rating_caller(uow: UnitOfWork, identity: Identity, round_id) -> str:
    """Whom the Idempotency-Key of a rating in a round is kept under. The stored answer holds the rating and its
    comment, so while the round is open it is kept under the rater's pseudonym there, never their account;
    a closed round takes no rating, so nothing is stored for it."""
    pseudonyms = RoundRepository(uow.session).pseudonyms(round_id)
    if identity.kind != "person" or pseudonyms.secret is None:
        return identity.subject
    return f"round-rater:{pseudonyms.of(uuid.UUID(identity.subject))}"


def check_party_open(row, party: Party, now: datetime) -> None:
    """A party of the round takes ratings until its own deadline."""
    if party not in weights_of(row).parties:
        raise InvalidEvaluation(_("That party takes no part in this round."), {"party": list(row.weights)})
    if party_deadlines(row)[party] <= now:
        raise RoundNotOpen(_("The time for {party} in this round is over.", party=term(
            "party", party.value, PARTY_LABELS[party][1].lower())), {"party": [party.value]})


def peer_review_full(raters, ratings) -> bool:
    """One rating per asked peer, online or on a paper sheet (代录): a paper sheet stands for an asked peer the
    round cannot tell, so once there are as many peer ratings as asked peers, the peer review is full."""
    return sum(1 for r in ratings if r.party == Party.PEER.value) >= len(raters.peer_ids)


def check_peer_room(party: Party, raters, ratings) -> None:
    if party is Party.PEER and peer_review_full(raters, ratings):
        raise AlreadyRated(_("Every asked peer's rating is in already."), {"party": [party.value]})


def close_if_settled(uow: UnitOfWork, repo: RoundRepository, row, ratings, pseudonyms: RaterPseudonyms,
                     now: datetime) -> str | None:
    """Close the round as soon as every party it waits for is in or past its own deadline: completed at once
    when every weighted party is in, else as at its deadline (the quorum decides). None: it stays open."""
    raters, weights = raters_of(row), weights_of(row)
    rated = pseudonyms.rated(ratings, raters)
    if all_parties_in(weights, raters, rated, row.min_group):
        _complete(uow, repo, row, ratings, now)
        return RoundState.COMPLETED.value
    if not settled(waited_for(row), raters, rated, row.min_group, now):
        return None
    return _close_at_deadline(uow, repo, row, now, ratings)


def _complete(uow: UnitOfWork, repo: RoundRepository, row, ratings, now, result=None) -> None:
    """Store the result, with the parties left out and why, and say so once: callers hold the round's row lock
    and saw it open."""
    result = result or evaluation_of(row, ratings).result()
    breakdown = [{"party": p.party.value, "weight": p.weight, "score": p.score, "raters": p.raters}
                 for p in result.breakdown]
    repo.close(row.id, state=RoundState.COMPLETED.value, score=result.score, level=result.level.value,
               breakdown=[part | {"share": p.share} for part, p in zip(breakdown, result.breakdown)],
               left_out=left_out(result.breakdown, party_deadlines(row)), closed_at=now)
    uow.record("evaluation.completed", row.id, {
        "round_id": row.id, "target_kind": row.target_kind, "target_id": row.target_id,
        "subject_person_id": row.subject_person_id, "unit_id": row.unit_id, "year": row.year,
        "score": result.score, "level": result.level.value, "breakdown": breakdown})


def _close_at_deadline(uow: UnitOfWork, repo: RoundRepository, row, now, ratings=None) -> str:
    ratings = repo.ratings(row.id) if ratings is None else ratings
    weights = weights_of(row)
    result = try_result(evaluation_of(row, ratings))
    if quorum_met(result, weights, row.quorum_percent):
        _complete(uow, repo, row, ratings, now, result)
        return RoundState.COMPLETED.value
    shown = {p.party.value for p in result.breakdown if p.score is not None} if result else set()
    repo.close(row.id, state=RoundState.INCOMPLETE.value, closed_at=now)
    uow.record("evaluation.incomplete", row.id, {
        "round_id": row.id, "target_kind": row.target_kind, "target_id": row.target_id,
        "subject_person_id": row.subject_person_id, "unit_id": row.unit_id,
        "missing_parties": [p.value for p in weights.parties if p.value not in shown]})
    return RoundState.INCOMPLETE.value


def close_due_rounds(uow_factory: UnitOfWorkFactory, now: datetime) -> dict[str, int]:
    """The deadline job: close every round past its deadline, each exactly once.

    Rows are locked FOR UPDATE SKIP LOCKED, so a second closer (another worker replica) passes
    over what the first holds, and sees it closed once the first commits.
    """
    closed: dict[str, int] = {}
    passed_over: set = set()
    while True:
        with uow_factory() as uow:
            repo = RoundRepository(uow.session)
            due = repo.due(now, CLOSE_BATCH, passed_over)
            for row in due:
                state = _close_at_deadline(uow, repo, row, now) if row.deadline <= now else \
                    _close_or_wait(uow, repo, row, now)
                if state is None:
                    passed_over.add(row.id)
                else:
                    closed[state] = closed.get(state, 0) + 1
        if len(due) < CLOSE_BATCH:
            return closed


def _close_or_wait(uow: UnitOfWork, repo: RoundRepository, row, now) -> str | None:
    """A party's own deadline passed: the round closes if the others are in, else it is looked at again at
    the next party deadline still ahead."""
    state = close_if_settled(uow, repo, row, repo.ratings(row.id), repo.pseudonyms(row.id), now)
    if state is None:
        ahead = [d for d in waited_for(row).values() if d > now]
        repo.update(row.id, next_party_deadline=min(ahead, default=row.deadline))
    return state
