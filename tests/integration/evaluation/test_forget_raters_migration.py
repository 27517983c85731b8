"""0004 forgets who sent a masses' rating in the idempotency records kept before 0003, and nothing else."""
from datetime import datetime, timezone

import sqlalchemy as sa

from evaluation_service.app import MIGRATIONS
from pacesetter_shared import migrations
from pacesetter_shared.db import idempotency_keys_table as keys
from pacesetter_shared.db import make_engine

DEVICE, MEMBER = "kiosk:7f3c", "person:5a1e"
SINGLE = {"index": 0, "client_id": "c-1", "status": "accepted", "rating_id": 41, "case_id": None}
BATCH = {"accepted": 2, "duplicate": 0, "rejected": 0, "items": [SINGLE]}
ROUND = {"id": "r-1", "state": "open", "parties": []}


def test_old_rating_records_lose_their_sender_and_other_records_stay(fresh_database):
    url = fresh_database("evaluation")
    migrations.upgrade(MIGRATIONS, url, "0003")
    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    rows = [(DEVICE, "k1", SINGLE), (DEVICE, "k2", BATCH), (MEMBER, "k3", SINGLE), (MEMBER, "k4", ROUND),
            ("masses", "k5", SINGLE)]
    with engine.begin() as conn:
        conn.execute(sa.insert(keys), [dict(caller=c, key=k, request_fingerprint="f", status_code=201, response=r,
                                            created_at=now) for c, k, r in rows])
    migrations.upgrade(MIGRATIONS, url)
    with engine.connect() as conn:
        left = {(r.caller, r.key) for r in conn.execute(sa.select(keys.c.caller, keys.c.key))}
    engine.dispose()
    # a round rating (a member's own, not anonymous) and the new anonymous record stay
    assert left == {(MEMBER, "k4"), ("masses", "k5")}
