"""Anonymity of the masses (群众评价, 意见箱) and secrecy of secrets, against the deployed shape.

After kiosk ratings, anonymous and logged-in online ratings and notes (each with a marked user agent
and an Idempotency-Key where the endpoint takes one), every column of every row of every table in
evaluation-service's database and every line every process logged is searched for what would tie
a rating or a note to someone: account ids, usernames, names, device ids, credentials, addresses,
user agents. Then the logs are searched for every secret, token and password the run used.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .support import gateway_secret, identity_private_key, kiosk_api, login, rating_link, rows, window_with_kiosk

pytestmark = pytest.mark.e2e


def _every_cell(suite, service: str) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-null cell of every table of a service's database."""
    engine = make_engine(suite.env[f"{service.upper()}_DATABASE_URL"], poolclass=sa.pool.NullPool)
    cells = []
    try:
        inspector = sa.inspect(engine)
        with engine.connect() as conn:
            for table in inspector.get_table_names():
                columns = [c["name"] for c in inspector.get_columns(table)]
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).all():
                    cells += [(table, column, str(value)) for column, value in zip(columns, row) if value is not None]
    finally:
        engine.dispose()
    return cells


def _logs(suite) -> dict[str, str]:
    return {path.name: path.read_text(errors="replace") for path in suite.workdir.glob("*.log")}


@pytest.fixture(scope="module")
def masses(suite):
    """The masses rate and write, some through a kiosk, some online, some while logged in."""
    window, device = window_with_kiosk(suite)
    marker = f"AnonymityProbe/{uuid.uuid4().hex}"
    kiosk, kiosk_headers = kiosk_api(suite, device)
    # logged in, yet rating and writing as one of the masses: someone who does nothing else in the suite
    # (a peer's round rating with its Idempotency-Key is rightly kept under the peer's account)
    username = f"masses{uuid.uuid4().hex[:8]}"
    created = login(suite, "zuzhibu").post("/api/directory/persons", {
        "username": username, "password": "Masses-Pa55word", "name": "群众代表", "category": "masses"})
    assert created.status == 201, created.json
    member = Api(suite.gateway).login(username, "Masses-Pa55word")
    ua = {"User-Agent": marker}
    sent = []
    for level in (5, 1, 2, 4, 3):
        body = {"client_id": uuid.uuid4().hex, "level": level}
        sent.append(kiosk.post("/api/ratings", body, headers=kiosk_headers | ua | {"Idempotency-Key": uuid.uuid4().hex}))
    sent.append(kiosk.post("/api/ratings/batch", {"ratings": [{"client_id": uuid.uuid4().hex, "level": 1}]},
                           headers=kiosk_headers | ua | {"Idempotency-Key": uuid.uuid4().hex}))
    token = rating_link(suite, window)  # online: by the QR code printed at the window
    for api in (Api(suite.gateway), member):
        for level in (5, 2):
            sent.append(api.post("/api/ratings", {"client_id": uuid.uuid4().hex, "window_id": window["id"],
                                                  "level": level, "link_token": token},
                                 headers=ua | {"Idempotency-Key": uuid.uuid4().hex}))
        sent.append(api.post("/api/feedback/suggestions", {"window_id": window["id"], "body": "窗口排队太久，建议增加人手",
                                                           "is_complaint": True}, headers=ua))
    assert all(r.status in (200, 201) for r in sent), [(r.status, r.json) for r in sent]
    me = member.get("/api/auth/me").json
    return {"window": window, "device": device, "marker": marker, "person": me}


def test_nothing_stored_or_logged_ties_a_rating_or_note_to_someone(suite, masses):
    device, person = masses["device"], masses["person"]
    identifying = {
        "account id": person["id"], "username": person["username"], "name": person["name"],
        "device id": device["id"], "kiosk credential": device["credential"].split(".", 1)[1],
        "user agent": masses["marker"], "address": "127.0.0.1",
    }
    found = [(label, table, column) for table, column, value in _every_cell(suite, "evaluation")
             for label, needle in identifying.items() if needle in value
             and table.startswith(("window_ratings", "suggestions", "followup_cases", "idempotency", "appeals"))]
    print(f"evaluation cells searched: {len(_every_cell(suite, 'evaluation'))}")
    assert found == []
    # The masses' part of the logs: nothing of the rater, in any process.
    leaks = [(label, name) for name, text in _logs(suite).items() for label, needle in identifying.items()
             if needle in text and label in ("user agent", "kiosk credential", "device id")]
    assert leaks == []
    # What a logged-in rater did leaves no account id in the logs of the service that took it.
    assert person["id"] not in _logs(suite).get("evaluation-web.log", "")


def test_a_summary_under_the_minimum_group_is_not_returned(suite, masses):
    secretary = login(suite, "zhishu")
    today = date.today()
    response = secretary.get(f"/api/ratings/summary?window_id={masses['window']['id']}&granularity=day"
                             f"&from={today - timedelta(days=1)}&to={today + timedelta(days=1)}")
    assert response.status == 200, response.json
    for period in response.json["items"]:
        if period["shown"]:
            assert period["total"] >= int(suite.env.get("ANONYMITY_MIN_GROUP", 3)), period
        else:
            assert period["counts"] is None and period["total"] is None and period["satisfaction_rate"] is None
    # A window with one rating only: its day is never shown.
    lone, device = window_with_kiosk(suite)
    kiosk, headers = kiosk_api(suite, device)
    assert kiosk.post("/api/ratings", {"client_id": uuid.uuid4().hex, "level": 1}, headers=headers).status == 201
    single = secretary.get(f"/api/ratings/summary?window_id={lone['id']}&granularity=day"
                           f"&from={today - timedelta(days=1)}&to={today + timedelta(days=1)}").json["items"]
    assert single and not any(p["shown"] for p in single), single


def test_no_secret_token_or_password_reaches_a_log(suite, masses):
    member = login(suite, "dangyuan")
    tokens = Api(suite.gateway).post("/api/auth/login", {"username": "zhishu", "password": DEMO_PASSWORD}).json
    wrong = Api(suite.gateway).post("/api/auth/login", {"username": "zhishu", "password": "wrong-Pa55word-probe"})
    assert wrong.status == 401
    private = identity_private_key(suite)
    secrets = {
        "gateway secret": gateway_secret(suite),
        "identity private key": "".join(private.strip().splitlines()[1:-1]),
        "demo password": DEMO_PASSWORD, "a wrong password": "wrong-Pa55word-probe",
        "access token": member.token, "another access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "kiosk secret": masses["device"]["credential"].split(".", 1)[1],
        "broker password": "guest:guest",
    }
    logs = _logs(suite)
    assert logs and sum(len(text) for text in logs.values()) > 0
    leaks = [(label, name) for name, text in logs.items() for label, value in secrets.items() if value in text]
    print(f"log files searched: {len(logs)}, {sum(len(t) for t in logs.values())} characters")
    assert leaks == []
    # Signed identities travel between processes only in headers, never in a log line.
    assert not any("eyJ" in text for text in logs.values())


def _someone_new(suite, category: str) -> tuple[str, Api]:
    """A person who does nothing else in the suite (a member of 教工第一党支部, or one of the masses), logged in,
    once evaluation-service knows them."""
    username, password = f"{category}{uuid.uuid4().hex[:8]}", f"Lantern-{uuid.uuid4().hex[:12]}-river"
    member = {"unit_id": str(_id("br-teachers")), "member_status": "full",
              "roles": [{"role": "member", "unit_id": str(_id("br-teachers"))}]} if category == "member" else {}
    created = login(suite, "zuzhibu").post("/api/directory/persons", {
        "username": username, "password": password, "name": f"评议测试{category}", "category": category, **member})
    assert created.status == 201, created.json
    wait_for(lambda: rows(suite, "evaluation", "SELECT 1 FROM dir_persons WHERE id = :p", p=created.json["id"]),
             timeout=30, message="evaluation-service to know the person")
    return created.json["id"], Api(suite.gateway).login(username, password)


def test_a_round_keeps_no_peers_or_masses_person_id_and_forgets_its_secret_when_it_closes(suite):
    """评议人化名 (finding 12): a peer's and the masses' ratings and comments in a round, each sent with an
    Idempotency-Key as the portal sends it, leave their person ids nowhere in evaluation-service's database but
    where the design puts them (the directory, the round's asked peers and the event asking them); the last
    rating completes the round and its secret is gone."""
    peer_id, peer = _someone_new(suite, "member")
    masses = [_someone_new(suite, "masses") for _ in range(int(suite.env.get("ANONYMITY_MIN_GROUP", 3)))]
    opened = login(suite, "zuzhibu").post("/api/evaluations/rounds", {
        "target_kind": "pledge", "target_id": str(uuid.uuid4()), "unit_id": str(_id("br-teachers")),
        "subject_person_id": str(_id("dangyuan")), "year": 2026, "weights": {"peer": 50, "masses": 50},
        "deadline": (datetime.now(timezone.utc) + timedelta(days=7)).isoformat(), "peer_ids": [peer_id]})
    assert opened.status == 201, opened.json
    round_id = opened.json["id"]
    url = f"/api/evaluations/rounds/{round_id}/ratings"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    answer = peer.post(url, {"party": "peer", "rating": "poor", "comment": "互评探针"}, headers=key)
    assert answer.status == 201 and answer.json["my_ratings"][0]["comment"] == "互评探针", answer.json
    assert peer.post(url, {"party": "peer", "rating": "poor", "comment": "互评探针"}, headers=key).json == answer.json
    assert peer.post(url, {"party": "peer", "rating": "good"}).json["error"]["code"] == "already_rated"
    assert rows(suite, "evaluation", "SELECT 1 FROM round_secrets WHERE round_id = :r", r=round_id)
    for _, one in masses:
        last = one.post(url, {"party": "masses", "rating": "fair", "comment": "群众探针"},
                        headers={"Idempotency-Key": uuid.uuid4().hex})
        assert last.status == 201, last.json
    assert last.json["state"] == "completed"

    raters = {"peer": peer_id, **{f"masses {i}": person for i, (person, _) in enumerate(masses)}}
    found = {(label, table, column) for table, column, value in _every_cell(suite, "evaluation")
             for label, person in raters.items() if person in value and not table.startswith("dir_")}
    assert found == {("peer", "rounds", "peer_ids"), ("peer", "outbox", "envelope")}, found
    asking = rows(suite, "evaluation", "SELECT event_type FROM outbox WHERE CAST(envelope AS TEXT) LIKE :p",
                  p=f"%{peer_id}%")
    assert {event_type for event_type, in asking} == {"evaluation.requested"}
    stored = rows(suite, "evaluation", "SELECT party, rater_id, comment FROM round_ratings WHERE round_id = :r",
                  r=round_id)
    assert sorted((party, rater, comment) for party, rater, comment in stored) == \
        [("masses", None, "群众探针")] * len(masses) + [("peer", None, "互评探针")]
    assert rows(suite, "evaluation", "SELECT 1 FROM round_secrets WHERE round_id = :r", r=round_id) == []
    assert peer.get(f"/api/evaluations/rounds/{round_id}").json["my_ratings"] == []


def test_the_embedded_mode_makes_its_own_secrets_once_and_configured_ones_win(tmp_path):
    from pacesetter_shared.identity import load_or_create_keys, load_or_create_secret

    first = load_or_create_secret(tmp_path, "gateway-secret", None)
    assert len(first) >= 40 and load_or_create_secret(tmp_path, "gateway-secret", None) == first
    assert (tmp_path / "keys" / "gateway-secret").stat().st_mode & 0o077 == 0  # readable by the owner only
    public, private = load_or_create_keys(tmp_path, None, None, want_private=True)
    assert "PRIVATE KEY" in private and load_or_create_keys(tmp_path, None, None, want_private=True) == (public, private)
    elsewhere = tmp_path / "configured"
    assert load_or_create_secret(elsewhere, "gateway-secret", "from-the-environment") == "from-the-environment"
    assert load_or_create_keys(elsewhere, public, private, want_private=True) == (public, private)
    assert not (elsewhere / "keys").exists()  # configured: nothing generated, nothing written
    other = tmp_path / "another-installation"
    assert load_or_create_secret(other, "gateway-secret", None) != first
