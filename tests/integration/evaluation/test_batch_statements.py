"""A kiosk's batch is stored with one INSERT, not one per rating (bench: issue 10, batch of 100)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.identity import Identity


def test_a_batch_of_a_hundred_ratings_is_one_insert(evaluation_service, org):
    s = evaluation_service
    device = Identity(subject=str(uuid.uuid4()), kind="kiosk", name="评价器", window_id=str(org.window))
    batch = [{"client_id": f"n-{i}", "level": 5 - i % 3} for i in range(100)]
    batch.append({"client_id": "n-7", "level": 5})  # re-sent inside the batch
    inserts = []

    def count(_conn, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip().upper().startswith("INSERT INTO WINDOW_RATINGS"):
            inserts.append(statement)

    sa.event.listen(sa.Engine, "before_cursor_execute", count)
    try:
        answer = s.client.post("/api/ratings/batch", json={"ratings": batch}, headers=s.headers(device)).json
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", count)

    assert (answer["accepted"], answer["duplicate"], answer["rejected"]) == (100, 1, 0)
    assert answer["items"][100]["status"] == "duplicate" and answer["items"][7]["status"] == "accepted"
    assert len({item["rating_id"] for item in answer["items"][:100]}) == 100
    assert len(inserts) == 1
    with s.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM window_ratings")).scalar() == 100
