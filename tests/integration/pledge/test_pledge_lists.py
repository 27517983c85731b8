"""Against PostgreSQL: a list of pledges filtered by state (one or several), kind, year and pledger, sorted,
with a total of every pledge that matches, not of the page."""
from __future__ import annotations

from datetime import date

from tests.integration.pledge.lifecycle import NEXT_YEAR, create, publish

THIS_YEAR = date.today().year


def _list(service, who, **query) -> dict:
    response = service.client.get("/api/pledges", query_string=query, headers=service.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def _titles(service, who, **query) -> list[str]:
    return [p["title"] for p in _list(service, who, limit=200, **query)["items"]]


def test_pledges_filter_by_state_kind_year_and_pledger_sorted_with_a_total_of_all(pledge_service, org):
    s = pledge_service
    create(s, org.member, title="草稿", due_date=f"{NEXT_YEAR}-06-30")
    create(s, org.member, title="即时", kind="instant", trigger="emergency", submit=True,
           due_date=f"{NEXT_YEAR}-01-31")
    create(s, org.member, title="年度", submit=True, due_date=f"{NEXT_YEAR}-12-31")
    create(s, org.peer, title="同事的", submit=True, due_date=f"{NEXT_YEAR}-03-31")
    publish(s, org, title="已公开", due_date=f"{NEXT_YEAR}-09-30")

    mine = _list(s, org.member)
    assert mine["total"] == 4 and [p["title"] for p in mine["items"]] == ["已公开", "年度", "即时", "草稿"]
    assert _titles(s, org.member, state="submitted") == ["年度", "即时"]
    assert _titles(s, org.member, state="draft,published") == _titles(s, org.member, state=["draft", "published"]) \
        == ["已公开", "草稿"]
    assert _titles(s, org.member, kind="instant") == ["即时"]
    assert _titles(s, org.member, year=NEXT_YEAR) == ["已公开", "年度", "草稿"]  # an instant pledge: this year's
    assert _titles(s, org.member, year=THIS_YEAR, kind="instant") == ["即时"]
    assert _titles(s, org.member, sort="due_date") == ["即时", "草稿", "已公开", "年度"]
    assert _titles(s, org.member, sort="-due_date") == ["年度", "已公开", "草稿", "即时"]
    assert _titles(s, org.member, sort="created_at") == ["草稿", "即时", "年度", "已公开"]
    page = _list(s, org.member, limit=2, offset=1)
    assert ([p["title"] for p in page["items"]], page["total"]) == (["年度", "即时"], 4)  # all of them, not the page
    assert _list(s, org.member, pledger_id=org.peer.subject)["total"] == 0  # mine are mine alone

    # the general branch reviews the branch: submitted ones when no state is given, a member's when asked
    assert _titles(s, org.reviewer, scope="review") == ["同事的", "年度", "即时"]
    assert _titles(s, org.reviewer, scope="review", pledger_id=org.peer.subject) == ["同事的"]
    assert _titles(s, org.reviewer, scope="review", pledger_id=org.member.subject, kind="annual") == ["年度"]
    assert _titles(s, org.reviewer, scope="review", state="published,submitted", sort="due_date") == [
        "即时", "同事的", "已公开", "年度"]
    assert _list(s, org.outsider_reviewer, scope="review", state="submitted,published")["total"] == 0

    for bad in ({"sort": "title"}, {"state": "submitted,lost"}, {"kind": "yearly"}, {"pledger_id": "someone"}):
        refused = s.client.get("/api/pledges", query_string=bad, headers=s.headers(org.member))
        assert refused.status_code == 422, (bad, refused.json)
        assert refused.json["error"]["code"] == "validation_error" and set(bad) & set(refused.json["error"]["details"])
