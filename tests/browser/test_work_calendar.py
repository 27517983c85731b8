"""工作日历 (#21 gap 8): the organisation department reads the year's official holidays and make-up workdays, sees
that a year not yet published is counted Monday to Friday, adds a day of the university's own calendar in a
drawer (which reaches evaluation-service's copy through the broker) and removes it after a confirm; the same
page in English. The day changed is the test's own and is
removed again: other tests' deadlines do not move."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import login, open_from_menu, settle, toast
from .test_directory import choose_option

pytestmark = pytest.mark.e2e

DAY = "2027-01-01"  # a Friday of a year the calendar package does not know yet


def _evaluation_copy(suite) -> list[tuple[str, bool, str]]:
    """evaluation-service's copy of the overrides, kept by its consumer from calendar.days_changed."""
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT day, working, note FROM cal_overrides ORDER BY day")).all()
    engine.dispose()
    return [(r.day.isoformat(), r.working, r.note) for r in rows]


def _row(page, day: str):
    return page.locator("#calendar-table tr", has=page.locator(f".day[data-day='{day}']"))


def _choose_year(page, year: int) -> None:
    choose_option(page, page.locator("[data-test=calendar-year]"), str(year))
    page.locator("[data-test=calendar-count]", has_text=str(year)).wait_for()
    settle(page)


def test_the_organisation_department_keeps_the_university_s_own_days(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    try:
        page = login(browser, suite, "zuzhibu")
        open_from_menu(page, "work-calendar")
        assert page.locator("h1").inner_text() == "工作日历"
        _choose_year(page, 2026)
        national_day, make_up = _row(page, "2026-10-01"), _row(page, "2026-10-10")
        assert national_day.locator(".kind").inner_text() == "放假"
        assert national_day.locator(".name").inner_text() == "国庆节"
        assert national_day.locator(".source").inner_text() == "国家安排"
        assert make_up.locator(".kind").inner_text() == "上班"  # the make-up Saturday
        assert "周六" in make_up.inner_text()
        assert _row(page, "2026-10-09").count() == 0  # an ordinary Friday is not listed
        assert "17:30" in page.locator("#calendar-end-of-day").inner_text()
        screenshot(page, "work-calendar-2026")

        _choose_year(page, 2027)
        warning = page.locator("#calendar-warning")
        assert "2027" in warning.inner_text() and "周一至周五" in warning.inner_text()

        page.click("[data-test=add-override]")
        form = page.locator("#override-form")
        picker = form.locator("[data-field=day] input")
        picker.fill(DAY)
        picker.press("Enter")
        form.locator("[data-field=note] input").fill("元旦")
        page.click("[data-test=save]")
        assert toast(page, f"已新增 {DAY} 的调整")
        form.wait_for(state="detached")
        row = _row(page, DAY)
        row.wait_for()
        assert (row.locator(".kind").inner_text(), row.locator(".source").inner_text()) == ("放假", "本校调整")
        assert "元旦" in row.inner_text() and "原为上班" in row.inner_text()
        days = org.get("/api/calendar/days?year=2027").json["days"]
        assert days == [{"day": DAY, "working": False, "holiday": "", "note": "元旦", "overridden": True,
                         "usually_working": True}]
        screenshot(page, "work-calendar-2027-override")
        # through the outbox, the broker and its consumer, evaluation-service counts the day off from now on
        wait_for(lambda: _evaluation_copy(suite) == [(DAY, False, "元旦")], timeout=30)

        page.click("[data-test=add-override]")  # the same day again: the service's reason shown
        form = page.locator("#override-form")
        form.locator("[data-field=day] input").fill(DAY)
        form.locator("[data-field=day] input").press("Enter")
        page.click("[data-test=save]")
        assert "已有调整" in toast(page, "已有调整")
        page.locator(".el-drawer__footer button", has_text="取消").click()
        form.wait_for(state="detached")

        row.locator("button.remove").click()
        page.locator(".el-message-box button", has_text="确定").click()
        assert toast(page, f"已删除 {DAY} 的调整")
        row.wait_for(state="detached")
        assert org.get("/api/calendar/days?year=2027").json["days"] == []
        wait_for(lambda: _evaluation_copy(suite) == [], timeout=30)
        page.context.close()

        english = login(browser, suite, "zuzhibu", locale="en", path="/directory/calendar")
        _choose_year(english, 2026)
        assert english.locator("h1").inner_text() == "Working calendar"
        assert _row(english, "2026-10-01").locator(".name").inner_text() == "National Day"
        assert _row(english, "2026-10-10").locator(".kind").inner_text() == "Working day"
        screenshot(english, "work-calendar-2026-en")
        english.context.close()
    finally:
        org.request("DELETE", f"/api/calendar/overrides/{DAY}")
