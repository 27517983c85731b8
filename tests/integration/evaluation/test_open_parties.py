"""What a round says about the caller's open parts (my_parties): the portal offers exactly these, so each one
offered must be accepted, and none the service would refuse may be offered. The masses reach a round by its
link: anyone asked for no other part sees it while it is open, and nobody outside sees it once closed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from evaluation_service.service.round_results import close_due_rounds
from tests.support.services import person

from .test_rounds import ROUNDS, SELF_REPORT, open_round, rate


def seen(service, who, round_id):
    return service.client.get(f"{ROUNDS}/{round_id}", headers=service.headers(who))


def offered(service, who, round_id) -> list[str]:
    response = seen(service, who, round_id)
    assert response.status_code == 200, response.json
    return response.json["my_parties"]


def test_each_caller_is_offered_their_own_part_only(evaluation_service, org):
    s = evaluation_service
    round_id = open_round(s, org)["id"]
    assert offered(s, org.member, round_id) == ["self"]
    assert offered(s, org.peer, round_id) == ["peer"]
    assert offered(s, org.secretary, round_id) == ["peer"]  # a secretary named as a peer rates as one
    assert offered(s, org.reviewer, round_id) == ["leader"]
    # Asked for no part: one of the masses, whether a member elsewhere or the organisation department.
    assert offered(s, org.masses[0], round_id) == ["masses"]
    assert offered(s, org.outsider_reviewer, round_id) == ["masses"]
    assert offered(s, org.org, round_id) == ["masses"]
    listed = s.client.get(f"{ROUNDS}?limit=100", headers=s.headers(org.masses[0])).json
    assert listed["total"] == 0  # the masses come by the round's link, not by a list of every round
    mine = s.client.get(f"{ROUNDS}?limit=100", headers=s.headers(org.reviewer)).json["items"]
    assert [r["my_parties"] for r in mine] == [["leader"]]


def test_every_part_offered_is_accepted_and_then_offered_no_more(evaluation_service, org):
    s = evaluation_service
    round_id = open_round(s, org)["id"]
    callers = [org.member, org.peer, org.peer2, org.secretary, org.reviewer, *org.masses]
    extra = {"self": {"target_reports": SELF_REPORT}, "leader": {"mode": "concentrated"}}
    for who in callers:
        [party] = offered(s, who, round_id)
        answer = rate(s, who, round_id, party=party, rating="good", **extra.get(party, {}))
        assert answer.status_code == 201, (party, answer.json)
        assert answer.json["my_parties"] == []
        if who is not callers[-1]:  # the last rating closes the round: see below
            assert offered(s, who, round_id) == []
    done = seen(s, org.member, round_id).json
    assert done["state"] == "completed"
    # closed: a later comer is offered nothing, and one who never rated does not see the round at all — nor
    # one of the masses who did: a closed round no longer tells its raters from anyone (评议人化名)
    assert seen(s, org.outsider_reviewer, round_id).status_code == 404
    assert seen(s, org.masses[0], round_id).status_code == 404
    assert offered(s, org.peer, round_id) == []


def test_the_parts_refused_are_not_offered(evaluation_service, org):
    s = evaluation_service
    # no peers and no masses in this round: whoever is not asked has no part, and the round stays hidden
    round_id = open_round(s, org, weights={"self": 50, "leader": 50})["id"]
    assert seen(s, org.peer, round_id).status_code == 404
    assert seen(s, org.masses[0], round_id).status_code == 404
    assert rate(s, org.masses[0], round_id, party="masses", rating="good").status_code == 422

    # one person asked for two parts is offered both, and either is accepted
    both = open_round(s, org, target_id=org.peer.subject, subject_person_id=org.reviewer.subject,
                      leader_ids=[org.reviewer.subject], peer_ids=[org.peer.subject])["id"]
    assert offered(s, org.reviewer, both) == ["self", "leader"]
    assert offered(s, org.member, both) == ["masses"]  # a branch member not asked as a peer
    assert rate(s, org.reviewer, both, party="leader", rating="good", mode="individual").status_code == 201
    assert offered(s, org.reviewer, both) == []

    stranger = person(unit_id=org.other_branch)
    assert offered(s, stranger, both) == ["masses"]
    closed = close_due_rounds(s.uow_factory, datetime.now(timezone.utc) + timedelta(days=8))
    assert sum(closed.values()) == 2
    assert seen(s, stranger, both).status_code == 404
    assert offered(s, org.reviewer, both) == []
