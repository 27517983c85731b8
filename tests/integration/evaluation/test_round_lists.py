"""The list of my rounds as the portal pages it: waiting for my rating (the to-do count and 待我评议), closed ones
(my results), by my role or party (a leader's comments), kind and year, sorted by deadline; ``total`` counts
every match, whatever the page. What ``waiting`` lists is exactly what ``my_parties`` offers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from evaluation_service.service.round_results import close_due_rounds

from .test_rounds import ROUNDS, SELF_REPORT, open_round, rate


def listed(service, who, **params):
    response = service.client.get(ROUNDS, query_string=params, headers=service.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def ids(page) -> list[str]:
    return [r["id"] for r in page["items"]]


def in_days(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


def test_waiting_lists_the_rounds_with_a_part_still_open_to_me(evaluation_service, org):
    s = evaluation_service
    # the member is evaluated in one round (their self-assessment is asked) and a peer in another
    mine = open_round(s, org, deadline=in_days(9))["id"]
    theirs = open_round(s, org, target_id=org.peer.subject, subject_person_id=org.peer.subject, deadline=in_days(3),
                        targets=[], peer_ids=[org.member.subject, org.peer2.subject, org.secretary.subject])["id"]

    waiting = listed(s, org.member, waiting="true", sort="deadline")
    assert ids(waiting) == [theirs, mine] and waiting["total"] == 2  # the earliest deadline first
    assert all(r["my_parties"] for r in waiting["items"])
    assert listed(s, org.member, waiting="true", sort="-deadline")["items"][0]["id"] == mine
    first = listed(s, org.member, waiting="true", limit=1)
    assert len(first["items"]) == 1 and first["total"] == 2  # a true total, not the page's length
    assert listed(s, org.member, waiting="false")["total"] == 0

    assert rate(s, org.member, mine, party="self", rating="good", target_reports=SELF_REPORT).status_code == 201
    assert ids(listed(s, org.member, waiting="true")) == [theirs]
    rated = listed(s, org.member, waiting="false")
    assert ids(rated) == [mine] and rated["items"][0]["my_parties"] == []
    # the masses are asked by no list: they reach a round by its link
    assert listed(s, org.masses[0], waiting="true")["total"] == 0


def test_rounds_are_filtered_by_my_role_party_state_kind_and_year(evaluation_service, org):
    s = evaluation_service
    mine = open_round(s, org)["id"]
    theirs = open_round(s, org, target_id=org.peer.subject, subject_person_id=org.peer.subject, targets=[],
                        peer_ids=[org.member.subject, org.peer2.subject, org.secretary.subject])["id"]
    branch = open_round(s, org, target_kind="branch", target_id=str(org.branch), subject_person_id=None, year=2025,
                        targets=[], peer_ids=[org.member.subject, org.peer.subject])["id"]

    assert set(ids(listed(s, org.member))) == {mine, theirs, branch}
    assert ids(listed(s, org.member, role="evaluated")) == [mine]
    assert set(ids(listed(s, org.member, role="rater"))) == {theirs, branch}
    assert set(ids(listed(s, org.member, party="peer"))) == {theirs, branch}
    # the branch's secretary answers for the branch: its round evaluates them (self-assessment)
    assert branch in ids(listed(s, org.secretary, role="evaluated"))
    assert ids(listed(s, org.member, target_kind="branch")) == [branch]
    assert set(ids(listed(s, org.member, year=2026))) == {mine, theirs}
    leader = listed(s, org.reviewer, party="leader", waiting="true")
    assert leader["total"] == 3 and all(r["my_parties"] == ["leader"] for r in leader["items"])

    # names for the page: whom the round evaluates, and its unit
    one = next(r for r in listed(s, org.member)["items"] if r["id"] == theirs)
    assert one["subject_name"] == "刘伟" and one["unit_name"] == "教工第一党支部"
    assert s.client.get(f"{ROUNDS}/{mine}", headers=s.headers(org.member)).json["subject_name"] == "陈党员"

    assert rate(s, org.reviewer, mine, party="leader", rating="good", mode="individual").status_code == 201
    commented = listed(s, org.reviewer, party="leader", waiting="false")
    assert ids(commented) == [mine] and commented["items"][0]["my_ratings"][0]["mode"] == "individual"

    assert listed(s, org.member, state="completed,incomplete")["total"] == 0
    close_due_rounds(s.uow_factory, datetime.now(timezone.utc) + timedelta(days=8))
    closed = listed(s, org.member, state=["completed", "incomplete"], role="evaluated", sort="-closed_at")
    assert ids(closed) == [mine] and closed["items"][0]["state"] == "incomplete"
    assert listed(s, org.member, waiting="true")["total"] == 0  # closed: nothing waits any more
    assert listed(s, org.member, state="open")["total"] == 0


def test_a_filter_or_sort_the_list_does_not_know_is_refused_by_name(evaluation_service, org):
    s = evaluation_service
    for params, field in (({"sort": "title"}, "sort"), ({"state": "opened"}, "state"), ({"role": "masses"}, "role"),
                          ({"party": "masses"}, "party"), ({"waiting": "perhaps"}, "waiting")):
        response = s.client.get(ROUNDS, query_string=params, headers=s.headers(org.member))
        assert response.status_code == 422, params
        assert field in response.json["error"]["details"], response.json
