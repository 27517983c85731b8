"""pledge-service answers in the caller's language against PostgreSQL: Chinese unless Accept-Language asks for
English, field by field for a bad request, and for the errors of its use cases (404, 409, 422) alike."""
from __future__ import annotations

import uuid

from tests.integration.pledge.test_pledge_api import body

BAD = {"kind": "weekly", "title": "长" * 201, "areas": ["study", "bogus"], "due_date": "31/12/2026"}


def test_a_bad_pledge_is_answered_in_chinese_field_by_field_without_accept_language(pledge_service, org):
    response = pledge_service.client.post("/api/pledges", json=BAD, headers=pledge_service.headers(org.member))
    assert response.status_code == 422 and response.headers["Content-Language"] == "zh-CN"
    error = response.json["error"]
    assert error["code"] == "validation_error" and error["message"] == "请求有误，请查看各字段的说明。"
    assert error["details"]["kind"] == ["须为以下之一：annual, instant。"]
    assert error["details"]["title"] == ["长度须在 1 到 200 之间。"]
    assert error["details"]["areas"] == {
        "1": ["须为以下之一：study, achievement, serving_masses, discipline, upright_spirit。"]}
    assert error["details"]["due_date"] == ["不是有效的日期。"]
    missing = pledge_service.client.post("/api/pledges", json={}, headers=pledge_service.headers(org.member))
    assert missing.json["error"]["details"]["title"] == ["此项必填。"]


def test_a_bad_pledge_is_answered_in_english_when_asked(pledge_service, org):
    headers = pledge_service.headers(org.member, **{"Accept-Language": "en-US,en;q=0.9"})
    response = pledge_service.client.post("/api/pledges", json=BAD, headers=headers)
    assert response.status_code == 422 and response.headers["Content-Language"] == "en"
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "The request is not valid; see details for each field."
    assert error["details"]["kind"] == ["Must be one of: annual, instant."]
    assert error["details"]["title"] == ["Length must be between 1 and 200."]
    assert error["details"]["due_date"] == ["Not a valid date."]


def test_the_errors_of_the_use_cases_speak_both_languages(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    english = {"Accept-Language": "en"}

    nowhere = f"/api/pledges/{uuid.uuid4()}"
    assert client.get(nowhere, headers=h(org.member)).json["error"] == {
        "code": "not_found", "message": "承诺不存在。", "details": {}}
    assert client.get(nowhere, headers=h(org.member, **english)).json["error"] == {
        "code": "not_found", "message": "No such pledge.", "details": {}}

    pledge_id = client.post("/api/pledges", json=body(), headers=h(org.member)).json["id"]
    zh = client.post(f"/api/pledges/{pledge_id}/fulfil", json={}, headers=h(org.member))
    en = client.post(f"/api/pledges/{pledge_id}/fulfil", json={}, headers=h(org.member, **english))
    assert zh.status_code == en.status_code == 409
    assert zh.json["error"]["code"] == en.json["error"]["code"] == "illegal_transition"
    assert zh.json["error"]["message"] == "草稿的承诺不能宣布践诺。"
    assert en.json["error"]["message"] == "Cannot fulfil a draft pledge."
    assert zh.json["error"]["details"] == en.json["error"]["details"] == {"state": "draft", "allowed": ["submit", "withdraw"]}

    past = body(due_date="2000-01-01", kind="instant")
    zh = client.post("/api/pledges", json=past, headers=h(org.member))
    en = client.post("/api/pledges", json=past, headers=h(org.member, **english))
    assert zh.status_code == en.status_code == 422
    assert zh.json["error"]["message"] == "承诺内容有误。"
    assert zh.json["error"]["details"] == {"due_date": ["不能早于今天"], "trigger": ["即时承诺须写明承诺缘由"]}
    assert en.json["error"]["message"] == "The pledge is not valid."
    assert en.json["error"]["details"] == {"due_date": ["must not be in the past"],
                                           "trigger": ["an instant pledge records what prompted it"]}
