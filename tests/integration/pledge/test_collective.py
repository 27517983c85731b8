"""A collective pledge (党员集体承诺) is its participants' pledge too: they list it, read it, report progress on it,
and it counts for them in the branch's figures; nobody else gains a thing (issue 21, gap 1)."""
from __future__ import annotations

import uuid

from .lifecycle import NEXT_YEAR, create, events

PROGRESS = {"evidence": "一起完成了两次志愿服务"}


def mine(service, who):
    response = service.client.get("/api/pledges?scope=mine", headers=service.headers(who))
    assert response.status_code == 200, response.json
    return [p["id"] for p in response.json["items"]]


def test_participants_see_report_on_and_are_counted_for_a_collective_pledge(pledge_service, org):
    service = pledge_service
    m1, m2 = org.member, org.peer
    m3 = org.add_person("王三", org.branch, [("member", org.branch)])
    m4 = org.add_person("赵四", org.branch, [("member", org.branch)])
    pledge = create(service, m1, mode="collective", participant_ids=[m2.subject, m3.subject], submit=True)
    url = f"/api/pledges/{pledge['id']}"

    # waiting for review, it is not yet public: the participants see it, another member of the branch does not
    assert pledge["id"] in mine(service, m2) and pledge["id"] in mine(service, m3)
    assert pledge["id"] not in mine(service, m4)
    assert service.client.get(url, headers=service.headers(m2)).status_code == 200
    assert service.client.get(url, headers=service.headers(m4)).status_code == 404
    # mine filtered by pledger: the pledger's collective pledge, and only for those taking part
    by_m1 = service.client.get(f"/api/pledges?scope=mine&pledger_id={m1.subject}", headers=service.headers(m2)).json
    assert [p["id"] for p in by_m1["items"]] == [pledge["id"]]
    assert service.client.get(f"/api/pledges?scope=mine&pledger_id={m1.subject}",
                              headers=service.headers(m4)).json["total"] == 0

    for action in ("approve", "publish"):
        assert service.client.post(f"{url}/{action}", json={}, headers=service.headers(org.reviewer)).status_code == 200

    # a participant reports progress as the pledger does, recorded as theirs
    response = service.client.post(f"{url}/progress", json=PROGRESS, headers=service.headers(m2))
    assert response.status_code == 201, response.json
    assert (response.json["reporter_id"], response.json["reporter_name"]) == (m2.subject, "刘伟")
    assert events(service, "pledge.progressed")[-1]["actor_id"] == m2.subject
    reports = service.client.get(f"{url}/progress", headers=service.headers(m1)).json["items"]
    assert [(r["reporter_id"], r["reporter_name"]) for r in reports] == [(m2.subject, "刘伟")]
    detail = service.client.get(url, headers=service.headers(m3)).json
    assert detail["progress_count"] == 1
    assert [(t["action"], t["actor_id"]) for t in detail["history"]][-1] == ("report_progress", m2.subject)
    # the rest stays the pledger's; a non-participant of the branch reads the public pledge but reports nothing
    assert service.client.post(f"{url}/fulfil", json={}, headers=service.headers(m2)).status_code == 403
    assert service.client.post(f"{url}/withdraw", json={"reason": "不做了"}, headers=service.headers(m3)).status_code == 403
    assert service.client.post(f"{url}/progress", json=PROGRESS, headers=service.headers(m4)).status_code == 403
    assert service.client.post(f"{url}/progress", json=PROGRESS,
                               headers=service.headers(org.outsider_reviewer)).status_code == 404

    # coverage (人人承诺): m1, m2 and m3 have an annual pledge; m4, the secretary and the reviewer have none
    figures = service.client.get(f"/api/pledges/statistics?unit_id={org.branch}&year={NEXT_YEAR}",
                                 headers=service.headers(org.secretary)).json
    assert (figures["members_with_annual_pledge"], figures["members_expected"]) == (3, 6)
    branches = service.client.get(f"/api/pledges/statistics/branches?unit_id={org.general_branch}&year={NEXT_YEAR}",
                                  headers=service.headers(org.reviewer)).json["items"]
    assert [(b["unit_id"], b["coverage_percent"]) for b in branches] == [(str(org.branch), 50.0)]


def test_participants_are_members_of_the_branch_and_leave_with_the_collective_mode(pledge_service, org):
    service = pledge_service
    stranger = uuid.uuid4()
    response = service.client.post("/api/pledges", headers=service.headers(org.member), json={
        "kind": "annual", "title": "共同承诺", "areas": ["study"], "due_date": f"{NEXT_YEAR}-12-31",
        "mode": "collective", "participant_ids": [org.peer.subject, org.outsider_reviewer.subject, str(stranger)]})
    assert response.status_code == 422, response.json
    assert len(response.json["error"]["details"]["participant_ids"]) == 2  # the other branch's member and nobody

    pledge = create(service, org.member, mode="collective", participant_ids=[org.peer.subject])
    assert pledge["id"] in mine(service, org.peer)
    edited = service.client.patch(f"/api/pledges/{pledge['id']}", json={"mode": "individual"},
                                  headers=service.headers(org.member))
    assert edited.status_code == 200, edited.json
    assert pledge["id"] not in mine(service, org.peer)
    assert service.client.get(f"/api/pledges/{pledge['id']}", headers=service.headers(org.peer)).status_code == 404
