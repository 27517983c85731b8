"""定时任务 in the browser (#21 gap 10): ops sees every service's scheduled jobs in Chinese, runs one after a
confirmation and reads its outcome; a member has no such page. The embedded suite on a training clock says so
on every page, the login page first."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_embedded_mode import Embedded

from .conftest import screenshot
from .portal import go, login, open_from_menu, settle, toast

pytestmark = pytest.mark.e2e


def test_ops_runs_a_scheduled_job_from_the_portal(suite, browser):
    page = login(browser, suite, "zuzhibu")  # 组织部 and ops
    open_from_menu(page, "ops-jobs")
    rows = page.locator("[data-test=jobs] .el-table__body tr")
    rows.first.wait_for()
    titles = page.locator("[data-test=jobs] .job-title").all_inner_texts()
    assert {"标记逾期承诺并提醒承诺人", "关闭到期的评议", "标记逾期整改任务", "发送每日汇总"} <= set(titles)
    row = rows.filter(has=page.locator("[data-job='pledge.refresh_statistics']")).first
    assert "每 1 天" in row.inner_text()

    row.locator("[data-test=run]").click()
    dialog = page.locator(".el-message-box")
    dialog.wait_for()
    assert "立即运行“更新承诺统计”？" in dialog.inner_text()
    page.wait_for_function("() => !document.querySelector('[class*=-enter-]')")  # faded in, for the screenshot
    screenshot(page, "ops-jobs-confirm")
    dialog.locator(".el-button--primary").click()
    assert toast(page, "已运行完毕") == "“更新承诺统计”已运行完毕"
    outcome = page.locator("[data-test=outcome]")
    outcome.wait_for()
    assert outcome.get_attribute("data-status") == "ok"
    assert outcome.locator(".el-alert__title").inner_text() == "更新承诺统计：成功"
    settle(page)
    last_run = rows.filter(has=page.locator("[data-job='pledge.refresh_statistics']")).first.locator("td").nth(3)
    assert last_run.inner_text() != "尚未运行"
    screenshot(page, "ops-jobs")
    page.context.close()


def test_a_member_has_no_jobs_page(suite, browser):
    page = login(browser, suite, "dangyuan")
    assert page.locator(".side-menu [data-group=ops]").count() == 0
    go(page, suite, "/ops/jobs")
    assert page.locator(".page-frame").get_attribute("data-page") == "home"  # sent back to the desk
    page.context.close()


def test_the_training_clock_shows_as_a_banner_with_the_shifted_date(browser, tmp_path):
    suite = Embedded(tmp_path / "var", tmp_path / "embedded.log", "--clock-offset", "7d").start()
    try:
        shifted = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=7)).strftime("%Y-%m-%d")
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{suite.gateway}/login")
        banner = page.locator("[data-test=training-banner]")
        banner.wait_for()
        assert banner.inner_text().startswith(f"培训模式：系统时间已调快 7 天，当前系统时间为 {shifted} ")
        screenshot(page, "training-banner-login")
        page.fill("#login-form input[name=username]", "zuzhibu")
        page.fill("#login-form input[name=password]", "pacesetter2026")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector(".page-frame[data-page=home]")
        assert shifted in page.locator(".main [data-test=training-banner]").inner_text()
        assert page.locator(".today").inner_text() == f"今天是 {shifted}"  # the pages' today is the suite's
        screenshot(page, "training-banner-home")
        page.locator("[data-test=lang]").click()
        assert page.locator(".main [data-test=training-banner]").inner_text().startswith(
            f"Training mode: the system clock runs 7 d ahead; the system's time is {shifted} ")
        context.close()
    finally:
        assert suite.stop() == 0
