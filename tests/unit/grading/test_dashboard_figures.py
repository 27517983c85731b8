"""Figures for the dashboards: the 晋位升级 movement between two cycles and a branch's indicator profile."""
from grading_service.domain.classification import indicator_profile, movement
from grading_service.domain.model import AssessmentPart as P, Grade, Indicator as I


def test_movement_counts_every_branch_from_its_earlier_level_to_its_level_now():
    matrix = movement([(Grade.ORDINARY, Grade.ADVANCED), ("ordinary", "advanced"), (Grade.LAGGING, Grade.ORDINARY),
                       (Grade.ADVANCED, Grade.ADVANCED), (None, Grade.LAGGING), (Grade.ADVANCED, None)])
    assert matrix["ordinary"]["advanced"] == 2
    assert matrix["lagging"]["ordinary"] == 1 and matrix["advanced"]["advanced"] == 1
    assert matrix["none"]["lagging"] == 1 and matrix["advanced"]["undecided"] == 1
    assert list(matrix) == ["advanced", "ordinary", "lagging", "none"]
    assert all(list(row) == ["advanced", "ordinary", "lagging", "undecided"] for row in matrix.values())
    assert sum(sum(row.values()) for row in matrix.values()) == 6


def test_an_indicator_profile_weighs_the_parts_and_waits_for_every_part_that_weighs():
    weights = {P.SELF: 20, P.MEMBERS_AND_MASSES: 30, P.SUPERIOR: 50}
    parts = {P.SELF: {i: 90 for i in I}, P.MEMBERS_AND_MASSES: {i: 80 for i in I},
             P.SUPERIOR: {i: 70.5 for i in I if i is not I.VENUE}}
    profile = indicator_profile(weights, parts)
    assert profile[I.LEADER] == 77.25  # 0.2×90 + 0.3×80 + 0.5×70.5
    assert profile[I.VENUE] is None
    # A part weighted 0 is left out on purpose, so it is not waited for.
    assert indicator_profile({P.SELF: 0, P.MEMBERS_AND_MASSES: 0, P.SUPERIOR: 100}, parts)[I.LEADER] == 70.5
