"""Coverage (人人承诺) and fulfilment (践诺) rates of a branch, as the dashboards chart them."""
import uuid
from datetime import datetime, timezone

from pledge_service.domain.statistics import UnitStatistics, coverage_percent, fulfilment_percent


def figures(expected=0, pledgers=0, total=0, fulfilled=0) -> UnitStatistics:
    return UnitStatistics(unit_id=uuid.uuid4(), year=2026, members_expected=expected,
                          members_with_annual_pledge=pledgers, pledges_total=total, fulfilled=fulfilled,
                          fulfilled_on_time=fulfilled, overdue=0, by_area={}, as_of=datetime.now(timezone.utc))


def test_rates_are_percent_to_one_place():
    assert coverage_percent(figures(expected=3, pledgers=2)) == 66.7
    assert fulfilment_percent(figures(total=3, fulfilled=1)) == 33.3


def test_nobody_expected_or_no_pledge_has_no_rate_rather_than_zero():
    assert coverage_percent(figures(expected=0, pledgers=0)) is None
    assert fulfilment_percent(figures(total=0)) is None


def test_coverage_never_passes_100():
    # Figures carrying more pledgers than members expected still read as full coverage.
    assert coverage_percent(figures(expected=2, pledgers=3)) == 100.0
