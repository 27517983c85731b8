"""#21 gap 6: each party of a round has its own deadline, set per kind of round. An instant pledge's round
(一事一评) is evaluated within five working days; a party short of its anonymity minimum by its deadline is
left out, its weight shared among the others, and the result says which and why."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import rounds
from evaluation_service.config import load_config
from evaluation_service.domain.parties import PartyTerms, RoundKind
from evaluation_service.domain.ratings import followup_deadline
from evaluation_service.service.round_results import close_due_rounds
from pacesetter_shared.config import ConfigurationError
from tests.integration.evaluation.test_rounds import ROUNDS, events, fulfilled, rate

TITLE = "为新生办理入学手续"


def _instant_round(s, org) -> sa.Row:
    s.deliver("pledge.fulfilled", fulfilled(org, pledge_id=uuid.uuid4()))
    with s.engine.connect() as conn:
        return conn.execute(sa.select(rounds)).one()


def _all_but_the_masses_rate(s, org, round_id) -> None:
    assert rate(s, org.member, round_id, party="self", rating="excellent",
                target_reports=[{"target": TITLE, "done": "办结三十件"}]).status_code == 201
    for peer in (org.peer, org.peer2, org.secretary):
        assert rate(s, peer, round_id, party="peer", rating="good").status_code == 201
    answer = rate(s, org.reviewer, round_id, party="leader", rating="excellent", mode="on_site")
    assert answer.status_code == 201, answer.json


def test_an_instant_pledges_round_closes_at_its_masses_deadline_without_them(evaluation_service, org):
    s = evaluation_service
    row = _instant_round(s, org)
    opened = row.opened_at
    within_five = followup_deadline(opened, 5)
    # every party has five working days, and the round no longer waits 14 days
    assert {p: datetime.fromisoformat(d) for p, d in row.party_deadlines.items()} == {
        p: within_five for p in ("self", "peer", "masses", "leader")}
    assert row.deadline == within_five < opened + timedelta(days=14)
    assert set(row.peer_ids) == {org.peer.subject, org.peer2.subject, org.secretary.subject}

    _all_but_the_masses_rate(s, org, row.id)
    assert s.client.get(f"{ROUNDS}/{row.id}", headers=s.headers(org.member)).json["state"] == "open"
    assert close_due_rounds(s.uow_factory, within_five - timedelta(minutes=1)) == {}

    assert close_due_rounds(s.uow_factory, within_five) == {"completed": 1}
    [completed] = events(s, "evaluation.completed")
    assert completed["data"]["round_id"] == str(row.id)

    body = s.client.get(f"{ROUNDS}/{row.id}", headers=s.headers(org.member, **{"Accept-Language": "zh-CN"})).json
    assert body["state"] == "completed"
    # (20·95 + 30·85 + 20·95) / 70: the masses' 30 shared among the others in proportion
    assert body["score"] == 90.71 and body["level"] == "excellent"
    shares = {part["party"]: part["share"] for part in body["breakdown"]}
    assert shares == {"self": 28.57, "peer": 42.86, "masses": None, "leader": 28.57}
    [left] = body["left_out"]
    assert (left["party"], left["reason"], left["raters"]) == ("masses", "none_rated", 0)
    assert "群众评议" in left["explanation"] and "按比例" in left["explanation"]
    english = s.client.get(f"{ROUNDS}/{row.id}", headers=s.headers(org.member, **{"Accept-Language": "en"})).json
    assert english["left_out"][0]["explanation"].startswith("Evaluation by the masses: no one rated")


def test_too_few_masses_are_left_out_and_no_one_rates_after_a_partys_deadline(evaluation_service, org):
    s = evaluation_service
    row = _instant_round(s, org)
    _all_but_the_masses_rate(s, org, row.id)
    assert rate(s, org.masses[0], row.id, party="masses", rating="poor").status_code == 201
    assert close_due_rounds(s.uow_factory, row.deadline) == {"completed": 1}
    body = s.client.get(f"{ROUNDS}/{row.id}", headers=s.headers(org.member, **{"Accept-Language": "en"})).json
    [left] = body["left_out"]
    assert (left["party"], left["reason"], left["raters"]) == ("masses", "too_few", 1)
    assert "fewer than the 3 that keep raters anonymous" in left["explanation"]
    # the lone masses' rating is not in the score: it would be worked back out of the total
    assert body["score"] == 90.71
    # a peer's or leader's view shows no result, so no left-out party either
    assert s.client.get(f"{ROUNDS}/{row.id}", headers=s.headers(org.peer)).json["left_out"] is None


def test_a_party_takes_no_rating_after_its_own_deadline(evaluation_service, org):
    s = evaluation_service
    open_at = datetime.now(timezone.utc)
    body = {"target_kind": "member_year", "target_id": org.member.subject, "unit_id": str(org.branch),
            "subject_person_id": org.member.subject, "year": 2026, "targets": [],
            "weights": {"self": 20, "peer": 30, "masses": 30, "leader": 20},
            "deadline": (open_at + timedelta(days=30)).isoformat(),
            "peer_ids": [org.peer.subject, org.peer2.subject, org.secretary.subject]}
    answer = s.client.post(ROUNDS, json=body, headers=s.headers(org.org))
    assert answer.status_code == 201, answer.json
    round_id = answer.json["id"]
    with s.engine.begin() as conn:  # as if 组织部 had given the masses one working day (ROUND_PARTIES_MEMBER_YEAR)
        conn.execute(sa.update(rounds).where(rounds.c.id == round_id).values(
            party_deadlines={"self": body["deadline"], "peer": body["deadline"], "leader": body["deadline"],
                             "masses": (open_at - timedelta(seconds=1)).isoformat()}))
    late = rate(s, org.masses[0], round_id, party="masses", rating="good")
    assert late.status_code == 409 and late.json["error"]["code"] == "round_closed"
    parties = {p["party"]: p for p in s.client.get(f"{ROUNDS}/{round_id}", headers=s.headers(org.org)).json["parties"]}
    assert parties["masses"]["waited_for"] and parties["peer"]["deadline"].startswith(body["deadline"][:16])


def test_each_kind_of_round_reads_its_parties_and_deadlines_from_the_environment(make_settings):
    config = load_config(make_settings("evaluation", round_parties_member_year="self,peer:10,leader:10"))
    assert config.party_terms[RoundKind.MEMBER_YEAR] == PartyTerms({"self": None, "peer": 10, "leader": 10})
    assert config.party_terms[RoundKind.INSTANT_PLEDGE].working_days["masses"] == 5
    assert config.party_terms[RoundKind.ANNUAL_PLEDGE] == PartyTerms({})  # every weighted party, the deadline


@pytest.mark.parametrize("wrong", ["self:0", "crowd:5", "self,self", "peer:x", ""])
def test_a_kinds_parties_the_service_cannot_read_stop_it_with_the_setting_named(make_settings, wrong):
    with pytest.raises(ConfigurationError, match="ROUND_PARTIES_WINDOW"):
        load_config(make_settings("evaluation", round_parties_window=wrong or ","))
