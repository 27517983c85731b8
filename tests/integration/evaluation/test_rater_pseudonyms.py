"""A round keeps its peers and masses only as pseudonyms under its own secret (评议人化名), read straight from the
database: no cell ties a peer's or one of the masses' rating or comment to their person id, and once the round
closes its secret is gone — while the rules that needed the rater (one rating each, my own rating while open,
what waits for me, completion when every peer is in) keep working."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from evaluation_service.adapters.tables import round_ratings, round_secrets
from evaluation_service.service.round_results import close_due_rounds

from .test_round_lists import listed
from .test_rounds import ROUNDS, SELF_REPORT, open_round, rate


def _cells(service) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-null cell of every table of the service's database."""
    inspector = sa.inspect(service.engine)
    cells = []
    with service.engine.connect() as conn:
        for table in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(table)]
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).all():
                cells += [(table, column, str(value)) for column, value in zip(columns, row) if value is not None]
    return cells


def _rate_keyed(service, who, round_id, **body):
    key = {"Idempotency-Key": uuid.uuid4().hex}  # the portal sends one with every rating
    return service.client.post(f"{ROUNDS}/{round_id}/ratings", json=body, headers=service.headers(who) | key)


def _secrets(service) -> set[str]:
    with service.engine.connect() as conn:
        return {str(r) for r in conn.execute(sa.select(round_secrets.c.round_id)).scalars()}


def test_no_cell_ties_a_peers_or_the_masses_rating_to_their_person_id(evaluation_service, org):
    s = evaluation_service
    round_id = open_round(s, org)["id"]
    peer, one_of_the_masses = org.peer, org.masses[0]
    assert _rate_keyed(s, peer, round_id, party="peer", rating="poor", comment="互评意见甲").status_code == 201
    assert _rate_keyed(s, one_of_the_masses, round_id, party="masses", rating="fair",
                       comment="群众意见乙").status_code == 201
    assert _rate_keyed(s, org.member, round_id, party="self", rating="good",
                       target_reports=SELF_REPORT).status_code == 201

    # the person ids are stored where the design puts them: the directory, the round's list of asked peers and
    # the event asking them — never beside a rating, a comment or the stored answer to a rating
    cells = _cells(s)
    where_peer = {(t, c) for t, c, v in cells if peer.subject in v and not t.startswith("dir_")}
    assert where_peer == {("rounds", "peer_ids"), ("outbox", "envelope")}, where_peer
    with s.engine.connect() as conn:
        naming = conn.execute(sa.text("SELECT event_type FROM outbox WHERE CAST(envelope AS TEXT) LIKE :p"),
                              {"p": f"%{peer.subject}%"}).scalars().all()
    assert set(naming) == {"evaluation.requested"}
    assert not [(t, c) for t, c, v in cells if one_of_the_masses.subject in v and not t.startswith("dir_")]
    # the ratings and comments are stored, and the self-assessment keeps its known author
    with s.engine.connect() as conn:
        stored = {r.comment: r for r in conn.execute(sa.select(round_ratings))}
    assert {"互评意见甲", "群众意见乙"} <= stored.keys()
    assert (stored["互评意见甲"].rater_id, stored["群众意见乙"].rater_id) == (None, None)
    assert len({r.rater_key for r in stored.values()}) == 3
    # and the raters still see their own while the round is open
    mine = s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(peer)).json["my_ratings"]
    assert [(r["party"], r["comment"]) for r in mine] == [("peer", "互评意见甲")]


def test_a_second_rating_is_refused_and_a_repeated_request_answered_as_the_first(evaluation_service, org):
    s = evaluation_service
    round_id = open_round(s, org)["id"]
    headers = s.headers(org.masses[1]) | {"Idempotency-Key": "rate-once"}
    first = s.client.post(f"{ROUNDS}/{round_id}/ratings", json={"party": "masses", "rating": "good"}, headers=headers)
    again = s.client.post(f"{ROUNDS}/{round_id}/ratings", json={"party": "masses", "rating": "good"}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json == first.json
    twice = rate(s, org.masses[1], round_id, party="masses", rating="poor")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_rated"
    assert rate(s, org.peer, round_id, party="peer", rating="good").status_code == 201
    assert rate(s, org.peer, round_id, party="masses", rating="good").json["error"]["code"] in (
        "already_rated", "rater_not_allowed")
    assert rate(s, org.peer, round_id, party="peer", rating="good").json["error"]["code"] == "already_rated"
    progress = {p["party"]: p["submitted"] for p in s.client.get(
        f"{ROUNDS}/{round_id}", headers=s.headers(org.member)).json["parties"]}
    assert progress == {"self": 0, "peer": 1, "masses": 1, "leader": 0}


def test_a_peers_rating_takes_the_round_off_their_waiting_list(evaluation_service, org):
    s = evaluation_service
    theirs = open_round(s, org, target_id=org.peer.subject, subject_person_id=org.peer.subject, targets=[],
                        peer_ids=[org.member.subject, org.peer2.subject, org.secretary.subject])["id"]
    assert [r["id"] for r in listed(s, org.member, waiting="true")["items"]] == [theirs]
    assert rate(s, org.member, theirs, party="peer", rating="good").status_code == 201
    assert listed(s, org.member, waiting="true")["total"] == 0
    done = listed(s, org.member, waiting="false")
    assert [r["id"] for r in done["items"]] == [theirs] and done["items"][0]["my_ratings"][0]["party"] == "peer"
    assert listed(s, org.peer2, waiting="true")["total"] == 1


def test_the_secret_dies_with_the_round_however_it_closes_and_the_results_stay(evaluation_service, org):
    s = evaluation_service
    # completed by the last rating
    completed = open_round(s, org)["id"]
    assert rate(s, org.member, completed, party="self", rating="excellent", target_reports=SELF_REPORT).status_code == 201
    for peer in (org.peer, org.peer2, org.secretary):
        assert rate(s, peer, completed, party="peer", rating="good", comment="互评意见").status_code == 201
    assert rate(s, org.reviewer, completed, party="leader", rating="excellent", mode="on_site").status_code == 201
    assert completed in _secrets(s)
    for one in org.masses:
        last = rate(s, one, completed, party="masses", rating="fair", comment="群众意见")
    assert last.json["state"] == "completed" and last.json["my_ratings"][0]["comment"] == "群众意见"
    # at the deadline: one with the quorum (completed), one without (incomplete)
    on_time = open_round(s, org, target_id=str(uuid.uuid4()), quorum_percent=40)["id"]
    short = open_round(s, org, target_id=str(uuid.uuid4()))["id"]
    for round_id in (on_time, short):
        assert rate(s, org.member, round_id, party="self", rating="good", target_reports=SELF_REPORT).status_code == 201
        assert rate(s, org.reviewer, round_id, party="leader", rating="good", mode="individual").status_code == 201
        assert rate(s, org.peer, round_id, party="peer", rating="poor").status_code == 201
    assert _secrets(s) == {on_time, short}
    closed = close_due_rounds(s.uow_factory, datetime.now(timezone.utc) + timedelta(days=8))
    assert closed == {"completed": 1, "incomplete": 1}
    assert _secrets(s) == set()

    # nobody can tell a peer's or masses' rating as theirs any more; the self-assessment and the leader's
    # comment are by known people and stay theirs
    for round_id in (completed, on_time, short):
        assert s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.peer)).json["my_ratings"] == []
    as_member = s.client.get(f"{ROUNDS}/{completed}", headers=s.headers(org.member)).json
    assert [r["party"] for r in as_member["my_ratings"]] == ["self"]
    assert {b["party"]: b["raters"] for b in as_member["breakdown"]} == {"self": 1, "peer": 3, "masses": 3, "leader": 1}
    with s.engine.connect() as conn:
        kept = conn.execute(sa.select(round_ratings.c.party, round_ratings.c.comment, round_ratings.c.rater_id)
                            .where(round_ratings.c.round_id == completed)).all()
    assert sorted(c for p, c, _ in kept if p in ("peer", "masses")) == ["互评意见"] * 3 + ["群众意见"] * 3
    assert {p for p, _, rater in kept if rater is not None} == {"self", "leader"}
