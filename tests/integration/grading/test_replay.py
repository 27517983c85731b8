"""Late, duplicated and out-of-order events leave the same scores as the same events in order."""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone

from tests.support.services import person, start_service

from .conftest import CYCLES, all_indicators, branch_round


class Org:
    """Fixed ids, so that two fresh databases get the same directory and the same events."""

    def __init__(self):
        self.committee, self.general_branch = uuid.uuid4(), uuid.uuid4()
        self.branch, self.other_branch, self.group = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        self.units = [(self.committee, "党委", "committee", None),
                      (self.general_branch, "教育学院党总支", "general_branch", self.committee),
                      (self.branch, "教工第一党支部", "branch", self.general_branch),
                      (self.other_branch, "教工第二党支部", "branch", self.general_branch),
                      (self.group, "第一党小组", "group", self.branch)]
        self.org = person(roles=[("org_department", self.committee)])
        self.secretaries = {b: person(unit_id=b, roles=[("branch_secretary", b)])
                            for b in (self.branch, self.other_branch)}


def event_stream(org: Org) -> list[tuple[str, dict]]:
    """A year of inputs: branch rounds, window months revised as they grow, pledge figures revised."""
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    window = uuid.uuid4()
    stream = [("evaluation.completed", branch_round(org.branch, 91.5)),
              ("evaluation.completed", branch_round(org.branch, 84)),
              ("evaluation.completed", branch_round(org.other_branch, 77.25)),
              # a member's round is not the branch's
              ("evaluation.completed", branch_round(org.branch, 10) | {"target_kind": "member_year"})]
    for month in range(3, 7):
        for revision in range(3):
            stream.append(("evaluation.window_satisfaction", {
                "window_id": window, "unit_id": org.group, "month": f"2026-{month:02d}",
                "ratings": 40 + 10 * revision, "satisfied": 30 + 9 * revision + month,
                "as_of": start + timedelta(days=30 * (month - 3) + revision)}))
    for revision in range(4):
        stream.append(("pledge.statistics_updated", {
            "unit_id": org.branch, "year": 2026, "members_expected": 20, "members_with_annual_pledge": 15 + revision,
            "pledges_total": 30, "fulfilled": 10 + 5 * revision, "fulfilled_on_time": 8 + 5 * revision,
            "overdue": 3 - revision, "by_area": {"study": 4}, "as_of": start + timedelta(days=40 * revision)}))
    return stream


def scores_after(fresh_database, make_settings, org: Org, deliveries) -> list[dict]:
    service = start_service("grading", fresh_database("replay"), make_settings)
    try:
        for unit_id, name, kind, parent in org.units:
            service.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind,
                                                        "parent_id": parent, "revision": 1})
        cycle = service.client.post(CYCLES, json={"year": 2026, "advanced_cap_percent": 50,
                                                  "self_assessment_deadline": "2100-01-01"},
                                    headers=service.headers(org.org)).json
        for branch_id, secretary in org.secretaries.items():
            response = service.client.put(f"{CYCLES}/{cycle['id']}/branches/{branch_id}/self-assessment",
                                          json={"scores": all_indicators(88)}, headers=service.headers(secretary))
            assert response.status_code == 200, response.json
        for event_type, data, *version in deliveries:
            service.deliver(event_type, data, version=version[0] if version else 1)
        page = service.client.get(f"{CYCLES}/{cycle['id']}/branches", headers=service.headers(org.org)).json
    finally:
        service.engine.dispose()
    return [{k: b[k] for k in ("branch_id", "part_totals", "members_and_masses", "satisfaction", "pledge_score",
                               "evaluation_rounds")} for b in page["items"]]


def test_a_shuffled_duplicated_stream_gives_the_same_scores_as_the_ordered_one(fresh_database, make_settings):
    org = Org()
    stream = event_stream(org)
    shuffled = stream + random.Random(7).sample(stream, len(stream) // 2)
    random.Random(11).shuffle(shuffled)
    assert shuffled[:len(stream)] != stream

    in_order = scores_after(fresh_database, make_settings, org, stream)
    replayed = scores_after(fresh_database, make_settings, org, shuffled)

    assert replayed == in_order
    first = next(b for b in in_order if b["branch_id"] == str(org.branch))
    # the latest figures won: 18 of 20 pledged, 23 of 30 on time → (90 + 76.67) / 2
    assert first["pledge_score"] == 83.33
    # the mean of the two branch rounds, the member's round left out
    assert first["evaluation_rounds"] == 2 and first["members_and_masses"]["leader"] == 87.75
    # the latest copy of each month, through the group to its branch: (4 × 48 + 3+4+5+6) / (4 × 60)
    assert first["satisfaction"] == 87.5
    assert first["members_and_masses"]["masses"] == 87.5 and first["members_and_masses"]["performance"] == 83.33
    second = next(b for b in in_order if b["branch_id"] == str(org.other_branch))
    assert second["satisfaction"] is None and second["members_and_masses"]["masses"] == 77.25


def test_a_month_the_anonymity_guard_hides_counts_for_nothing(fresh_database, make_settings):
    org = Org()
    window, start = uuid.uuid4(), datetime(2026, 3, 1, tzinfo=timezone.utc)
    month = {"window_id": window, "unit_id": org.branch}
    deliveries = [  # v1's raw counts of March, then v2: March hidden after all, April shown
        ("evaluation.window_satisfaction", month | {"month": "2026-03", "ratings": 2, "satisfied": 0,
                                                    "as_of": start}),
        ("evaluation.window_satisfaction", month | {"month": "2026-03", "shown": False, "as_of": start
                                                    + timedelta(days=1)}, 2),
        ("evaluation.window_satisfaction", month | {"month": "2026-04", "shown": True, "ratings": 10,
                                                    "satisfied": 9, "satisfaction_rate": 0.9,
                                                    "as_of": start + timedelta(days=31)}, 2)]
    first = next(b for b in scores_after(fresh_database, make_settings, org, deliveries)
                 if b["branch_id"] == str(org.branch))
    assert first["satisfaction"] == 90.0
