"""The organisation department opens, publishes and finalises a grading cycle in the portal, and the
dashboards chart it: levels per cycle, a branch's seven indicators against the average (radar) and the
晋位升级 movement between two years — each chart drawn (an SVG of non-zero size) and its data table right."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from gateway.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot

pytestmark = pytest.mark.e2e

# Years no other test grades: a cycle is one per year in the shared suite.
YEAR, EARLIER, LATER = 2041, 2043, 2044
BRANCHES = {"br-teachers": "教育学院教工第一党支部", "br-students": "教育学院学生党支部", "br-affairs": "教务处党支部"}
INDICATORS = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]
SUPERIOR = {"br-teachers": "zongzhi", "br-students": "zongzhi", "br-affairs": "jiguan"}
SECRETARY = {"br-teachers": "zhishu", "br-affairs": "sunli"}  # 学生党支部 has no secretary in the demo


def _apis(suite) -> dict[str, Api]:
    return {name: Api(suite.gateway).login(name, DEMO_PASSWORD)
            for name in ("zuzhibu", "zongzhi", "jiguan", "zhishu", "sunli")}


def _scores(value: float, **overrides) -> dict:
    return {"scores": [{"indicator": i, "score": overrides.get(i, value), "evidence": "会议记录"} for i in INDICATORS]}


def _grade(apis, cycle_id: str, totals: dict[str, float], overrides: dict[str, str] | None = None) -> None:
    """Self-assessment where the branch has a secretary, the superior's scores, then the level set."""
    base = f"/api/grading/cycles/{cycle_id}/branches"
    for key, value in totals.items():
        branch = _id(key)
        if key in SECRETARY:
            response = apis[SECRETARY[key]].request("PUT", f"{base}/{branch}/self-assessment", _scores(value))
            assert response.status == 200, response.json
        response = apis[SUPERIOR[key]].request("PUT", f"{base}/{branch}/superior-scores",
                                               _scores(value, leader=min(100, value + 5)))
        assert response.status == 200, response.json
        if overrides and key in overrides:
            body = {"action": "override", "level": overrides[key], "reason": "本支部未自评，按上级评定确定"}
        else:
            body = {"action": "confirm"}
        response = apis[SUPERIOR[key]].post(f"{base}/{branch}/level", body)
        assert response.status == 200, response.json


def _open_by_api(apis, year: int) -> str:
    response = apis["zuzhibu"].post("/api/grading/cycles", {
        "year": year, "advanced_cap_percent": 40, "publicity_days": 0,
        "self_assessment_deadline": (date.today() + timedelta(days=20)).isoformat(),
        "branch_ids": [str(_id(k)) for k in BRANCHES],
        "part_weights": {"self": 30, "members_and_masses": 0, "superior": 70}})
    assert response.status == 201, response.json
    return response.json["id"]


def _login(page, suite, username: str = "zuzhibu") -> None:
    page.goto(f"{suite.gateway}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login button")
    page.wait_for_selector("#nav-list a", state="attached")  # a phone folds the menu away


def _table(page, panel: str) -> list[dict]:
    """The chart's data table as rows of {header: cell}, after opening it with its toggle."""
    toggle = page.locator(f"{panel} .table-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_selector(f"{panel} .table-wrap:not([hidden]) table")
    return page.eval_on_selector(f"{panel} .table-wrap table", """table => {
        const head = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
        return [...table.tBodies[0].rows].map(r => Object.fromEntries([...r.cells].map((c, i) => [head[i], c.textContent.trim()])));
    }""")


def _drawn(page, panel: str) -> dict:
    page.wait_for_selector(f"{panel} figure[data-rendered=true] .chart-canvas svg", timeout=20000)
    box = page.locator(f"{panel} .chart-canvas svg").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    return box


def test_a_cycle_opened_published_and_finalised_in_the_portal_shows_in_the_levels_chart(suite, page):
    apis = _apis(suite)
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-grading")
    form = page.locator("#open-cycle")
    form.locator("input[name=year]").fill(str(YEAR))
    form.locator("input[name=advanced_cap_percent]").fill("40")
    form.locator("input[name=publicity_days]").fill("0")
    # Weights must add up to 100: 党员群众评议 left out here, so the button waits for the sum.
    form.locator("#part-weights input[name=members_and_masses]").fill("0")
    assert form.locator("button[type=submit]").is_disabled()
    assert "合计 70" in form.locator("#part-weights output").inner_text()
    form.locator("#part-weights input[name=self]").fill("30")
    form.locator("#part-weights input[name=superior]").fill("70")
    assert form.locator("button[type=submit]").is_enabled()
    for box in form.locator("#cycle-branches input[name=branch_ids]").all():
        if box.get_attribute("value") not in {str(_id(k)) for k in BRANCHES}:
            box.uncheck()
    screenshot(page, "org-grading-open")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#cycles tr[data-year='{YEAR}'][data-state=open]")
    cycle = next(c for c in apis["zuzhibu"].get("/api/grading/cycles?limit=50").json["items"] if c["year"] == YEAR)
    assert cycle["branch_count"] == 3 and cycle["part_weights"]["members_and_masses"] == 0

    _grade(apis, cycle["id"], {"br-teachers": 93, "br-affairs": 80, "br-students": 60},
           overrides={"br-students": "lagging"})
    page.click(f"#cycles button[data-action=publish][data-year='{YEAR}']")
    page.wait_for_selector(f"#cycles tr[data-year='{YEAR}'][data-state=publicity]")
    page.click(f"#cycles button[data-action=finalise][data-year='{YEAR}']")
    page.wait_for_selector(f"#cycles tr[data-year='{YEAR}'][data-state=final]")
    assert "结果已确定" in page.inner_text(f"#cycles tr[data-year='{YEAR}'] .state")
    screenshot(page, "org-grading-final")

    page.goto(f"{suite.gateway}/#/dashboards")
    _drawn(page, "#dash-levels")
    row = next(r for r in _table(page, "#dash-levels") if r["年度"] == str(YEAR))
    assert (row["先进"], row["一般"], row["后进"], row["支部数"]) == ("1", "1", "1", "3")
    assert row["状态"] == "已确定"
    assert page.locator("#dash-levels figcaption").inner_text().startswith("各年度党支部分类定级等次分布")
    _drawn(page, "#dash-pledges")  # the other services' panels stand beside it
    page.locator("#dash-levels").scroll_into_view_if_needed()
    screenshot(page, "dashboards-levels")


def test_the_radar_and_the_movement_chart_draw_two_years_of_grading(suite, page, browser):
    apis = _apis(suite)
    first = _open_by_api(apis, EARLIER)
    _grade(apis, first, {"br-teachers": 80, "br-affairs": 93, "br-students": 75}, overrides={"br-students": "ordinary"})
    for step in ("publish", "finalise"):
        assert apis["zuzhibu"].post(f"/api/grading/cycles/{first}/{step}").status == 200
    second = _open_by_api(apis, LATER)
    _grade(apis, second, {"br-teachers": 95, "br-affairs": 85, "br-students": 65}, overrides={"br-students": "lagging"})

    _login(page, suite)
    page.goto(f"{suite.gateway}/#/dashboards")
    page.wait_for_selector("#dash-movement select[name=cycle]")
    page.select_option("#dash-movement select[name=cycle]", second)
    page.wait_for_selector(f"#dash-movement figcaption:has-text('{EARLIER} 年 → {LATER} 年')")
    _drawn(page, "#dash-movement")
    matrix = {r[f"{EARLIER} → {LATER}"]: r for r in _table(page, "#dash-movement")}
    assert matrix["一般"]["先进"] == "1"  # 教工第一党支部 晋位
    assert matrix["先进"]["一般"] == "1"  # 教务处党支部 降位
    assert matrix["一般"]["后进"] == "1"  # 学生党支部 降位
    assert page.locator("#dash-movement .chart-canvas").get_attribute("role") == "img"

    page.select_option("#dash-radar select[name=cycle]", second)
    page.select_option("#dash-radar select[name=branch]", str(_id("br-teachers")))
    page.wait_for_selector(f"#dash-radar figcaption:has-text('{LATER} 年 教育学院教工第一党支部')")
    _drawn(page, "#dash-radar")
    radar = {r["指标"]: r for r in _table(page, "#dash-radar")}
    assert len(radar) == 7
    # 综合 = 30 % self + 70 % superior: 党组织带头人 0.3×95 + 0.7×100; the average is over the three branches.
    assert radar["党组织带头人"]["教育学院教工第一党支部"] == "98.5"
    assert radar["工作思路"]["教育学院教工第一党支部"] == "95.0"
    # 学生党支部 has no self-assessment, so no combined score: the average is of the other two.
    assert radar["工作思路"]["平均"] == "90.0"
    page.locator("#dash-radar").scroll_into_view_if_needed()
    screenshot(page, "dashboards-radar-movement")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    small = phone.new_page()
    try:
        _login(small, suite)
        small.goto(f"{suite.gateway}/#/dashboards")
        box = _drawn(small, "#dash-levels")
        assert box["width"] <= 390
        assert small.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the phone's screen
        screenshot(small, "dashboards-phone")
    finally:
        phone.close()


def test_the_satisfaction_chart_shows_a_windows_month_and_how_fresh_the_figures_are(suite, page):
    from .test_kiosk_and_display import _window_with_kiosk

    # "A…" sorts before the demo's windows: the chart draws the first eight of the committee
    window, credential = _window_with_kiosk(suite, "A01 满意度看板窗口")
    month = (datetime.now(timezone.utc) + timedelta(hours=8)).strftime("%Y-%m")
    ratings = [{"client_id": f"dash-{i}", "level": level} for i, level in enumerate([5, 5, 4, 1])]
    kiosk = Api(suite.gateway)

    def rated() -> bool:  # once evaluation-service's directory has the new window
        answer = kiosk.post("/api/ratings/batch", {"ratings": ratings}, headers={"Authorization": f"Kiosk {credential}"})
        return answer.status == 200 and answer.json["accepted"] == 4

    wait_for(rated, timeout=20, interval=0.3, message="the kiosk's ratings accepted")
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/dashboards")
    _drawn(page, "#dash-satisfaction")
    caption = page.locator("#dash-satisfaction figcaption").inner_text()
    assert caption.startswith("近 12 个月各服务窗口满意率") and "数据截至" in caption
    row = next(r for r in _table(page, "#dash-satisfaction") if r["窗口"] == window["name"])
    assert row[month] == "75.0"  # 3 of 4 satisfied, four raters: shown
    page.locator("#dash-satisfaction").scroll_into_view_if_needed()
    screenshot(page, "dashboards-satisfaction")


def test_a_roster_dry_run_shows_the_bad_rows_error_and_imports_nothing(suite, page):
    _login(page, suite)
    page.goto(f"{suite.gateway}/#/org-directory")
    page.wait_for_selector("#roster-import input[type=file]")
    roster = ("姓名,用户名,初始密码,所在支部,政治面貌,角色\n"
              "钱多多,qianduoduo,pacesetter2026,教务处党支部,正式党员,党员\n"
              "孙无支,sunwuzhi,pacesetter2026,不存在的党支部,正式党员,党员\n").encode()
    page.set_input_files("#roster-import input[type=file]",
                         files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster}])
    page.click("#roster-import button[type=submit]")
    page.wait_for_selector("#import-report table")
    lines = page.eval_on_selector_all("#import-report tbody tr", "rows => rows.map(r => r.dataset.line)")
    assert set(lines) == {"3"}  # the good row has nothing to say
    branch = page.locator("#import-report tr[data-line='3']", has_text="不存在的党支部")
    assert branch.count() == 1 and "branch" in branch.inner_text()
    assert page.locator("#roster-apply").is_disabled()
    screenshot(page, "org-directory-import-dry-run")
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    people = org.get("/api/directory/persons?limit=500").json["items"]
    assert not {"qianduoduo", "sunwuzhi"} & {p["username"] for p in people}
