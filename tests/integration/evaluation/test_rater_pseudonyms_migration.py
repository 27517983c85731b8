"""0007 moves the ratings stored before it to pseudonyms (评议人化名), on PostgreSQL and on SQLite (the embedded
mode): no peer's or masses' person id is left, an open round gets its secret and still refuses a second rating,
a closed round has none, and the idempotency answers that held a peer's or masses' own rating are forgotten."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import round_ratings, round_secrets
from evaluation_service.app import MIGRATIONS
from evaluation_service.domain.model import RaterPseudonyms
from pacesetter_shared import migrations
from pacesetter_shared.db import JsonType, UtcDateTime, make_engine
from pacesetter_shared.db import idempotency_keys_table as keys
from tests.support.services import person, start_service

from .test_rounds import ROUNDS, rate

TYPES = {**dict.fromkeys(("id", "target_id", "subject_person_id", "unit_id", "round_id", "rater_id"), sa.Uuid()),
         **dict.fromkeys(("weights", "targets", "self_ids", "peer_ids", "leader_ids"), JsonType),
         **dict.fromkeys(("deadline", "opened_at", "closed_at", "submitted_at"), UtcDateTime())}


def _as_0006(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    return sa.table(name, *[sa.column(c, TYPES.get(c)) for c in columns])


# the tables as 0006 left them
ROUNDS_0006 = _as_0006("rounds", (
    "id", "target_kind", "target_id", "period", "year", "title", "subject_person_id", "unit_id", "weights",
    "targets", "self_ids", "peer_ids", "leader_ids", "quorum_percent", "min_group", "deadline", "state",
    "opened_at", "closed_at"))
RATINGS_0006 = _as_0006("round_ratings", (
    "id", "round_id", "party", "rater_id", "rating", "points", "comment", "submitted_at"))
WEIGHTS = {"self": 20, "peer": 30, "masses": 30, "leader": 20}


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request, fresh_database, tmp_path):
    return fresh_database("evaluation") if request.param == "postgresql" else f"sqlite:///{tmp_path}/evaluation.db"


def _round(state: str, subject, peer, leader, now) -> dict:
    return {"id": uuid.uuid4(), "target_kind": "member_year", "target_id": subject, "period": str(uuid.uuid4())[:8],
            "year": 2026, "title": "", "subject_person_id": subject, "unit_id": uuid.uuid4(), "weights": WEIGHTS,
            "targets": [], "self_ids": [str(subject)], "peer_ids": [str(peer)], "leader_ids": [str(leader)],
            "quorum_percent": 60, "min_group": 3, "deadline": now + timedelta(days=7), "state": state,
            "opened_at": now - timedelta(days=1), "closed_at": None if state == "open" else now}


def test_stored_ratings_move_to_pseudonyms(database_url, make_settings):
    migrations.upgrade(MIGRATIONS, database_url, "0006")
    engine = make_engine(database_url)
    now = datetime.now(timezone.utc)
    subject, peer, leader, masses = (person() for _ in range(4))
    ids = {who: uuid.UUID(who.subject) for who in (subject, peer, leader, masses)}
    open_round, closed_round = (_round(state, ids[subject], ids[peer], ids[leader], now)
                                for state in ("open", "completed"))
    rows = [{"id": uuid.uuid4(), "round_id": r["id"], "party": party, "rater_id": ids[who], "rating": "good",
             "points": 85, "comment": f"{party} 的意见", "submitted_at": now}
            for r in (open_round, closed_round)
            for party, who in (("self", subject), ("peer", peer), ("masses", masses), ("leader", leader))]
    answer = {"id": str(open_round["id"]), "state": "open", "parties": []}
    answers = [(peer.subject, "k-peer", answer | {"my_ratings": [{"party": "peer", "comment": "peer 的意见"}]}),
               (masses.subject, "k-masses", answer | {"my_ratings": [{"party": "masses", "comment": ""}]}),
               (subject.subject, "k-self", answer | {"my_ratings": [{"party": "self", "comment": ""}]}),
               (leader.subject, "k-open", answer | {"my_ratings": []})]
    with engine.begin() as conn:
        conn.execute(sa.insert(ROUNDS_0006), [open_round, closed_round])
        conn.execute(sa.insert(RATINGS_0006), rows)
        conn.execute(sa.insert(keys), [dict(caller=c, key=k, request_fingerprint="f", status_code=201, response=r,
                                            created_at=now) for c, k, r in answers])

    s = start_service("evaluation", database_url, make_settings)  # migrates to the head
    try:
        with s.engine.connect() as conn:
            stored = conn.execute(sa.select(round_ratings)).all()
            secrets = dict(conn.execute(sa.select(round_secrets.c.round_id, round_secrets.c.secret)).all())
            left = set(conn.execute(sa.select(keys.c.key)).scalars())
        assert {(r.party, r.rater_id) for r in stored} == {("self", ids[subject]), ("leader", ids[leader]),
                                                           ("peer", None), ("masses", None)}
        cells = [str(v) for r in stored for v in r]
        assert not [v for v in cells if peer.subject in v or masses.subject in v]
        # the open round has its secret and its ratings their pseudonyms under it; the closed one has no secret
        assert set(secrets) == {open_round["id"]}
        pseudonyms = RaterPseudonyms(secrets[open_round["id"]])
        in_open = {r.party: r.rater_key for r in stored if r.round_id == open_round["id"]}
        assert in_open == {p: pseudonyms.of(ids[w]) for p, w in
                           (("self", subject), ("peer", peer), ("masses", masses), ("leader", leader))}
        in_closed = {r.party: r.rater_key for r in stored if r.round_id == closed_round["id"]}
        assert len(set(in_closed.values())) == 4 and not set(in_closed.values()) & set(in_open.values())
        assert left == {"k-self", "k-open"}

        # the open round goes on: a second rating is refused, the rater sees their own, a newcomer rates
        again = rate(s, peer, open_round["id"], party="peer", rating="poor")
        assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
        assert rate(s, masses, open_round["id"], party="masses", rating="poor").json["error"]["code"] == "already_rated"
        mine = s.client.get(f"{ROUNDS}/{open_round['id']}", headers=s.headers(peer)).json["my_ratings"]
        assert [(r["party"], r["comment"]) for r in mine] == [("peer", "peer 的意见")]
        assert rate(s, person(), open_round["id"], party="masses", rating="fair").status_code == 201
        with s.engine.connect() as conn:
            twice = conn.execute(sa.select(sa.func.count()).select_from(round_ratings).where(
                round_ratings.c.round_id == open_round["id"])).scalar_one()
        assert twice == 5
    finally:
        s.engine.dispose()
        engine.dispose()
