"""A grading cycle through the gateway, each service its own process: the organisation department
opens it, the branch secretaries hear of it, the branch and its general branch score it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

INDICATORS = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]


def _scores(value: float) -> dict:
    return {"scores": [{"indicator": c, "score": value, "evidence": "支部会议记录"} for c in INDICATORS]}


def test_a_cycle_opened_in_the_gateway_reaches_the_branches_and_is_scored_by_both_levels(suite):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
    reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
    outsider = Api(suite.gateway).login("jiguan", DEMO_PASSWORD)
    body = {"year": date.today().year, "advanced_cap_percent": 30,
            "self_assessment_deadline": (date.today() + timedelta(days=14)).isoformat()}
    assert secretary.post("/api/grading/cycles", body).status == 403
    cycle = wait_for(lambda: (r := org.post("/api/grading/cycles", body)).status == 201 and r.json, timeout=30,
                     message="grading-service to know the branches")
    branch = str(_id("br-teachers"))
    # every active branch of the directory (the demo's three, and any a test before added), learnt from
    # directory.* events
    branches = [u for u in org.get("/api/directory/units?limit=500").json["items"]
                if u["kind"] == "branch" and u["active"]]
    assert len(branches) >= 3 and cycle["branch_count"] == len(branches)

    notice = wait_for(lambda: [n for n in secretary.get("/api/notifications").json["items"]
                               if n["event_type"] == "grading.cycle_opened"], timeout=30,
                      message="the branch secretary told of the new cycle")
    assert notice[0]["title"]

    url = f"/api/grading/cycles/{cycle['id']}/branches/{branch}"
    assert secretary.request("PUT", f"{url}/self-assessment", _scores(88)).status == 200
    assert outsider.request("PUT", f"{url}/superior-scores", _scores(80)).status == 403
    assert reviewer.request("PUT", f"{url}/superior-scores", _scores(84)).status == 200
    detail = reviewer.get(url)
    assert detail.status == 200
    text = str(detail.json)
    assert "88" in text and "84" in text and "支部会议记录" in text
    # The member sees no one's scores.
    assert Api(suite.gateway).login("dangyuan", DEMO_PASSWORD).get(url).status in (403, 404)
