"""A kiosk's batch costs a fixed number of statements, not one per rating or per bad rating (bench: issue 10,
batch of 100), and its answer is what the API documents."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from evaluation_service.schemas.ratings import WindowRatingBatchOut
from pacesetter_shared.identity import Identity
from tests.support.statements import DriverStatements


def test_a_batch_of_a_hundred_ratings_is_one_insert_and_its_bad_ones_one_more_with_their_events(evaluation_service, org):
    s = evaluation_service
    device = Identity(subject=str(uuid.uuid4()), kind="kiosk", name="评价器", window_id=str(org.window))
    batch = [{"client_id": f"n-{i}", "level": 2 if i % 20 == 19 else 5 - i % 3} for i in range(100)]
    batch.append({"client_id": "n-7", "level": 5})  # re-sent inside the batch
    batch.append({"client_id": "n-bad", "level": 9})  # refused by the schema, the others kept
    headers = s.headers(device)
    # the pool's first connection asks the server about itself: opened here, not in the batch
    assert s.client.post("/api/ratings", json={"client_id": "warm", "level": 5}, headers=headers).status_code == 201

    with DriverStatements() as sent:
        response = s.client.post("/api/ratings/batch", json={"ratings": batch}, headers=headers)
    answer = response.json

    assert (answer["accepted"], answer["duplicate"], answer["rejected"]) == (100, 1, 1)
    assert answer["items"][100]["status"] == "duplicate" and answer["items"][7]["status"] == "accepted"
    assert answer["items"][101]["status"] == "rejected" and "level" in answer["items"][101]["error"]["details"]
    assert len({item["rating_id"] for item in answer["items"][:100]}) == 100
    cases = [item["case_id"] for item in answer["items"][:100] if item["case_id"]]
    assert len(cases) == 5 and all(answer["items"][i]["case_id"] for i in range(19, 100, 20))
    assert len(sent.starting("INSERT INTO window_ratings")) == 1
    assert len(sent.starting("INSERT INTO followup_cases")) == 1
    # feedback.negative, one event for the batch's five cases (v3), with the commit
    assert len(sent.starting("INSERT INTO outbox")) == 1
    # and besides them only one read of the kiosk's window with the current tag set and, since the batch opens
    # cases, one of the working calendar's overrides (their deadlines skip the university's own days off); no ping
    # of the pooled connection, back from the warm-up a moment ago
    assert len(sent.starting("SELECT cal_overrides")) == 1
    assert len(sent.texts) == 1 + 1 + 1 + 1 + 1, sent.texts
    assert WindowRatingBatchOut().validate(answer) == {}
    assert WindowRatingBatchOut().dump(WindowRatingBatchOut().load(answer)) == answer
    with s.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM window_ratings")).scalar() == 101
        stored = conn.execute(sa.text("SELECT id::text, rating_id, level, state FROM followup_cases")).all()
        negatives = conn.execute(sa.text("SELECT envelope FROM outbox WHERE event_type = 'feedback.negative'")).scalars().all()
    assert sorted(c.id for c in stored) == sorted(cases) and {(c.level, c.state) for c in stored} == {(2, "open")}
    [negative] = negatives
    assert negative["version"] == 3 and [c["case_id"] for c in negative["data"]["cases"]] == cases

    # sent again after a lost answer: every rating a duplicate, nothing written twice
    again = s.client.post("/api/ratings/batch", json={"ratings": batch[:100]}, headers=headers).json
    assert (again["accepted"], again["duplicate"]) == (0, 100)
    with s.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM followup_cases")).scalar() == 5

    # more bad ratings, the calendar's copy as it was (its version comes with the window): not read again
    with DriverStatements() as sent:
        more = s.client.post("/api/ratings/batch", json={"ratings": [
            {"client_id": f"m-{i}", "level": 1} for i in range(3)]}, headers=headers).json
    assert more["accepted"] == 3 and all(item["case_id"] for item in more["items"])
    assert not sent.starting("SELECT cal_overrides") and len(sent.texts) == 4, sent.texts


def test_rows_are_stored_as_sent_whatever_values_they_share(evaluation_service):
    """A batch's shared values go once, the others as arrays: every mix stores each row's own values, and a
    duplicate (stored before, or twice in the list) gets no id, whichever parts of the key the rows share."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy.orm import Session

    from evaluation_service.adapters.rating_rows import COLUMNS, insert_ratings

    now = datetime.now(timezone.utc).replace(microsecond=0)
    windows, units, people = ([uuid.uuid4(), uuid.uuid4()] for _ in range(3))
    with evaluation_service.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO tag_sets (version, tags, created_at) VALUES (2, '{}', now()) "
                             "ON CONFLICT DO NOTHING"))

    def row(n, **changes):
        return {"window_id": windows[0], "unit_id": units[0], "source": "kiosk", "origin": "kiosk",
                "client_id": f"c-{n}", "level": 5, "reasons": [], "tag_set_version": 1, "on_duty_id": None,
                "rated_at": now, "received_at": now} | changes

    mixes = [
        [row(1), row(2)],  # a kiosk's batch: all but the client ids shared
        [row(3, level=2, reasons=["态度差"], on_duty_id=people[0]), row(4, rated_at=now - timedelta(hours=1))],
        [row(5, window_id=windows[1], unit_id=units[1]), row(5), row(6, origin="online", source="online",
                                                                     tag_set_version=2, on_duty_id=people[1])],
        [row(7), row(7), row(1), row(8, window_id=windows[1], unit_id=units[1], origin="online")],
        # the client ids go joined by a separator, the levels as digits: an id that holds the separator (the
        # schema refuses it, the adapter must not store it wrong) sends the ids as an array instead
        [row(9, level=1), row("9\x1fa", level=3), row("9\x1f", level=4), row("", level=5)],
    ]
    with Session(evaluation_service.engine) as session:
        ids = [insert_ratings(session, rows) for rows in mixes]
        session.commit()
    assert [[i is not None for i in batch] for batch in ids] == [
        [True, True], [True, True], [True, True, True], [True, False, False, True], [True] * 4]
    sent = {i: r for batch, rows in zip(ids, mixes) for i, r in zip(batch, rows) if i is not None}
    with evaluation_service.engine.connect() as conn:
        stored = conn.execute(sa.text(f"SELECT id, {', '.join(COLUMNS)} FROM window_ratings WHERE id = ANY(:ids)"),
                              {"ids": list(sent)}).mappings().all()
    assert len(stored) == len(sent) == 13
    for got in stored:
        assert {c: got[c] for c in COLUMNS} == sent[got["id"]]
