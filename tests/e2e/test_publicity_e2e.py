"""#21 gap 7 through the gateway, each service its own process, behind one trusted proxy (TRUSTED_PROXIES=1, as
behind a TLS terminator) with the campus network 198.51.100.0/24 (PUBLICITY_OPEN_NETWORKS): publishing tells every
branch and general branch secretary with the objection deadline; the list is read by any member, and without login
only once 组织部 switched it on and only from an address the proxy says is the campus's."""
from __future__ import annotations

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.suite import running_suite
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

YEAR = 2050
CAMPUS, OUTSIDE = "198.51.100.7", "203.0.113.5"


@pytest.fixture(scope="module")
def suite(pg_server, amqp_url, tmp_path_factory):
    with running_suite(pg_server, amqp_url, "pub", tmp_path_factory, extra_env={
            "TRUSTED_PROXIES": "1", "GRADING_PUBLICITY_OPEN_NETWORKS": "198.51.100.0/24"}) as running:
        yield running


def _api(suite, user: str) -> Api:
    return Api(suite.gateway).login(user, DEMO_PASSWORD)


def test_publicity_is_announced_and_read_by_members_and_by_the_campus_network_only_when_opened(suite):
    org = _api(suite, "zuzhibu")
    body = {"year": YEAR, "advanced_cap_percent": 50, "self_assessment_deadline": f"{YEAR}-12-31",
            "publicity_days": 5, "branch_ids": [str(_id("br-teachers")), str(_id("br-affairs"))]}
    cycle = wait_for(lambda: (lambda r: r.json if r.status == 201 else None)(org.post("/api/grading/cycles", body)),
                     timeout=60, message="the cycle opened")
    for branch, superior in (("br-teachers", "zongzhi"), ("br-affairs", "jiguan")):
        level = _api(suite, superior).post(f"/api/grading/cycles/{cycle['id']}/branches/{_id(branch)}/level",
                                           {"action": "override", "level": "ordinary", "reason": "定级"})
        assert level.status == 200, level.json
    published = org.post(f"/api/grading/cycles/{cycle['id']}/publish")
    assert published.status == 200, published.json
    deadline = f"{published.json['publicity_ends_on']} 23:59（北京时间）"

    # every branch secretary and general branch secretary of the cycle is told once, with the deadline
    for user in ("zhishu", "sunli", "zongzhi", "jiguan"):
        secretary = _api(suite, user)
        notices = wait_for(lambda: [n for n in secretary.get("/api/notifications?limit=50").json["items"]
                                    if n["event_type"] == "grading.publicity_started"
                                    and cycle["id"] in n["link"]], timeout=30, message=f"{user} told")
        assert len(notices) == 1 and deadline in notices[0]["body"], (user, notices)

    url = f"/api/grading/cycles/{cycle['id']}/publicity"
    member = _api(suite, "dangyuan").get(url)
    assert member.status == 200 and member.json["total"] == 2 and member.json["year"] == YEAR
    anonymous = Api(suite.gateway)
    assert anonymous.get(url, headers={"X-Forwarded-For": CAMPUS}).status == 401  # not switched on yet
    assert org.request("PUT", f"/api/grading/cycles/{cycle['id']}/publicity-access",
                       {"without_login": True}).status == 200
    shown = anonymous.get(url, headers={"X-Forwarded-For": CAMPUS})
    assert shown.status == 200 and shown.json["total"] == 2
    # the trusted proxy's own entry counts, not what the client wrote before it; nor this host, nor the outside
    for forwarded in (OUTSIDE, f"{CAMPUS}, {OUTSIDE}", None):
        refused = anonymous.get(url, headers={"X-Forwarded-For": forwarded, "Accept-Language": "en"}
                                if forwarded else {"Accept-Language": "en"})
        assert refused.status == 401, forwarded
        assert "only on the campus network" in refused.json["error"]["message"]
