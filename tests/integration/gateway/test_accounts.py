"""Nobody locks the organisation or themselves out; passwords keep to the policy; one changes one's own password
with the current one, and one's other sessions end."""
from __future__ import annotations

import io
import uuid

import pytest
import sqlalchemy as sa

from gateway.adapters.tables import login_audit
from gateway.service.demo import DEMO_PASSWORD, seed
from tests.support.services import start_service

from .conftest import DEMO, bearer

EN = {"Accept-Language": "en"}


def _patch(gateway, headers, username, **changes):
    return gateway.client.patch(f"/api/directory/persons/{DEMO(username)}", headers=headers, json=changes)


def _ops_only(gateway, org) -> dict:
    """An ops account that is not the organisation department's."""
    created = gateway.client.post("/api/directory/persons", headers=org, json={
        "username": "yunwei", "password": "ops-kestrel-2041", "name": "运维值班",
        "roles": [{"role": "ops_admin", "unit_id": None}]})
    assert created.status_code == 201, created.json
    return bearer(gateway.client.post("/api/auth/login", json={"username": "yunwei",
                                                               "password": "ops-kestrel-2041"}).json)


def test_nobody_disables_or_demotes_themselves(gateway, login):
    org = bearer(login("zuzhibu"))
    committee = str(DEMO("committee"))
    attempts = {
        "active": {"active": False},
        "roles": {"roles": [{"role": "ops_admin", "unit_id": None}]},  # without org_department
        "roles ": {"roles": [{"role": "org_department", "unit_id": committee}]},  # without ops_admin
        "password": {"password": "a-new-kestrel-2041"},  # one's own: with the current one, on the profile page
    }
    for field, changes in attempts.items():
        refused = _patch(gateway, org | EN, "zuzhibu", **changes)
        assert refused.status_code == 409, (field, refused.json)
        assert refused.json["error"]["code"] == "conflict"
        assert field.strip() in refused.json["error"]["details"], refused.json
    assert "yourself" in _patch(gateway, org | EN, "zuzhibu", **attempts["roles"]).json["error"]["message"]
    assert _patch(gateway, org, "zuzhibu", active=False).json["error"]["message"] == "不能停用自己的账号。"
    me = gateway.client.get("/api/auth/me", headers=org)
    assert me.status_code == 200 and me.json["active"] is True and len(me.json["roles"]) == 2
    # what is not taking a role away from oneself goes through: a name, or a role added
    assert _patch(gateway, org, "zuzhibu", name="王组织").status_code == 200


def test_the_last_active_organisation_department_account_stays(gateway, login):
    org = bearer(login("zuzhibu"))
    ops = _ops_only(gateway, org)
    for changes in ({"active": False}, {"roles": [{"role": "ops_admin", "unit_id": None}]}):
        refused = _patch(gateway, ops | EN, "zuzhibu", **changes)
        assert refused.status_code == 409, refused.json
        assert "last active account of the organisation department" in refused.json["error"]["message"]
    # with a second one, either may go
    second = _patch(gateway, org, "zhishu", roles=[{"role": "member", "unit_id": str(DEMO("br-teachers"))},
                                                    {"role": "org_department", "unit_id": str(DEMO("committee"))}])
    assert second.status_code == 200, second.json
    assert _patch(gateway, ops, "zuzhibu", active=False).status_code == 200
    # and now the other is the last one
    assert _patch(gateway, ops, "zhishu", active=False).status_code == 409
    assert _patch(gateway, ops, "zhishu", roles=[{"role": "member", "unit_id": str(DEMO("br-teachers"))}]
                  ).status_code == 409
    # a disabled holder of the role counts for nothing; anyone else may still be disabled
    assert _patch(gateway, ops, "dangyuan", active=False).status_code == 200


WEAK = {
    "12345678": "至少 10 个字符",
    "password": "是常用密码",
    "aaaaaaaa": "重复的字符或词",
    "1234567890": "是常用密码",
    "aaaaaaaaaaaaaa": "重复的字符或词",
    "abcdefghijkl": "连续的字符",
    "asdfghjklzxcv": "键盘上相邻的按键",
    "liuwei-liuwei": "不能包含本人的用户名或姓名",
    "刘伟刘伟刘伟刘伟刘伟": "重复的字符或词",
}


def test_weak_passwords_are_refused_with_the_reason_in_the_users_language(gateway, login):
    org = bearer(login("zuzhibu"))
    for password, reason in WEAK.items():
        refused = _patch(gateway, org, "liuwei", password=password)
        assert refused.status_code == 422, (password, refused.json)
        assert any(reason in text for text in refused.json["error"]["details"]["password"]), (password, refused.json)
        assert refused.json["error"]["message"].startswith("密码不符合要求：")
    english = _patch(gateway, org | EN, "liuwei", password="password")
    assert english.json["error"]["details"]["password"] == ["at least 10 characters", "a commonly used password"]
    # the person's name in the password, from their entry
    named = gateway.client.post("/api/directory/persons", headers=org | EN, json={
        "username": "qianxuesen", "name": "Qian Xuesen", "password": "xuesen-1911-qian"})
    assert named.status_code == 422 and "must not contain your user name or name" in named.json["error"]["details"][
        "password"]
    # a weak one stayed unset; the demo password is strong enough and still logs in
    assert gateway.client.post("/api/auth/login", json={"username": "liuwei", "password": "password"}).status_code == 401
    assert login("liuwei")["person"]["name"] == "刘伟"
    # the roster import keeps to the same policy, line by line
    roster = "姓名,用户名,初始密码,所在支部,政治面貌,角色\n钱学,qianxue,12345678,教育学院教工第一党支部,正式党员,党员\n"
    report = gateway.client.post("/api/directory/imports?kind=persons&dry_run=true", headers=org | {
        "Content-Type": "text/csv"}, data=roster.encode())
    assert report.status_code == 200
    assert {(e["line"], e["field"]) for e in report.json["errors"]} == {(2, "password")}
    assert "至少 10 个字符" in [e["reason"] for e in report.json["errors"]]


@pytest.fixture
def strict_gateway(fresh_database, make_settings):
    service = start_service("gateway", fresh_database("gwpw"), make_settings, rate_limit_anonymous="1000/minute",
                            login_delay_after=3, login_lock_after=3, login_lock_seconds=60)
    seed(service.uow_factory)
    yield service
    service.engine.dispose()


def test_changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one(strict_gateway):
    client = strict_gateway.client

    def login(password=DEMO_PASSWORD):
        return client.post("/api/auth/login", json={"username": "zhaomin", "password": password})

    here, phone = login().json, login().json
    change = "/api/auth/password"
    weak = client.post(change, headers=bearer(here), json={"current_password": DEMO_PASSWORD, "new_password": "zhaomin1"})
    assert weak.status_code == 422 and set(weak.json["error"]["details"]) == {"new_password"}
    same = client.post(change, headers=bearer(here) | EN, json={"current_password": DEMO_PASSWORD,
                                                                 "new_password": DEMO_PASSWORD})
    assert same.json["error"]["details"]["new_password"] == ["must differ from the current password"]
    wrong = client.post(change, headers=bearer(here), json={"current_password": "not-mine",
                                                            "new_password": "lantern-orchid-1976"})
    assert wrong.status_code == 422 and wrong.json["error"]["details"] == {"current_password": ["与当前密码不符"]}
    assert client.get("/api/auth/me", headers=bearer(phone)).status_code == 200  # nothing changed yet

    changed = client.post(change, headers=bearer(here), json={"current_password": DEMO_PASSWORD,
                                                              "new_password": "lantern-orchid-1976"})
    assert changed.status_code == 204, changed.json
    assert client.get("/api/auth/me", headers=bearer(here)).status_code == 200
    assert client.get("/api/auth/me", headers=bearer(phone)).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": phone["refresh_token"]}).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": here["refresh_token"]}).status_code == 200
    assert login().status_code == 401 and login("lantern-orchid-1976").status_code == 200

    # wrong current passwords count like failed logins: the third locks, then even the right one waits
    fresh = login("lantern-orchid-1976").json
    for _ in range(2):
        assert client.post(change, headers=bearer(fresh), json={"current_password": "guess-" + uuid.uuid4().hex,
                                                                "new_password": "copper-meadow-5521"}).status_code == 422
    assert login("a-third-wrong-one").status_code == 401
    throttled = client.post(change, headers=bearer(fresh), json={"current_password": "lantern-orchid-1976",
                                                                 "new_password": "copper-meadow-5521"})
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert login("lantern-orchid-1976").status_code == 429
    with strict_gateway.engine.connect() as conn:
        audit = conn.execute(sa.select(login_audit.c.purpose, login_audit.c.outcome)
                             .where(login_audit.c.username == "zhaomin").order_by(login_audit.c.id)).all()
    changes = [outcome for purpose, outcome in audit if purpose == "password_change"]
    assert changes == ["failed", "succeeded", "failed", "failed", "locked"]


def test_the_password_change_is_documented_like_the_other_auth_routes(gateway):
    spec = gateway.client.get("/api/openapi.json").json
    operation = spec["paths"]["/api/auth/password"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/PasswordChangeIn")
    assert {"204", "422", "429"} <= set(operation["responses"])
    assert "429" in spec["paths"]["/api/auth/login"]["post"]["responses"]


def test_an_xlsx_roster_with_a_strong_password_still_imports(gateway, login):
    from openpyxl import Workbook

    org = bearer(login("zuzhibu"))
    book = Workbook()
    book.active.append(["姓名", "用户名", "初始密码", "所在支部", "政治面貌", "角色"])
    book.active.append(["钱学", "qianxue", "amber-falcon-3310", "教育学院教工第一党支部", "正式党员", "党员"])
    buffer = io.BytesIO()
    book.save(buffer)
    done = gateway.client.post("/api/directory/imports?kind=persons&dry_run=false", headers=org | {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, data=buffer.getvalue())
    assert done.status_code == 200 and done.json["created"] == 1, done.json
    assert gateway.client.post("/api/auth/login", json={"username": "qianxue",
                                                        "password": "amber-falcon-3310"}).status_code == 200
