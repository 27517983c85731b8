"""A year whose figures the figures keeper (evaluation-figures) has not worked out yet (issue 24): 我的窗口满意度, 星级窗口 and the
dashboards' windows tab (and their key figure) say "本年度统计正在生成，稍后自动刷新" (in English on an English page),
once per page, instead of "no ratings", and show the figures by themselves, without a reload, once the keeper has worked the year out.

A suite of its own, deployed as in production: figures worked out by the keeper (every 2 s here), never on read. The
year is made cold as just after a start on a new database: the keeper stopped and the year's figures not there."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gateway.service.demo import DEMO_PASSWORD
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine
from tests.support.http import Api

from .conftest import screenshot
from .portal import go, login
from .test_dashboards import _rate, _window_with_kiosk

pytestmark = pytest.mark.e2e

PREPARING_ZH = "本年度统计正在生成，稍后自动刷新"
PREPARING_EN = "This year's figures are being prepared and will refresh by themselves shortly"


@pytest.fixture(scope="module")
def deployed(pg_server, amqp_url, tmp_path_factory):
    from tests.support.suite import running_suite

    with running_suite(pg_server, amqp_url, "cold", tmp_path_factory,
                       extra_env={"DISCLOSURE_REFRESH_SECONDS": "2"}) as running:
        yield running


def _forget_year(suite, year: int) -> None:
    """The year's figures as before the keeper's first pass: none kept, nothing saying when they were made."""
    engine = make_engine(load_settings("evaluation", suite.env).database_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM disclosed_figures WHERE year = :y"), {"y": year})
        conn.execute(sa.text("DELETE FROM disclosure_snapshots WHERE year = :y"), {"y": year})
    engine.dispose()


def test_a_year_being_worked_out_says_so_and_shows_its_figures_once_ready(deployed, browser):
    suite = deployed
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    window, credential = _window_with_kiosk(org, f"统计窗口{tag}")  # 教务处党支部, 孙丽 its secretary
    _rate(suite, credential, [5, 5, 4, 4, 3] * 2, f"cold-{tag}")  # ten raters: shown
    suite.stop_process("evaluation-figures")
    year = (datetime.now(timezone.utc) + timedelta(hours=8)).year
    _forget_year(suite, year)

    try:
        page = login(browser, suite, "sunli")
        go(page, suite, "/windows/satisfaction", "window-satisfaction")
        notice = page.locator("[data-test=figures-preparing]")
        expect(notice).to_have_text(PREPARING_ZH)
        # not the windows "without ratings", as before: no rows until the figures come, and the notice said once
        # (not again as the table's empty text)
        expect(page.get_by_text(PREPARING_ZH)).to_have_count(1)
        assert page.locator(f"[data-test=window-summary] tr:has-text('{window['name']}')").count() == 0
        screenshot(page, "window-satisfaction-preparing")

        stars = login(browser, suite, "sunli", path="/windows/stars?by=window")
        expect(stars.locator("[data-test=figures-preparing]")).to_have_text(PREPARING_ZH)
        expect(stars.get_by_text(PREPARING_ZH)).to_have_count(1)
        stars.context.close()

        english = login(browser, suite, "sunli", locale="en")
        go(english, suite, "/dashboards?tab=windows", "dashboards")
        for chart in ("#dash-satisfaction", "#dash-rhythm"):
            expect(english.locator(f"{chart} [data-test=figures-preparing]")).to_have_text(PREPARING_EN)
            assert english.locator(f"{chart} .el-empty").count() == 0  # not "not enough ratings yet"
        satisfaction = english.locator("[data-kpi=satisfaction] [data-test=value]")
        expect(satisfaction).to_have_text("Being prepared")  # the key figure too, not "No data yet"
        screenshot(english, "dashboards-windows-preparing-en")
    finally:
        suite.start_process("evaluation-figures")

    # the figures keeper works the year out; each page asks again by itself (every 5 s) and shows it
    row = page.locator(f"[data-test=window-summary] tr:has-text('{window['name']}')")
    expect(row).to_contain_text("10", timeout=60_000)
    expect(row.locator("[data-test=rate]")).to_have_text("100.0%")
    expect(notice).to_have_count(0)
    assert "数据更新于" in page.locator("[data-test=range]").inner_text()  # when the keeper worked it out
    screenshot(page, "window-satisfaction-ready")

    expect(english.locator("#dash-satisfaction[data-rendered=true] .chart-canvas svg")).to_be_visible(timeout=60_000)
    expect(english.locator("#dash-rhythm[data-rendered=true] .chart-canvas svg")).to_be_visible(timeout=60_000)
    expect(english.locator("[data-test=figures-preparing]")).to_have_count(0)
    expect(satisfaction).to_have_text("100%")
    expect(english.locator("#dash-satisfaction .chart-canvas svg text").filter(has_text=window["name"]).first).to_be_attached()
    page.context.close()
    english.context.close()
