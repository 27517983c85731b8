"""Bad input through the gateway, against the deployed shape: every answer a 4xx in the one error
shape, never a 500, and hostile text (SQL, HTML, script) stored and returned as plain text."""
from __future__ import annotations

import http.client
import json
import socket
import uuid
from datetime import date
from urllib.parse import urlsplit

import pytest

from gateway.service.demo import _id
from tests.support.http import Api

from .support import kiosk_api, login, rows, window_with_kiosk

pytestmark = pytest.mark.e2e

# A body to each kind of door: proxied to a service, or the gateway's own Flask part.
DOORS = ["/api/pledges", "/api/feedback/suggestions", "/api/ratings", "/api/grading/cycles",
         "/api/notifications/preferences", "/api/directory/units", "/api/auth/login"]
METHOD = {"/api/notifications/preferences": "PUT"}

HOSTILE = [
    "'; DROP TABLE pledges; --",
    "\" OR 1=1 --",
    "1); DELETE FROM window_ratings WHERE (1=1",
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "{{7*7}} ${7*7} %s %n",
    "零宽\u200b字符 与 emoji 🚩 与 \\u0000",
]


def _raw(suite, method: str, path: str, body: bytes | None, headers: dict, send_body: bool = True):
    """One request on its own connection; the body may be announced and left unsent (as a proxy sees
    a client it cuts short)."""
    address = urlsplit(suite.gateway)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        conn.putrequest(method, path)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        if body and send_body:
            conn.send(body)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Content-Type")
    finally:
        conn.close()


def _error(status_body) -> dict:
    status, body, content_type = status_body
    assert content_type and content_type.startswith("application/json"), (status, body[:200])
    parsed = json.loads(body)
    assert set(parsed) == {"error"} and {"code", "message", "details"} <= set(parsed["error"]), parsed
    return parsed["error"]


@pytest.fixture(scope="module")
def member(suite):
    return login(suite, "dangyuan")


def _headers(api: Api, content_type: str | None = "application/json", length: int | None = None) -> dict:
    headers = {"Authorization": f"Bearer {api.token}", "Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    if length is not None:
        headers["Content-Length"] = str(length)
    return headers


@pytest.mark.parametrize("path", DOORS)
@pytest.mark.parametrize("megabytes", [5, 7, 9])
def test_an_oversized_body_is_413_in_the_error_shape(suite, member, path, megabytes):
    # Announced over the 4 MiB that the gateway and every service take: refused before a byte is read,
    # also between the gateway's old limit and a service's (once a 502 when the service cut it off).
    answer = _raw(suite, METHOD.get(path, "POST"), path, b"{}", _headers(member, length=megabytes * 1024 * 1024),
                  send_body=False)
    assert answer[0] == 413, answer[:2]
    assert _error(answer)["code"] == "payload_too_large"


@pytest.mark.parametrize("path", DOORS)
@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000],
                         ids=["arrays", "objects"])
def test_deeply_nested_json_is_400(suite, member, path, body):
    answer = _raw(suite, METHOD.get(path, "POST"), path, body, _headers(member, length=len(body)))
    assert answer[0] == 400, answer[:2]
    assert _error(answer)["code"] == "bad_request"


@pytest.mark.parametrize("path", DOORS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded",
                                          None])
def test_a_body_that_is_not_declared_json_is_415(suite, member, path, content_type):
    body = b'{"title": "x"}'
    answer = _raw(suite, METHOD.get(path, "POST"), path, body, _headers(member, content_type, len(body)))
    assert answer[0] == 415, (content_type, answer[:2])
    assert _error(answer)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("path", DOORS)
@pytest.mark.parametrize("body", [b'{"title": "\xff\xfe\xc3("}', b"\xef\xbb\xbf\x80\x81", b'{"title": '],
                         ids=["invalid utf-8 in a string", "invalid utf-8 throughout", "truncated"])
def test_a_body_that_is_not_json_text_is_400(suite, member, path, body):
    answer = _raw(suite, METHOD.get(path, "POST"), path, body, _headers(member, length=len(body)))
    assert answer[0] == 400, answer[:2]
    assert _error(answer)["code"] == "bad_request"


def test_a_batch_over_500_is_refused_whole_and_500_are_taken(suite):
    window, device = window_with_kiosk(suite)
    api, headers = kiosk_api(suite, device)
    over = {"ratings": [{"client_id": uuid.uuid4().hex, "level": 5} for _ in range(501)]}
    refused = api.post("/api/ratings/batch", over, headers=headers)
    assert refused.status == 422, refused.status
    assert refused.json["error"]["code"] == "validation_error" and "ratings" in refused.json["error"]["details"]
    assert rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE window_id = :w", w=window["id"]) == []
    full = {"ratings": over["ratings"][:500]}
    taken = api.post("/api/ratings/batch", full, headers=headers)
    assert taken.status == 200 and taken.json["accepted"] == 500, taken.json and {
        k: taken.json[k] for k in ("accepted", "duplicate", "rejected")}
    assert len(rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE window_id = :w", w=window["id"])) == 500


@pytest.mark.parametrize("text", HOSTILE)
def test_sql_and_markup_in_text_fields_are_stored_and_returned_as_text(suite, member, text):
    due = date(date.today().year + 1, 6, 30).isoformat()
    pledge = member.post("/api/pledges", {"kind": "annual", "title": text, "content": text, "targets": [text],
                                          "masses_participants": [text], "areas": ["study"], "due_date": due})
    assert pledge.status == 201, pledge.json
    read = member.get(f"/api/pledges/{pledge.json['id']}").json
    assert (read["title"], read["content"], read["targets"], read["masses_participants"]) == (text, text, [text],
                                                                                              [text])
    stored = rows(suite, "pledge", "SELECT title, content FROM pledges WHERE id = :p", p=pledge.json["id"])
    assert stored == [(text, text)]

    note = Api(suite.gateway).post("/api/feedback/suggestions", {"unit_id": str(_id("br-teachers")), "body": text})
    assert note.status == 201, note.json
    assert rows(suite, "evaluation", "SELECT body FROM suggestions WHERE id = :n", n=note.json["id"]) == [(text,)]
    secretary = login(suite, "zhishu")
    listed = secretary.get("/api/feedback/suggestions?limit=100").json["items"]
    assert text in [n["body"] for n in listed]

    org = login(suite, "zuzhibu")
    unit = org.post("/api/directory/units", {"name": text[:100], "kind": "group", "parent_id": str(_id("br-affairs"))})
    assert unit.status == 201, unit.json
    assert org.get(f"/api/directory/units/{unit.json['id']}").json["name"] == text[:100]
    # Every table the strings were aimed at is still there and still answers.
    assert rows(suite, "pledge", "SELECT count(*) FROM pledges")[0][0] >= 1
    assert rows(suite, "evaluation", "SELECT count(*) FROM window_ratings")[0][0] >= 0


def test_what_the_fuzzing_found_stays_fixed(suite, member):
    """Each once a 500 (tests/fuzz/test_openapi.py found them): now a 4xx in the error shape."""
    address = urlsplit(suite.gateway)
    # Raw UTF-8 bytes in the path: the gateway sent them on as they came, and http.client refused.
    with socket.create_connection((address.hostname, address.port), timeout=30) as raw:
        raw.sendall(b"GET /api/pledges/guidance/2\xf1\xa8\x8f\x8d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    b"Authorization: Bearer " + member.token.encode() + b"\r\n\r\n")
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    content_type = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                         if line.lower().startswith(b"content-type:")), None)
    answer = (status, body, content_type)
    assert answer[0] in (404, 422), answer[:2]
    _error(answer)
    too_far = member.get("/api/evaluations/rounds?limit=10&offset=95580433863295825623384064")
    assert too_far.status in (400, 422) and too_far.json["error"]["code"] == "validation_error", too_far.status
    unit = _id("br-teachers")
    for path in (f"/api/ratings/ranking?month=0000-01&unit_id={unit}", f"/api/ratings/stars?month=0000-01&unit_id={unit}"):
        response = member.get(path)
        assert response.status == 422, (path, response.status)
    # NUL in a rejected item's field names was echoed into the stored idempotent answer.
    nul = Api(suite.gateway).post("/api/ratings/batch", {"ratings": [{"client_id\u0000": "x"}]},
                                  headers={"Idempotency-Key": uuid.uuid4().hex})
    assert nul.status in (200, 422), nul.status
    assert "error" in nul.json or nul.json["rejected"] == 1


# -- Security 2.0 (#20): no 500 from any input, and no loose input ------------------------------------------------
# Each was a 500, a 422 that named no field (the database refused the value), or a value taken loosely.

BIGINT_PAST = 2**63
SURROGATE, NUL = "\ud800", "\u0000"  # json.dumps sends them as the escapes \ud800 and \u0000


def _named(response, field: str, language: str = "zh-CN") -> list:
    """The messages a 422 in the error shape gives for ``field``."""
    assert response.status == 422, (field, response.status, response.body[:300])
    error = response.json["error"]
    assert error["code"] == "validation_error" and field in error["details"], (field, error)
    assert response.headers["Content-Language"] == language
    return error["details"][field]


def _lists(suite) -> list[str]:
    """Every list of the combined OpenAPI document (each GET taking offset), its path ids filled."""
    spec = Api(suite.gateway).get("/api/openapi.json").json
    paths = [path for path, operations in spec["paths"].items()
             if any(parameter.get("name") == "offset" for parameter in operations.get("get", {}).get("parameters", []))]
    # a path part that names a kind of thing (a form's kind) is one that exists; an id may be anyone's
    named = {"{kind}": "pledge-letter"}
    return ["/".join(named.get(part, str(uuid.uuid4())) if part.startswith("{") else part for part in path.split("/"))
            for path in paths]


def test_offset_and_limit_past_bigint_are_422_naming_them_on_every_list(suite):
    org = login(suite, "zuzhibu")
    lists = _lists(suite)
    assert len(lists) >= 25 and "/api/pledges/wall" in lists, lists
    for path in lists:
        for name in ("offset", "limit"):
            _named(org.get(f"{path}?{name}={BIGINT_PAST}"), name)
    # the public pledge wall, without login
    wall = Api(suite.gateway, language="en").get(f"/api/pledges/wall?unit_id={_id('br-teachers')}&offset={BIGINT_PAST}")
    assert _named(wall, "offset", "en") == [f"Must be greater than or equal to 0 and less than or equal to {2**63 - 1}."]


def test_a_path_id_past_bigint_names_nothing(suite, member):
    for number in (BIGINT_PAST, 2**70, "9" * 5000):
        answer = member.post(f"/api/ratings/{number}/appeals", {"reason": "过大的编号"})
        assert answer.status == 404 and answer.json["error"]["code"] == "not_found", (number, answer.status)


def _pledge(**change) -> dict:
    due = date(date.today().year + 1, 6, 30).isoformat()
    return {"kind": "annual", "title": "夜间值班", "content": "接待来访群众", "areas": ["study"], "due_date": due} | change


# (who sends it: None for nobody logged in, where, the body, the field named)
TEXT_DOORS = {
    "login name": (None, "/api/auth/login", lambda text: {"username": text, "password": "x"}, "username"),
    "pledge title": ("dangyuan", "/api/pledges", lambda text: _pledge(title=text), "title"),
    "pledge content": ("dangyuan", "/api/pledges", lambda text: _pledge(content=text), "content"),
    "pledge target": ("dangyuan", "/api/pledges", lambda text: _pledge(targets=[text]), "targets"),
    "suggestion body": (None, "/api/feedback/suggestions",
                        lambda text: {"unit_id": str(_id("br-teachers")), "body": text}, "body"),
    "unit name": ("zuzhibu", "/api/directory/units",
                  lambda text: {"name": text, "kind": "group", "parent_id": str(_id("br-affairs"))}, "name"),
    "a field's name": ("dangyuan", "/api/pledges", lambda text: {"title" + text[-1]: "x"}, "title\\u{code:04x}"),
}


@pytest.mark.parametrize("bad", [SURROGATE, NUL], ids=["lone surrogate", "NUL"])
@pytest.mark.parametrize("door", TEXT_DOORS)
def test_lone_surrogates_and_nul_in_text_are_422_naming_the_field_and_nothing_is_stored(suite, door, bad):
    who, path, body, field = TEXT_DOORS[door]
    api = login(suite, who) if who else Api(suite.gateway)
    marker = f"坏字符{uuid.uuid4().hex[:8]}"
    _named(api.post(path, body(marker + bad)), field.format(code=ord(bad)))
    assert rows(suite, "pledge", "SELECT 1 FROM pledges WHERE title LIKE :m OR content LIKE :m",
                m=f"{marker}%") == []
    assert rows(suite, "evaluation", "SELECT 1 FROM suggestions WHERE body LIKE :m", m=f"{marker}%") == []


@pytest.mark.parametrize("path, field", [("/api/directory/units?q=a%00b", "q"),
                                         ("/api/pledges/guidance/admin%00istrative", "department_kind")])
def test_nul_in_a_query_or_a_path_is_422_naming_it(suite, member, path, field):
    _named(member.get(path), field)


@pytest.fixture(scope="module")
def kiosk(suite):
    window, device = window_with_kiosk(suite)
    api, headers = kiosk_api(suite, device)
    return window, api, headers | {"Content-Type": "application/json", "Accept-Language": "en"}


LOOSE_RATINGS = {  # each once taken (a case opened for level 1), or refused by the database naming no field
    "a fraction for an integer": ('"level": 1.5', "level", "Not a valid integer."),
    "text for an integer": ('"level": "1"', "level", "Not a valid integer."),
    "a key twice": ('"level": 5, "level": 1', "level", "Given more than once: name each field once."),
    "a version past bigint": (f'"level": 5, "tag_set_version": {2**70}', "tag_set_version",
                              f"Must be greater than or equal to {-2**63} and less than or equal to {2**63 - 1}."),
    "a version past its column": (f'"level": 5, "tag_set_version": {2**40}', "tag_set_version",
                                  "Must be greater than or equal to 1 and less than or equal to 2147483647."),
}


@pytest.mark.parametrize("case", LOOSE_RATINGS)
def test_a_rating_with_a_loose_value_is_refused_naming_it_not_converted(suite, kiosk, case):
    window, _api, headers = kiosk
    values, field, message = LOOSE_RATINGS[case]
    client_id = uuid.uuid4().hex
    body = ('{"client_id": "%s", %s}' % (client_id, values)).encode()
    status, answer, _type = _raw(suite, "POST", "/api/ratings", body, headers | {"Content-Length": str(len(body))})
    assert status == 422, (status, answer[:300])
    assert json.loads(answer)["error"]["details"] == {field: [message]}
    assert rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE client_id = :c", c=client_id) == []


def test_yes_is_no_boolean_in_a_body_but_query_booleans_stay_words(suite):
    complaint = Api(suite.gateway).post("/api/feedback/suggestions", {"unit_id": str(_id("br-teachers")),
                                                                       "body": "宽松的布尔值", "is_complaint": "yes"})
    _named(complaint, "is_complaint")
    assert rows(suite, "evaluation", "SELECT 1 FROM suggestions WHERE body = '宽松的布尔值'") == []
    org = login(suite, "zuzhibu")
    for word in ("true", "false"):
        assert org.get(f"/api/directory/units?include_below={word}&limit=1").status == 200


def test_a_kiosk_batch_with_a_bad_client_id_answers_each_item_on_every_retry(suite, kiosk):
    window, api, headers = kiosk
    good = uuid.uuid4().hex
    batch = {"ratings": [{"client_id": good, "level": 5}, {"client_id": "坏" + SURROGATE, "level": 4}]}
    for attempt in range(3):
        answer = api.post("/api/ratings/batch", batch, headers=headers)
        assert answer.status == 200, (attempt, answer.status, answer.body[:300])
        first, bad = answer.json["items"]
        assert (first["client_id"], first["status"]) == (good, "accepted" if attempt == 0 else "duplicate")
        assert bad["status"] == "rejected" and bad["client_id"] is None
        assert bad["error"]["details"] == {"client_id": [
            "Text may not contain a lone surrogate (it is no Unicode character)."]}
    assert rows(suite, "evaluation", "SELECT 1 FROM window_ratings WHERE client_id = :c", c=good) == [(1,)]


def test_a_kiosk_batch_answers_each_item_however_bad_and_a_retry_answers_the_same(suite):
    window, device = window_with_kiosk(suite)
    api, kiosk_headers = kiosk_api(suite, device)
    good = [uuid.uuid4().hex, uuid.uuid4().hex]
    batch = {"ratings": [
        {"client_id": good[0], "level": 5},
        {"client_id": "坏" + SURROGATE, "level": 4},
        {"client_id": uuid.uuid4().hex, "level": 5, "tag_set_version": 2**70},
        {"client_id": uuid.uuid4().hex, "level": 2**64},
        {"client_id": uuid.uuid4().hex, "level": 1.5},
        {"client_id": ["not", "text"], "level": 5},
        "not a rating",
        None,
        {"client_id": uuid.uuid4().hex, "level": 5, "note" + NUL: "x"},
        {"client_id": good[1], "level": 4},
    ]}
    answers = [api.post("/api/ratings/batch", batch, headers=kiosk_headers),
               api.post("/api/ratings/batch", batch, headers=kiosk_headers),
               api.post("/api/ratings/batch", batch, headers={**kiosk_headers, "Idempotency-Key": uuid.uuid4().hex})]
    for attempt, answer in enumerate(answers):
        assert answer.status == 200, (attempt, answer.status, answer.body[:300])
        items = answer.json["items"]
        expected = "accepted" if attempt == 0 else "duplicate"
        assert [item["status"] for item in items] == [expected] + ["rejected"] * 8 + [expected], items
        assert (answer.json["accepted"], answer.json["duplicate"], answer.json["rejected"]) == (
            (2, 0, 8) if attempt == 0 else (0, 2, 8))
        assert [item["client_id"] for item in items][0::9] == good
        assert items[1]["client_id"] is None and "client_id" in items[1]["error"]["details"]
        assert [next(iter(items[i]["error"]["details"])) for i in (2, 3, 4, 5, 8)] == [
            "tag_set_version", "level", "level", "client_id", "note\\u0000"]
        assert all(items[i]["error"]["details"] == {"_schema": ["输入类型无效，应为对象。"]} for i in (6, 7))
    stored = rows(suite, "evaluation", "SELECT client_id FROM window_ratings WHERE window_id = :w", w=window["id"])
    assert sorted(client_id for (client_id,) in stored) == sorted(good)
