"""The pledge's rules and life cycle, without a database."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest

from pledge_service.domain.model import (
    TRANSITIONS, IllegalTransition, InstantTrigger, InvalidPledge, LeadArea, Pledge, PledgeKind, PledgeMode,
    PledgeState, allowed_actions,
)

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
ME = uuid.uuid4()


def draft(**overrides) -> Pledge:
    values = dict(id=uuid.uuid4(), pledger_kind="member", pledger_id=ME, unit_id=uuid.uuid4(),
                  kind=PledgeKind.ANNUAL, mode=PledgeMode.INDIVIDUAL, title="带头服务师生", content="每周值班",
                  due_date=date(2026, 12, 31), areas=[LeadArea.SERVING_MASSES], today=TODAY, now=NOW)
    values.update(overrides)
    return Pledge.draft(**values)


def test_a_valid_annual_pledge_starts_as_a_draft_in_its_year():
    pledge = draft()
    assert pledge.state is PledgeState.DRAFT
    assert pledge.year == 2026


@pytest.mark.parametrize("overrides, field", [
    ({"due_date": date(2026, 2, 28)}, "due_date"),
    ({"kind": PledgeKind.INSTANT}, "trigger"),
    ({"trigger": InstantTrigger.EMERGENCY}, "trigger"),
    ({"mode": PledgeMode.COLLECTIVE}, "participant_ids"),
    ({"mode": PledgeMode.COLLECTIVE, "participant_ids": [ME]}, "participant_ids"),
    ({"mode": PledgeMode.WITH_MASSES}, "masses_participants"),
    ({"areas": []}, "areas"),
    ({"title": "   "}, "title"),
])
def test_invalid_content_names_the_field(overrides, field):
    with pytest.raises(InvalidPledge) as caught:
        draft(**overrides)
    assert field in caught.value.details


def test_an_instant_pledge_records_its_trigger_and_counts_in_the_year_it_is_made():
    pledge = draft(kind=PledgeKind.INSTANT, trigger=InstantTrigger.EMERGENCY, due_date=date(2027, 1, 15))
    assert pledge.trigger is InstantTrigger.EMERGENCY
    assert pledge.year == 2026


def test_a_collective_pledge_with_two_members_is_valid():
    other = uuid.uuid4()
    assert draft(mode=PledgeMode.COLLECTIVE, participant_ids=[other]).participant_ids == [other]


def test_the_participants_of_a_collective_pledge_take_part_in_it_and_nobody_else():
    fellow, stranger = uuid.uuid4(), uuid.uuid4()
    together = draft(mode=PledgeMode.COLLECTIVE, participant_ids=[ME, fellow])
    assert together.participants == [fellow]  # the pledger is the pledger, not a participant
    assert together.takes_part(fellow) and not together.takes_part(ME) and not together.takes_part(stranger)
    together.edit(TODAY, mode=PledgeMode.INDIVIDUAL)  # ids left from the collective draft name nobody
    assert together.participant_ids == [ME, fellow] and together.participants == []
    assert not together.takes_part(fellow)
    unit_pledge = draft(pledger_kind="unit", mode=PledgeMode.COLLECTIVE, participant_ids=[fellow])
    assert unit_pledge.participants == [] and not unit_pledge.takes_part(fellow)


def test_the_happy_path_through_review_publication_and_fulfilment():
    pledge = draft()
    reviewer = uuid.uuid4()
    for action, state in [("submit", PledgeState.SUBMITTED), ("approve", PledgeState.APPROVED),
                          ("publish", PledgeState.PUBLISHED), ("report_progress", PledgeState.PUBLISHED),
                          ("fulfil", PledgeState.FULFILLED), ("record_evaluation", PledgeState.EVALUATED),
                          ("close", PledgeState.CLOSED)]:
        pledge.apply(action, reviewer if action in ("approve", "publish") else ME, NOW)
        assert pledge.state is state
    assert [t.action for t in pledge.history][:3] == ["submit", "approve", "publish"]


def test_a_returned_pledge_carries_the_reason_and_can_be_edited_and_resubmitted():
    pledge = draft()
    pledge.apply("submit", ME, NOW)
    with pytest.raises(InvalidPledge):
        pledge.apply("return", uuid.uuid4(), NOW)
    pledge.apply("return", uuid.uuid4(), NOW, reason="目标不够具体")
    assert pledge.return_reason == "目标不够具体"
    pledge.edit(TODAY, targets=["每学期开设两次公开课"])
    pledge.apply("submit", ME, NOW)
    assert pledge.state is PledgeState.SUBMITTED and pledge.return_reason is None


@pytest.mark.parametrize("state", list(PledgeState))
def test_every_illegal_transition_is_refused_with_the_allowed_ones_listed(state):
    for action, (sources, _target) in TRANSITIONS.items():
        if state in sources:
            continue
        pledge = draft()
        pledge.state = state
        with pytest.raises(IllegalTransition) as caught:
            pledge.apply(action, ME, NOW, reason="r")
        assert caught.value.details == {"state": state.value, "allowed": allowed_actions(state)}


def test_only_drafts_and_returned_pledges_can_be_edited():
    pledge = draft()
    pledge.apply("submit", ME, NOW)
    with pytest.raises(IllegalTransition):
        pledge.edit(TODAY, title="改")


def test_withdrawal_needs_a_reason_and_is_kept_in_the_history():
    pledge = draft()
    with pytest.raises(InvalidPledge):
        pledge.apply("withdraw", ME, NOW, reason=" ")
    pledge.apply("withdraw", ME, NOW, reason="岗位调整")
    assert pledge.state is PledgeState.WITHDRAWN
    assert pledge.history[-1].reason == "岗位调整"
