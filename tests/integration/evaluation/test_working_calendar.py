"""Follow-up deadlines count working days as the official calendar and the university's own days say (#21 gap
8): a case opened before a holiday is due after it, at the end of its last day; a day the organisation
department changes at the gateway reaches evaluation-service's copy and moves the next deadline."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import followup_cases
from evaluation_service.config import load_config
from evaluation_service.service.suggestions import drop_note
from evaluation_service.service.window_ratings import rate_window
from gateway.service.demo import seed
from pacesetter_shared.config import ConfigurationError
from pacesetter_shared.db import outbox_table
from pacesetter_shared.events import load_data
from pacesetter_shared.workdays import SHANGHAI
from tests.integration.evaluation.test_window_ratings import kiosk
from tests.support.services import start_service

BEFORE_NATIONAL_DAY = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in Shanghai
# 8, 9, 10 (the make-up Saturday), 12, 13 October, to 17:30; Monday to Friday alone said 7 October, a holiday
AFTER_NATIONAL_DAY = datetime(2026, 10, 13, 17, 30, tzinfo=SHANGHAI)


@pytest.fixture
def gateway(fresh_database, make_settings):
    service = start_service("gateway", fresh_database("gw"), make_settings)
    seed(service.uow_factory)
    yield service
    service.engine.dispose()


def _org_department(gateway) -> dict:
    tokens = gateway.client.post("/api/auth/login", json={"username": "zuzhibu", "password": "pacesetter2026"}).json
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _last_calendar_event(gateway) -> dict:
    with gateway.engine.connect() as conn:
        envelope = conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.event_type == "calendar.days_changed").order_by(outbox_table.c.id.desc())).scalars().first()
    return load_data("calendar.days_changed", envelope["version"], envelope["data"])


def _deadline_of_a_bad_rating(s, window_id, now: datetime = BEFORE_NATIONAL_DAY) -> datetime:
    with s.uow_factory() as uow:
        case_id = rate_window(uow, kiosk(window_id), {"client_id": uuid.uuid4().hex, "level": 1}, now=now)["case_id"]
    with s.engine.connect() as conn:
        return conn.execute(sa.select(followup_cases.c.deadline).where(followup_cases.c.id == case_id)).scalar_one()


def test_a_case_opened_before_a_holiday_is_due_at_the_end_of_a_working_day_after_it(evaluation_service, org):
    s = evaluation_service
    assert _deadline_of_a_bad_rating(s, org.window) == AFTER_NATIONAL_DAY
    with s.uow_factory() as uow:  # a complaint in the suggestion box is followed up the same way
        drop_note(uow, {"unit_id": org.branch, "body": "节前投诉", "is_complaint": True}, now=BEFORE_NATIONAL_DAY)
    with s.engine.connect() as conn:
        deadlines = conn.execute(sa.select(followup_cases.c.deadline)).scalars().all()
        announced = [case["deadline"] for e in conn.execute(sa.select(outbox_table.c.envelope).where(
            outbox_table.c.event_type == "feedback.negative")).scalars() for case in e["data"]["cases"]]
    assert deadlines == [AFTER_NATIONAL_DAY] * 2
    assert [datetime.fromisoformat(d) for d in announced] == [AFTER_NATIONAL_DAY] * 2


def test_a_day_changed_at_the_gateway_reaches_evaluation_and_moves_the_next_deadline(gateway, evaluation_service,
                                                                                     org):
    s, org_department = evaluation_service, _org_department(gateway)
    anniversary = gateway.client.post("/api/calendar/overrides", json={"day": "2026-10-13", "working": False,
                                                                       "note": "校庆"}, headers=org_department)
    assert anniversary.status_code == 201, anniversary.json
    with_anniversary = _last_calendar_event(gateway)
    s.deliver("calendar.days_changed", with_anniversary)
    assert _deadline_of_a_bad_rating(s, org.window) == datetime(2026, 10, 14, 17, 30, tzinfo=SHANGHAI)
    s.deliver("calendar.days_changed", with_anniversary)  # delivered again: the same copy
    assert _deadline_of_a_bad_rating(s, org.window) == datetime(2026, 10, 14, 17, 30, tzinfo=SHANGHAI)

    assert gateway.client.delete("/api/calendar/overrides/2026-10-13", headers=org_department).status_code == 204
    s.deliver("calendar.days_changed", _last_calendar_event(gateway))
    assert _deadline_of_a_bad_rating(s, org.window) == AFTER_NATIONAL_DAY
    s.deliver("calendar.days_changed", with_anniversary)  # late, and older than the copy: ignored
    assert _deadline_of_a_bad_rating(s, org.window) == AFTER_NATIONAL_DAY


def test_a_day_of_a_year_not_yet_published_counts_once_changed(evaluation_service, org):
    s = evaluation_service
    thursday = datetime(2026, 12, 31, 2, 0, tzinfo=timezone.utc)
    # 2027 is not in the package yet: Monday to Friday, so New Year's Day counts (1, 4, 5, 6, 7 January) until
    # the university says it does not (4 … 8 January)
    assert _deadline_of_a_bad_rating(s, org.window, thursday) == datetime(2027, 1, 7, 17, 30, tzinfo=SHANGHAI)
    s.deliver("calendar.days_changed", {"overrides": [{"day": date(2027, 1, 1), "working": False, "note": "元旦"}],
                                        "as_of": datetime.now(timezone.utc)})
    assert _deadline_of_a_bad_rating(s, org.window, thursday) == datetime(2027, 1, 8, 17, 30, tzinfo=SHANGHAI)


def test_a_working_day_may_end_at_midnight_and_a_bad_end_stops_the_service(fresh_database, make_settings):
    s = start_service("evaluation", fresh_database("evaluation"), make_settings, deadline_end_of_day="23:59")
    try:
        window = uuid.uuid4()
        from tests.support.services import OrgFixture
        org = OrgFixture(s)
        branch = org.branch
        s.deliver("directory.window_upserted", {"window_id": window, "name": "档案窗口", "unit_id": branch,
                                                "revision": 1, "standards": {"items": [], "workflow": "",
                                                                             "time_limit": ""}})
        answer = s.client.post("/api/ratings", json={"client_id": "late", "level": 1}, headers=s.headers(kiosk(window)))
        assert answer.status_code == 201, answer.json
        with s.engine.connect() as conn:
            deadline = conn.execute(sa.select(followup_cases.c.deadline)).scalar_one().astimezone(SHANGHAI)
        assert (deadline.hour, deadline.minute) == (23, 59)
        # an instant pledge's round (一事一评): each party's five working days end at the same hour
        from evaluation_service.adapters.repository import party_deadlines
        from evaluation_service.adapters.tables import rounds
        from evaluation_service.consumers import handlers_for
        from tests.integration.evaluation.test_rounds import fulfilled
        # the worker's handlers with this deployment's settings
        s.deliver("pledge.fulfilled", fulfilled(org, pledge_id=uuid.uuid4()), handlers=handlers_for(load_config(s.settings)))
        with s.engine.connect() as conn:
            row = conn.execute(sa.select(rounds)).one()
        ends = {(d.astimezone(SHANGHAI).hour, d.astimezone(SHANGHAI).minute) for d in party_deadlines(row).values()}
        assert ends == {(23, 59)}, party_deadlines(row)
    finally:
        s.engine.dispose()
    for bad in ("24:00", "5pm", "00:00"):
        with pytest.raises(ConfigurationError, match="DEADLINE_END_OF_DAY"):
            load_config(make_settings("evaluation", deadline_end_of_day=bad))
    with pytest.raises(ConfigurationError, match="DEADLINE_END_OF_DAY"):
        from gateway.config import end_of_day
        end_of_day(make_settings("gateway", deadline_end_of_day="17:75").env)
