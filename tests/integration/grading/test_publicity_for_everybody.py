"""#21 gaps 7 and 11 in grading-service: publishing names the branches without a confirmed level and announces the
publicity with its objection deadline; every person logged in reads the list; without login only when 组织部 opened
it for the cycle AND from a PUBLICITY_OPEN_NETWORKS address; each assessment part has its own documented path."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pacesetter_shared.identity import ANONYMOUS, IDENTITY_HEADER, Identity, sign_identity
from tests.support.services import OrgFixture, start_service

from .conftest import CYCLES, open_cycle, outbox
from .test_cycle_api import both_branches_classified, classify

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPUS = "10.8.0.0/16, 2001:db8:8::/48"


@pytest.fixture
def grading_service(fresh_database, make_settings):
    service = start_service("grading", fresh_database("grading"), make_settings, cycle_year_span=100,
                            publicity_open_networks=CAMPUS)
    yield service
    service.engine.dispose()


def _publicity(service, cycle) -> str:
    return f"{CYCLES}/{cycle['id']}/publicity"


def _anonymous(service, address: str, language: str = "en") -> dict:
    """What the gateway sends for someone not logged in: its signed anonymous identity and the client's address
    (REMOTE_ADDR after TRUSTED_PROXIES) in X-Forwarded-For, which it always sets itself."""
    return {IDENTITY_HEADER: sign_identity(ANONYMOUS, service.private_key), "X-Forwarded-For": address,
            "Accept-Language": language}


def test_publishing_names_the_branches_without_a_confirmed_level(grading_service, org):
    service = grading_service
    cycle = open_cycle(service, org)
    classify(service, org, cycle, org.branch, org.secretary, org.reviewer, 85)
    publish = f"{CYCLES}/{cycle['id']}/publish"
    for language, text in (("zh-CN", "1 个党支部尚未经党总支确定等次：教务处党支部。"),
                           ("en", "1 branches have no level confirmed by their general branch yet: 教务处党支部.")):
        refused = service.client.post(publish, headers=service.headers(org.org, **{"Accept-Language": language}))
        assert refused.status_code == 409
        assert refused.json["error"]["message"] == text
        assert refused.json["error"]["details"]["branch_ids"] == [str(org.other_branch)]
    assert outbox(service, "grading.publicity_started") == []


def test_publishing_announces_the_publicity_with_its_objection_deadline(grading_service, org):
    service = grading_service
    cycle = both_branches_classified(service, org, (80, 80), publicity_days=3)
    published = service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org))
    assert published.status_code == 200, published.json
    [started] = outbox(service, "grading.publicity_started")
    ends_on = date.fromisoformat(published.json["publicity_ends_on"])
    assert started["cycle_id"] == cycle["id"] and started["year"] == 2026
    assert started["publicity_ends_on"] == ends_on.isoformat()
    assert sorted(started["branch_ids"]) == sorted([str(org.branch), str(org.other_branch)])
    assert sorted(started["general_branch_ids"]) == sorted([str(org.general_branch), str(org.other_general_branch)])
    # objections are taken through the last day of publicity, Shanghai time
    deadline = datetime.fromisoformat(started["objection_deadline"]).astimezone(SHANGHAI)
    assert (deadline.date(), deadline.hour, deadline.minute) == (ends_on, 23, 59)
    # publishing again changes nothing and announces nothing more
    assert service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org)).status_code == 409
    assert len(outbox(service, "grading.publicity_started")) == 1


def test_a_plain_member_reads_the_list_with_its_year_and_last_day(grading_service, org):
    service = grading_service
    cycle = both_branches_classified(service, org, (80, 80), publicity_days=3)
    service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org))
    shown = service.client.get(_publicity(service, cycle), headers=service.headers(org.member))
    assert shown.status_code == 200 and shown.json["total"] == 2
    assert shown.json["year"] == 2026 and shown.json["state"] == "publicity"
    assert shown.json["publicity_ends_on"] == (date.today() + timedelta(days=3)).isoformat() or \
        shown.json["publicity_ends_on"] == (datetime.now(SHANGHAI).date() + timedelta(days=3)).isoformat()
    assert {b["name"] for b in shown.json["items"]} == {"教工第一党支部", "教务处党支部"}


def test_without_login_only_when_switched_on_and_from_a_listed_network(grading_service, org):
    service = grading_service
    cycle = both_branches_classified(service, org, (80, 80), publicity_days=3)
    service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org))
    url = _publicity(service, cycle)
    on_campus, on_campus_v6, outside = "10.8.20.7", "2001:db8:8::15", "203.0.113.9"

    # not switched on: nobody without login, on the campus network or not (told why), nor a kiosk
    refused = service.client.get(url, headers=_anonymous(service, on_campus))
    assert refused.status_code == 401 and refused.json["error"]["code"] == "unauthorized"
    assert refused.json["error"]["message"] == ("This publicity list is shown to the organisation's people only: "
                                                "log in to read it.")
    refused = service.client.get(url, headers=_anonymous(service, outside))
    assert refused.status_code == 401
    assert refused.json["error"]["message"] == ("Without login, this publicity list is shown only on the campus "
                                                "network: log in to read it.")
    kiosk = Identity(subject=str(uuid.uuid4()), kind="kiosk", window_id=str(uuid.uuid4()))
    assert service.client.get(url, headers=service.headers(kiosk, **{"X-Forwarded-For": on_campus})).status_code == 401
    zh = service.client.get(url, headers=_anonymous(service, on_campus, "zh-CN"))
    assert zh.json["error"]["message"] == "该公示名单仅向本单位人员公开，请登录后查看。"

    # only the organisation department switches it
    switch = f"{CYCLES}/{cycle['id']}/publicity-access"
    for who in (org.member, org.reviewer, org.secretary):
        assert service.client.put(switch, json={"without_login": True}, headers=service.headers(who)).status_code == 403
    assert service.client.put(switch, json={"without_login": "yes"},
                              headers=service.headers(org.org)).status_code == 422
    opened = service.client.put(switch, json={"without_login": True}, headers=service.headers(org.org))
    assert opened.status_code == 200 and opened.json["publicity_without_login"] is True

    # switched on: the campus network reads it (IPv4 and IPv6), anyone else is told to log in
    for address in (on_campus, on_campus_v6):
        shown = service.client.get(url, headers=_anonymous(service, address))
        assert shown.status_code == 200, shown.json
        assert shown.json["total"] == 2 and shown.json["year"] == 2026
    for address in (outside, "", "not an address"):
        refused = service.client.get(url, headers=_anonymous(service, address))
        assert refused.status_code == 401
        assert refused.json["error"]["message"] == ("Without login, this publicity list is shown only on the campus "
                                                    "network: log in to read it.")
    # off the campus network nothing tells whether a cycle exists; on it, an unknown one is a 404
    assert service.client.get(f"{CYCLES}/{uuid.uuid4()}/publicity", headers=_anonymous(service, outside)).status_code == 401
    assert service.client.get(f"{CYCLES}/{uuid.uuid4()}/publicity",
                              headers=_anonymous(service, on_campus)).status_code == 404
    # nor without the gateway: a direct call has no signed identity, whatever address it claims
    assert service.client.get(url, headers={"X-Forwarded-For": on_campus}).status_code == 401
    # nothing else opens without login
    assert service.client.get(f"{CYCLES}/{cycle['id']}", headers=_anonymous(service, on_campus)).status_code == 401
    assert service.client.get(f"{CYCLES}/{cycle['id']}/branches",
                              headers=_anonymous(service, on_campus)).status_code == 401

    closed = service.client.put(switch, json={"without_login": False}, headers=service.headers(org.org))
    assert closed.status_code == 200 and closed.json["publicity_without_login"] is False
    assert service.client.get(url, headers=_anonymous(service, on_campus)).status_code == 401
    assert service.client.get(url, headers=service.headers(org.member)).status_code == 200


def test_no_network_is_open_by_default(fresh_database, make_settings):
    service = start_service("grading", fresh_database("grading"), make_settings, cycle_year_span=100)
    try:
        org = OrgFixture(service)
        cycle = both_branches_classified(service, org, (80, 80))
        service.client.post(f"{CYCLES}/{cycle['id']}/publish", headers=service.headers(org.org))
        service.client.put(f"{CYCLES}/{cycle['id']}/publicity-access", json={"without_login": True},
                           headers=service.headers(org.org))
        for address in ("127.0.0.1", "10.8.20.7"):
            assert service.client.get(_publicity(service, cycle), headers=_anonymous(service, address)).status_code == 401
    finally:
        service.engine.dispose()


def test_each_part_has_its_own_path_named_as_in_the_indicators(grading_service, org):
    service = grading_service
    parts = {p["code"] for p in service.client.get("/api/grading/indicators",
                                                   headers=service.headers(org.member)).json["parts"]}
    assert {"self", "superior"} <= parts
    cycle = open_cycle(service, org)
    for path, who in (("self-assessment", org.secretary), ("superior-scores", org.reviewer)):
        response = service.client.put(f"{CYCLES}/{cycle['id']}/branches/{org.branch}/{path}",
                                      json={"scores": [{"indicator": "leader", "score": 90, "evidence": "记录"}]},
                                      headers=service.headers(who))
        assert response.status_code == 200, response.json
    assert set(response.json["scores"]) == {"self", "superior"}
    for old in ("self", "superior", "members_and_masses"):
        assert service.client.put(f"{CYCLES}/{cycle['id']}/branches/{org.branch}/{old}", json={"scores": []},
                                  headers=service.headers(org.secretary)).status_code in (404, 405)

    paths = service.client.get("/openapi.json").json["paths"]
    branch = "/api/grading/cycles/{cycle_id}/branches/{branch_id}"
    assert {f"{branch}/self-assessment", f"{branch}/superior-scores"} <= set(paths)
    assert not [p for p in paths if p.endswith("/{part}")]
    assert "``self``" in paths[f"{branch}/self-assessment"]["put"]["summary"]
    assert "``superior``" in paths[f"{branch}/superior-scores"]["put"]["summary"]
    publish = paths["/api/grading/cycles/{cycle_id}/publish"]["post"]
    assert "must first be confirmed" in publish["description"] and "409" in publish["responses"]
    assert "/api/grading/cycles/{cycle_id}/publicity-access" in paths


def test_the_switch_of_an_unknown_cycle_is_a_404(grading_service, org):
    response = grading_service.client.put(f"{CYCLES}/00000000-0000-0000-0000-000000000000/publicity-access",
                                          json={"without_login": True}, headers=grading_service.headers(org.org))
    assert response.status_code == 404
