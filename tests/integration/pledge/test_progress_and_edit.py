"""Progress reports as records of their own, and editing a draft or returned pledge."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from .lifecycle import NEXT_YEAR, create, events, publish

REPORT = {"evidence": "开设公开课《课程思政》一次", "reported_on": date.today().isoformat(),
          "attachments": [{"name": "听课记录.pdf", "url": "https://files.example/a.pdf",
                           "content_type": "application/pdf", "size": 1024}]}


def test_the_pledger_reports_progress_and_anyone_who_sees_the_pledge_reads_it(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = publish(pledge_service, org)
    first = client.post(f"/api/pledges/{pledge['id']}/progress", json=REPORT, headers=h(org.member))
    assert first.status_code == 201, first.json
    assert first.json["attachments"][0]["name"] == "听课记录.pdf"
    earlier = dict(REPORT, evidence="指导青年教师", reported_on=(date.today() - timedelta(days=2)).isoformat())
    assert client.post(f"/api/pledges/{pledge['id']}/progress", json=earlier, headers=h(org.member)).status_code == 201

    page = client.get(f"/api/pledges/{pledge['id']}/progress?limit=1", headers=h(org.peer))
    assert page.status_code == 200
    assert page.json["total"] == 2 and [r["evidence"] for r in page.json["items"]] == ["开设公开课《课程思政》一次"]
    second_page = client.get(f"/api/pledges/{pledge['id']}/progress?limit=1&offset=1", headers=h(org.peer))
    assert [r["evidence"] for r in second_page.json["items"]] == ["指导青年教师"]
    assert client.get(f"/api/pledges/{pledge['id']}", headers=h(org.member)).json["progress_count"] == 2
    progressed = events(pledge_service, "pledge.progressed")
    assert [e["report_id"] for e in progressed] == [first.json["id"], progressed[1]["report_id"]]


def test_bad_progress_reports_are_clear_4xx(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = publish(pledge_service, org)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    cases = [(dict(REPORT, reported_on=tomorrow), "reported_on", 422),
             ({"attachments": []}, "evidence", 422),
             (dict(REPORT, attachments=[{"name": "x"}]), "attachments", 422)]
    for payload, field, status in cases:
        response = client.post(f"/api/pledges/{pledge['id']}/progress", json=payload, headers=h(org.member))
        assert response.status_code == status and field in response.json["error"]["details"], response.json
    # Only the pledger reports; a draft has no progress yet.
    assert client.post(f"/api/pledges/{pledge['id']}/progress", json=REPORT, headers=h(org.peer)).status_code == 403
    draft = create(pledge_service, org.member)
    assert client.post(f"/api/pledges/{draft['id']}/progress", json=REPORT, headers=h(org.member)).status_code == 409
    # The old generic action no longer takes progress without a record.
    assert client.post(f"/api/pledges/{pledge['id']}/report_progress", json={},
                       headers=h(org.member)).status_code == 404
    assert client.get(f"/api/pledges/{pledge['id']}/progress", headers=h(org.member)).json["total"] == 0


def test_a_retried_progress_report_is_recorded_once(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = publish(pledge_service, org)
    key = {"Idempotency-Key": "progress-1"}
    first = client.post(f"/api/pledges/{pledge['id']}/progress", json=REPORT, headers=h(org.member, **key))
    again = client.post(f"/api/pledges/{pledge['id']}/progress", json=REPORT, headers=h(org.member, **key))
    assert first.json["id"] == again.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert client.get(f"/api/pledges/{pledge['id']}/progress", headers=h(org.member)).json["total"] == 1


def test_the_pledger_edits_a_draft_and_a_returned_pledge_but_not_a_submitted_one(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = create(pledge_service, org.member)
    edited = client.patch(f"/api/pledges/{pledge['id']}", json={"title": "  带头服务学生  ", "areas": ["serving_masses"]},
                          headers=h(org.member))
    assert edited.status_code == 200, edited.json
    assert edited.json["title"] == "带头服务学生" and edited.json["areas"] == ["serving_masses"]

    client.post(f"/api/pledges/{pledge['id']}/submit", json={}, headers=h(org.member))
    refused = client.patch(f"/api/pledges/{pledge['id']}", json={"title": "再改"}, headers=h(org.member))
    assert refused.status_code == 409 and "withdraw" in refused.json["error"]["details"]["allowed"]

    client.post(f"/api/pledges/{pledge['id']}/return", json={"reason": "目标请量化"}, headers=h(org.reviewer))
    later = date(NEXT_YEAR + 1, 6, 30).isoformat()
    fixed = client.patch(f"/api/pledges/{pledge['id']}", json={"targets": ["公开课四次"], "due_date": later},
                         headers=h(org.member))
    assert fixed.status_code == 200 and fixed.json["targets"] == ["公开课四次"] and fixed.json["year"] == NEXT_YEAR + 1


def test_bad_edits_are_named_and_others_cannot_edit(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    pledge = create(pledge_service, org.member)
    past = (date.today() - timedelta(days=1)).isoformat()
    for payload, field in [({"due_date": past}, "due_date"), ({"mode": "collective"}, "participant_ids"),
                           ({"areas": []}, "areas"), ({"title": ""}, "title"), ({"kind": "instant"}, "kind")]:
        response = client.patch(f"/api/pledges/{pledge['id']}", json=payload, headers=h(org.member))
        assert response.status_code == 422 and field in response.json["error"]["details"], (payload, response.json)
    # A draft is private: others do not find it; the reviewer finds it but may not edit it.
    assert client.patch(f"/api/pledges/{pledge['id']}", json={"title": "x"}, headers=h(org.peer)).status_code == 404
    assert client.patch(f"/api/pledges/{pledge['id']}", json={"title": "x"}, headers=h(org.reviewer)).status_code == 403
    assert client.patch(f"/api/pledges/{uuid.uuid4()}", json={"title": "x"}, headers=h(org.member)).status_code == 404
    assert client.get(f"/api/pledges/{pledge['id']}", headers=h(org.member)).json["title"] == "带头搞好教书育人"
