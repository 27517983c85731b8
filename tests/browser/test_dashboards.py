"""数据看板 (portal/src/views/dashboards): every chart is drawn (an SVG of non-zero size) from the services' figures and
its data table says the same. The organisation department's cycles show in the levels chart (a cycle not final as
拟定); a branch's seven indicators against the average (radar) and the 晋位升级 movement between two years; a window's
month in the satisfaction chart on an axis fitted to its data, with how fresh the figures are; the rhythm heatmap
with its values written in; with 35+ branches the coverage chart draws the top and bottom ten (a 0 % bar labelled
"0%") and lists the rest in a table; and "导出 XLSX" downloads the data table's rows (read back with openpyxl)."""
from __future__ import annotations

import math
import re
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.printing import assert_set_up_for_print
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import PHONE, go, login, settle

pytestmark = pytest.mark.e2e

# Years no other test grades: a cycle is one per year in the shared suite.
YEAR, EARLIER, LATER = 2041, 2043, 2044
BRANCHES = {"br-teachers": "教育学院教工第一党支部", "br-students": "教育学院学生党支部", "br-affairs": "教务处党支部"}
INDICATORS = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]
SUPERIOR = {"br-teachers": "zongzhi", "br-students": "zongzhi", "br-affairs": "jiguan"}
SECRETARY = {"br-teachers": "zhishu", "br-affairs": "sunli"}  # 学生党支部 has no secretary in the demo
MANY = 36  # branches with members under the coverage test's general branch, and two without


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


def _dashboards(page, suite, tab: str):
    go(page, suite, f"/dashboards?tab={tab}", "dashboards")


def _drawn(page, chart: str) -> dict:
    """The chart's SVG, drawn and of a real size."""
    page.wait_for_selector(f"{chart}[data-rendered=true] .chart-canvas svg", timeout=20000)
    box = page.locator(f"{chart} .chart-canvas svg").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    return box


def _svg_texts(page, chart: str) -> list[str]:
    """Every label the chart drew (SVG text: what a person sees on the picture)."""
    return page.eval_on_selector_all(f"{chart} .chart-canvas svg text", "ts => ts.map(t => t.textContent.trim())")


def _table(page, chart: str) -> list[dict]:
    """The chart's data table as rows of {header: cell}, after opening it with its toggle."""
    toggle = page.locator(f"{chart} [data-test=table-toggle]")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_selector(f"{chart} [data-test=data-table] .el-table__body tr")
    return _rows(page, f"{chart} [data-test=data-table]")


def _rows(page, where: str) -> list[dict]:
    return page.eval_on_selector(where, """el => {
        const head = [...el.querySelectorAll('.el-table__header-wrapper th')].map(c => c.textContent.trim());
        return [...el.querySelectorAll('.el-table__body-wrapper tbody tr')].map(r =>
            Object.fromEntries([...r.querySelectorAll('td')].map((c, i) => [head[i], c.textContent.trim()])));
    }""")


def _choose(page, select: str, text: str) -> None:
    """Pick an option of an el-select the way a person does: open it, click the option. The select goes to the top of
    the screen first, so its list opens below it (a list flipping over a select at the bottom never holds still)."""
    page.locator(select).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.locator(select).click()
    page.locator(".el-select-dropdown__item:visible", has_text=text).first.click()
    # the list closes (its fade takes a moment): until then a second select's options could be taken for this one's
    page.wait_for_function("""() => ![...document.querySelectorAll('.el-select__popper')]
        .some((p) => getComputedStyle(p).display !== 'none' && p.getBoundingClientRect().height > 0)""")
    settle(page)


def _compare(page, names: list[str]) -> None:
    """The satisfaction chart's windows: clear the chosen ones, pick these (as a person would, in the picker)."""
    picker = page.locator("#dash-satisfaction [data-test=windows]")
    picker.evaluate("el => el.scrollIntoView({block: 'start'})")
    picker.hover()
    page.locator("#dash-satisfaction [data-test=windows] .el-select__clear").click()
    settle(page)
    picker.click()
    for name in names:
        item = page.locator(".el-select-dropdown__item:visible", has_text=name).first
        item.click()
        # chosen, not a click lost to the list still sliding open (CI, under load, drew a chart without them)
        expect(item).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("Escape")
    settle(page)


def test_cycles_show_in_the_levels_chart_final_ones_as_final_and_an_open_one_as_provisional(suite, browser):
    apis = _apis(suite)
    cycle = _open_by_api(apis, YEAR)
    _grade(apis, cycle, {"br-teachers": 93, "br-affairs": 80, "br-students": 60}, overrides={"br-students": "lagging"})
    for step in ("publish", "finalise"):
        assert apis["zuzhibu"].post(f"/api/grading/cycles/{cycle}/{step}").status == 200
    still_open = _open_by_api(apis, YEAR + 1)
    _grade(apis, still_open, {"br-teachers": 91, "br-affairs": 75, "br-students": 65}, overrides={"br-students": "ordinary"})

    page = login(browser, suite, "zuzhibu")
    _dashboards(page, suite, "grading")
    _drawn(page, "#dash-levels")
    assert page.locator("#dash-levels .chart-canvas").get_attribute("role") == "img"
    assert page.locator("#dash-levels figcaption").inner_text().startswith("各年度党支部分类定级等次分布")
    rows = _table(page, "#dash-levels")
    row = next(r for r in rows if r["年度"] == str(YEAR))
    assert (row["先进"], row["一般"], row["后进"], row["支部数"]) == ("1", "1", "1", "3")
    assert row["状态"] == "已确定"
    provisional = next(r for r in rows if r["年度"] == str(YEAR + 1))
    assert provisional["状态"] == "定级中（拟定）"  # levels still being decided are not shown as a result
    assert "（拟定）" in _svg_texts(page, "#dash-levels")  # and the chart marks that year so
    screenshot(page, "dashboards-levels")
    # the other services' charts stand beside it
    _dashboards(page, suite, "pledges")
    _drawn(page, "#dash-pledges")
    page.context.close()


def test_the_radar_and_the_movement_chart_draw_two_years_of_grading(suite, browser):
    apis = _apis(suite)
    first = _open_by_api(apis, EARLIER)
    _grade(apis, first, {"br-teachers": 80, "br-affairs": 93, "br-students": 75}, overrides={"br-students": "ordinary"})
    for step in ("publish", "finalise"):
        assert apis["zuzhibu"].post(f"/api/grading/cycles/{first}/{step}").status == 200
    second = _open_by_api(apis, LATER)
    _grade(apis, second, {"br-teachers": 95, "br-affairs": 85, "br-students": 65}, overrides={"br-students": "lagging"})

    page = login(browser, suite, "zuzhibu")
    _dashboards(page, suite, "grading")
    _choose(page, "#dash-movement [data-test=cycle]", f"{LATER}")
    page.wait_for_selector(f"#dash-movement figcaption:has-text('{EARLIER} 年 → {LATER} 年')")
    assert "（拟定）" in page.locator("#dash-movement figcaption").inner_text()  # LATER is not final
    _drawn(page, "#dash-movement")
    matrix = {r[f"{EARLIER} → {LATER}"]: r for r in _table(page, "#dash-movement")}
    assert matrix["一般"]["先进"] == "1"  # 教工第一党支部 晋位
    assert matrix["先进"]["一般"] == "1"  # 教务处党支部 降位
    assert matrix["一般"]["后进"] == "1"  # 学生党支部 降位
    assert page.locator("#dash-movement .chart-canvas").get_attribute("role") == "img"

    _choose(page, "#dash-radar [data-test=cycle]", f"{LATER}")
    _choose(page, "#dash-radar [data-test=branch]", BRANCHES["br-teachers"])
    page.wait_for_selector(f"#dash-radar figcaption:has-text('{LATER} 年 教育学院教工第一党支部')")
    _drawn(page, "#dash-radar")
    radar = {r["指标"]: r for r in _table(page, "#dash-radar")}
    assert len(radar) == 7
    # 综合 = 30 % self + 70 % superior: 党组织带头人 0.3×95 + 0.7×100; the average is over the three branches.
    assert radar["党组织带头人"]["教育学院教工第一党支部"] == "98.5"
    assert radar["工作思路"]["教育学院教工第一党支部"] == "95.0"
    # 学生党支部 has no self-assessment, so no combined score: the average is of the other two.
    assert radar["工作思路"]["平均"] == "90.0"
    assert "拟定" in page.locator("#dash-radar [data-test=radar-level]").inner_text()  # its level is not final yet
    screenshot(page, "dashboards-radar-movement")
    page.context.close()

    small = login(browser, suite, "zuzhibu", viewport=PHONE)
    _dashboards(small, suite, "grading")
    box = _drawn(small, "#dash-levels")
    assert box["width"] <= PHONE[0]
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # nothing runs off the phone's screen
    screenshot(small, "dashboards-phone")
    small.context.close()


def _window_with_kiosk(org: Api, name: str, unit_id: str | None = None) -> tuple[dict, str]:
    window = org.post("/api/directory/windows", {
        "name": name, "location": "行政楼一楼", "unit_id": unit_id or str(_id("br-affairs")),
        "responsible_id": str(_id("sunli")),
        "standards": {"items": ["学籍证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}})
    assert window.status == 201, window.json
    device = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": f"{name}评价器"})
    assert device.status == 201, device.json
    return window.json, device.json["credential"]


def _rate(suite, credential: str, levels: list[int], tag: str) -> None:
    kiosk = Api(suite.gateway)
    ratings = [{"client_id": f"{tag}-{i}", "level": level} for i, level in enumerate(levels)]

    def rated() -> bool:  # once evaluation-service's directory has the new window
        answer = kiosk.post("/api/ratings/batch", {"ratings": ratings}, headers={"Authorization": f"Kiosk {credential}"})
        return answer.status == 200 and answer.json["accepted"] + answer.json.get("duplicates", 0) >= len(levels) \
            and not answer.json.get("rejected")

    wait_for(rated, timeout=30, interval=0.3, message="the kiosk's ratings accepted")


def test_the_satisfaction_chart_fits_its_axis_and_the_rhythm_shows_its_values(suite, browser):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    # A branch of their own, and a third window with the fewest ratings a month may show (five): when a unit's
    # total minus its shown windows would leave one to four ratings — other tests leave windows with a single
    # rating this month (the kiosk page's, the security headers') — the anonymity guard hides the smallest shown
    # window (互补抑制). That is the third one, never the two compared here, whatever ran before.
    branch = org.post("/api/directory/units", {"name": f"看板测试支部{tag}", "kind": "branch",
                                               "parent_id": str(_id("gb-admin")), "department_kind": "administrative"})
    assert branch.status == 201, branch.json
    good, _ = first = _window_with_kiosk(org, f"看板窗口甲{tag}", branch.json["id"])
    best, _ = second = _window_with_kiosk(org, f"看板窗口乙{tag}", branch.json["id"])
    _rate(suite, first[1], [5, 5, 4, 3, 1] * 2, f"dash-a-{tag}")  # 8 of 10 satisfied: 80 %
    _rate(suite, second[1], [5, 5, 5, 4, 4] * 2, f"dash-b-{tag}")  # 100 %
    _rate(suite, _window_with_kiosk(org, f"看板窗口丙{tag}", branch.json["id"])[1], [4] * 5, f"dash-c-{tag}")
    month = (datetime.now(timezone.utc) + timedelta(hours=8)).strftime("%Y-%m")

    page = login(browser, suite, "zuzhibu")
    _dashboards(page, suite, "windows")
    _drawn(page, "#dash-satisfaction")
    _compare(page, [good["name"], best["name"]])
    page.wait_for_function("""names => { const t = [...document.querySelectorAll('#dash-satisfaction .chart-canvas svg text')]
        .map(e => e.textContent); return names.every(n => t.includes(n)) && t.length; }""", arg=[good["name"], best["name"]])
    _drawn(page, "#dash-satisfaction")
    caption = page.locator("#dash-satisfaction figcaption").inner_text()
    assert caption.startswith("近 12 个月各服务窗口满意率") and "数据截至" in caption
    rows = {r["窗口"]: r for r in _table(page, "#dash-satisfaction")}
    assert rows[good["name"]][month] == "80.0"  # ten raters: shown
    assert rows[best["name"]][month] == "100.0"
    axis = [int(t[:-1]) for t in _svg_texts(page, "#dash-satisfaction") if re.fullmatch(r"\d+%", t)]
    assert axis and min(axis) > 0 and max(axis) == 100, axis  # fitted to 80–100 %, not squeezed into 0–100
    screenshot(page, "dashboards-satisfaction")

    # the rhythm: this hour's and today's cells carry their rate as text, as the service figures it
    now = datetime.now(timezone.utc) + timedelta(hours=8)
    rhythm = org.get(f"/api/ratings/rhythm?unit_id={_id('committee')}&from={now.year}-01-01&to={now.date().isoformat()}").json
    shown = [b for b in rhythm["by_hour"] + rhythm["by_weekday"] if b["shown"] and b["satisfaction_rate"] is not None]
    assert shown, rhythm
    _drawn(page, "#dash-rhythm")
    labels = _svg_texts(page, "#dash-rhythm")
    for bucket in shown:
        assert f"{round(bucket['satisfaction_rate'] * 100)}%" in labels, (bucket, labels)
    page.context.close()


@pytest.fixture(scope="module")
def campus(pg_server, amqp_url, tmp_path_factory):
    """A suite of its own with 38 more branches (the shared one stays small for the other tests)."""
    from tests.support.suite import running_suite

    with running_suite(pg_server, amqp_url, "dash", tmp_path_factory) as running:
        yield running, _many_branches(running)


def _many_branches(suite) -> tuple[str, str, dict[str, float | None]]:
    """A general branch with 38 branches: 36 with one to three members of whom some pledged, two without members.
    Answers the general branch's id and name and each branch's expected coverage (None: nobody to pledge)."""
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    gb_name = f"看板测试党总支{tag}"
    gb = org.post("/api/directory/units", {"name": gb_name, "kind": "general_branch", "parent_id": str(_id("committee")),
                                           "department_kind": "teaching"})
    assert gb.status == 201, gb.json
    expected: dict[str, float | None] = {}
    pledgers: list[str] = []
    for k in range(MANY + 2):
        name = f"看板支部{k:02d}{tag}"
        unit = org.post("/api/directory/units", {"name": name, "kind": "branch", "parent_id": gb.json["id"],
                                                 "department_kind": "teaching"})
        assert unit.status == 201, unit.json
        if k >= MANY:
            expected[name] = None
            continue
        members = 1 + k % 3
        pledged = (k * 7) % (members + 1) if k % 9 else 0  # every ninth branch: nobody pledged, a real 0 %
        for m in range(members):
            username = f"kb{tag}{k:02d}{m}"
            person = org.post("/api/directory/persons", {
                "username": username, "password": DEMO_PASSWORD, "name": f"看板党员{k}-{m}", "unit_id": unit.json["id"],
                "member_status": "full", "roles": [{"role": "member", "unit_id": unit.json["id"]}]})
            assert person.status == 201, person.json
            if m < pledged:
                pledgers.append(username)
        expected[name] = round(100 * pledged / members, 1)
    year = (datetime.now(timezone.utc) + timedelta(hours=8)).year
    for username in pledgers:
        member = Api(suite.gateway).login(username, DEMO_PASSWORD)
        body = {"kind": "annual", "title": "带头服务师生", "areas": ["serving_masses"], "due_date": f"{year}-12-31",
                "submit": True}
        wait_for(lambda: member.post("/api/pledges", body).status == 201, timeout=30, interval=0.3,
                 message="pledge-service to know the new member")

    def counted() -> bool:
        items = org.get(f"/api/pledges/statistics/branches?unit_id={gb.json['id']}&year={year}").json.get("items", [])
        return len(items) == MANY + 2 and {i["name"]: i["coverage_percent"] for i in items} == expected

    wait_for(counted, timeout=60, interval=0.5, message="pledge-service's figures of the new branches")
    return gb.json["id"], gb_name, expected


def test_coverage_with_many_branches_draws_top_and_bottom_ten_and_zero_as_zero_and_exports_the_table(campus, browser,
                                                                                                  tmp_path):
    from openpyxl import load_workbook

    suite, (_, gb_name, expected) = campus
    values = sorted((v for v in expected.values() if v is not None), reverse=True)
    assert values[-1] == 0  # some branch really has 0 %

    page = login(browser, suite, "zuzhibu")
    _dashboards(page, suite, "pledges")
    # the key figures on top: the committee's coverage (every branch's members added up) and the open cases
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    year = (datetime.now(timezone.utc) + timedelta(hours=8)).year
    items = org.get(f"/api/pledges/statistics/branches?unit_id={_id('committee')}&year={year}").json["items"]
    share = math.floor(1000 * sum(i["members_with_annual_pledge"] for i in items)
                       / sum(i["members_expected"] for i in items) + 0.5) / 10
    kpi = page.locator("[data-kpi=coverage] [data-test=value]")
    assert kpi.inner_text().strip() == (f"{int(share)}%" if share.is_integer() else f"{share:.1f}%")
    for key, query in (("openCases", "state=open,escalated"), ("overdueCases", "overdue=true")):
        total = org.get(f"/api/feedback/cases?{query}&limit=1").json["total"]
        assert page.locator(f"[data-kpi={key}] [data-test=value]").inner_text().strip() == str(total)
    _choose(page, "#dash-pledges [data-test=general-branch]", gb_name)
    page.wait_for_function("() => document.querySelectorAll('#dash-pledges [data-test=rest] tbody tr').length === 18")
    _drawn(page, "#dash-pledges")
    labels = _svg_texts(page, "#dash-pledges")
    drawn = [t for t in labels if t.startswith("看板支部")]
    assert len(drawn) == 20, drawn  # the top ten and the bottom ten, not 38 labels piled up
    assert sorted((expected[n] for n in drawn), reverse=True) == values[:10] + values[-10:]
    assert "0%" in labels  # a zero is drawn as 0, not left blank like no data
    assert any("最高的 10 个党支部" in t for t in labels) and any("最低的 10 个党支部" in t for t in labels)
    rest = _rows(page, "#dash-pledges [data-test=rest]")
    assert len(rest) == 16 + 2
    assert [r["党支部"] for r in rest if r["覆盖率 %"] == "无应承诺党员"] == [n for n in expected if expected[n] is None]
    assert {r["党支部"] for r in rest}.isdisjoint(drawn)
    assert sorted((expected[r["党支部"]] for r in rest[:16]), reverse=True) == values[10:-10]  # ranked between

    table = _table(page, "#dash-pledges")
    assert len(table) == MANY + 2
    assert {r["党支部"]: r["覆盖率 %"] for r in table} == {
        n: ("—" if v is None else f"{v:.1f}") for n, v in expected.items()}
    screenshot(page, "dashboards-coverage-many")

    with page.expect_download() as download:
        page.click("#dash-pledges [data-test=export]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = load_workbook(path).active
    # set up for printing like the services' workbooks (gap 4 of issue 21): the header names the chart, the unit
    # the dashboards show and the year picked
    unit = page.locator(".scope-name").inner_text() if page.locator(".scope-name").count() else \
        page.locator("[data-test=scope] .el-select__placeholder").first.inner_text()
    year = int(re.search(r"\d{4}", download.value.suggested_filename).group())  # the file is named for its year
    assert_set_up_for_print(sheet, title="党员承诺：覆盖率与践诺率", unit=unit.strip(), year=year)
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    head = [h for h in values[0]]
    assert head == list(table[0].keys())
    for cells, row in zip(values[1:], table, strict=True):
        shown = list(row.values())
        for cell, text in zip(cells, shown, strict=True):
            if text == "—":
                assert cell is None
            elif isinstance(cell, (int, float)):
                assert abs(cell - float(text)) < 1e-9, (cell, text)
            else:
                assert cell == text
    page.context.close()


def test_a_name_that_looks_like_a_formula_is_exported_as_text(campus, browser, tmp_path):
    from openpyxl import load_workbook

    suite, _ = campus
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    tag = f"看板{uuid.uuid4().hex[:4]}"
    name = f"=HYPERLINK(\"http://example.invalid\",\"{tag}\")"
    window, credential = _window_with_kiosk(org, name)
    _rate(suite, credential, [5, 5, 4, 4, 5], f"formula-{window['id'][:8]}")
    page = login(browser, suite, "zuzhibu")
    _dashboards(page, suite, "windows")
    _drawn(page, "#dash-satisfaction")
    _compare(page, [tag])
    page.wait_for_function("n => [...document.querySelectorAll('#dash-satisfaction .chart-canvas svg text')]"
                           ".some(e => e.textContent === n)", arg=name)
    with page.expect_download() as download:
        page.click("#dash-satisfaction [data-test=export]")
    path = tmp_path / "satisfaction.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == name)
    assert cell.data_type == "s"  # text, not a formula ("f")
    assert cell.number_format == "@"
    page.context.close()
