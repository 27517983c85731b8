// 数据看板: pledges, window satisfaction and the grading of branches as charts, each in its own panel so
// that one service being down leaves the others. Every figure is scoped by the services to what the
// viewer may see (组织部: the whole committee; 党总支书记: their general branch; 支部书记: their branch).
import {chart, disposeDetached, ensureStyles, fmt, pct} from "./dashboards-charts.js";

const LEVELS = [["advanced", "先进", "advanced"], ["ordinary", "一般", "ordinary"], ["lagging", "后进", "lagging"]];
const LEVEL_COLOURS = {advanced: "#c0392b", ordinary: "#e6a23c", lagging: "#7f8c8d", undecided: "#c8ccd2", none: "#c8ccd2"};
const STATES = {open: ["分类定级中", "being graded"], publicity: ["公示中", "publicity"], final: ["已确定", "final"]};
const PARTS = [["combined", "综合", "Combined"], ["self", "自评", "Self"],
  ["members_and_masses", "党员群众评议", "Members and masses"], ["superior", "上级评定", "Superior"]];
const WEEKDAYS = [["一", "Mon"], ["二", "Tue"], ["三", "Wed"], ["四", "Thu"], ["五", "Fri"], ["六", "Sat"], ["日", "Sun"]];
const SCOPE_ROLES = ["org_department", "general_branch_secretary", "branch_secretary"];

const shanghaiToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const monthsAgo = (n) => {
  const [y, m] = shanghaiToday().split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 10);
};

// The ratings' figures are the anonymity guard's decision, worked out in the background: say how fresh.
const oldest = (a, b) => (!a ? b || null : !b ? a : (new Date(a) < new Date(b) ? a : b));
const asOfNote = (asOf, t) => {
  if (!asOf) return "";
  const at = new Date(new Date(asOf).getTime() + 8 * 3600 * 1000).toISOString().replace("T", " ").slice(5, 16);
  return t(`（数据截至 ${at}）`, ` (figures as of ${at}, Shanghai)`);
};

export default {
  id: "dashboards",
  title: {zh: "数据看板", en: "Dashboards"},
  roles: SCOPE_ROLES,
  async render(el, ctx) {
    const {api, t, h, panel, me} = ctx;
    ensureStyles();
    disposeDetached();
    const levelName = (code) => {
      const found = LEVELS.find((l) => l[0] === code);
      if (found) return t(found[1], found[2]);
      return code === "none" ? t("未参评", "not graded") : t("未定", "undecided");
    };

    // The widest scope among my roles decides whose figures the unit-level charts show.
    const scopes = SCOPE_ROLES.flatMap((role) => (me.roles || []).filter((r) => r.role === role && r.unit_id));
    const scope = scopes[0];
    const year = Number(shanghaiToday().slice(0, 4));
    const grid = el;  // the shell's #page is already a responsive grid of panels
    let unitsById = {};
    const units = async () => {
      if (!Object.keys(unitsById).length) {
        unitsById = Object.fromEntries((await api("GET", "/api/directory/units?limit=500")).items.map((u) => [u.id, u]));
      }
      return unitsById;
    };
    const under = (all, root) => {  // the unit and every unit below it
      const out = new Set([root]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const u of Object.values(all)) if (u.parent_id && out.has(u.parent_id) && !out.has(u.id)) { out.add(u.id); grew = true; }
      }
      return out;
    };

    // 1. 承诺覆盖与践诺 by branch (pledge-service).
    const pledges = panel(grid, {zh: "党员承诺：覆盖率与践诺率", en: "Pledges: coverage and fulfilment"}, async (body) => {
      if (!scope) { body.append(h("p", {class: "empty"}, t("没有可查看的组织范围", "No unit in your scope"))); return; }
      const data = await api("GET", `/api/pledges/statistics/branches?unit_id=${scope.unit_id}&year=${year}`);
      const items = data.items;
      const caption = t(`${year} 年各党支部党员年度承诺覆盖率与践诺率（%）`, `Annual pledge coverage and fulfilment by branch, ${year} (%)`);
      await chart(body, {
        key: "pledges", caption,
        option: {
          tooltip: {trigger: "axis"}, legend: {top: 0, itemGap: 24},
          grid: {left: 48, right: 16, top: 36, bottom: 72},
          xAxis: {type: "category", data: items.map((i) => i.name), axisLabel: {interval: 0, rotate: items.length > 3 ? 25 : 0}},
          yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
          series: [
            {name: t("承诺覆盖率", "Coverage"), type: "bar", data: items.map((i) => pct(i.coverage_percent)), itemStyle: {color: "#c0392b"}},
            {name: t("践诺率", "Fulfilment"), type: "bar", data: items.map((i) => pct(i.fulfilment_percent)), itemStyle: {color: "#e6a23c"}},
          ],
        },
        table: {
          head: [t("党支部", "Branch"), t("应承诺党员", "Members expected"), t("已作年度承诺", "With an annual pledge"),
            t("覆盖率 %", "Coverage %"), t("承诺数", "Pledges"), t("已践诺", "Fulfilled"), t("践诺率 %", "Fulfilment %"), t("逾期", "Overdue")],
          rows: items.map((i) => [i.name, i.members_expected, i.members_with_annual_pledge, fmt(i.coverage_percent),
            i.pledges_total, i.fulfilled, fmt(i.fulfilment_percent), i.overdue]),
        },
        empty: t("范围内没有党支部", "No branch in scope"),
      });
    });
    pledges.section.id = "dash-pledges";

    // 2. 窗口满意度 by month, one line per window (evaluation-service; the directory for the windows).
    const satisfaction = panel(grid, {zh: "服务窗口满意度（按月）", en: "Window satisfaction by month"}, async (body) => {
      if (!scope) return;
      const all = await units();
      const mine = under(all, scope.unit_id);
      const windows = (await api("GET", "/api/directory/windows?limit=500")).items
        .filter((w) => w.active && mine.has(w.unit_id)).slice(0, 8);
      const from = monthsAgo(11);
      const months = Array.from({length: 12}, (_, i) => monthsAgo(11 - i).slice(0, 7));
      const series = [];
      let asOf = null;
      for (const w of windows) {
        let periods = [];
        try {
          const page = await api("GET", `/api/ratings/summary?window_id=${w.id}&granularity=month&from=${from}&to=${shanghaiToday()}&limit=100`);
          periods = page.items;
          asOf = oldest(asOf, page.as_of);
        } catch (e) {
          if (e.status === 403 || e.status === 404) continue;
          throw e;
        }
        const byMonth = Object.fromEntries(periods.map((p) => [String(p.period_start).slice(0, 7), p]));
        series.push({window: w, rates: months.map((m) => {
          const p = byMonth[m];
          return p && p.shown && p.satisfaction_rate !== null ? Math.round(p.satisfaction_rate * 1000) / 10 : null;
        })});
      }
      const shown = series.filter((s) => s.rates.some((r) => r !== null));
      const caption = t("近 12 个月各服务窗口满意率（%）；评价人数过少的月份不显示，以保护评价人匿名",
        "Satisfaction by window over the last 12 months (%); months with too few raters stay hidden to keep raters anonymous")
        + asOfNote(asOf, t);
      await chart(body, {
        key: "satisfaction", caption,
        option: {
          tooltip: {trigger: "axis"}, legend: {top: 0, type: "scroll"},
          grid: {left: 48, right: 16, top: 40, bottom: 32},
          xAxis: {type: "category", data: months},
          yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
          series: shown.map((s) => ({name: s.window.name, type: "line", connectNulls: false, data: s.rates})),
        },
        table: {head: [t("窗口", "Window"), ...months], rows: shown.map((s) => [s.window.name, ...s.rates.map((r) => fmt(r))])},
        empty: t("暂无足够的评价数据", "Not enough ratings yet"),
      });
    });
    satisfaction.section.id = "dash-satisfaction";

    // 2b. 评价节律: when the masses rate, by hour of day and by weekday (a heatmap of the satisfaction rate).
    const rhythm = panel(grid, {zh: "评价节律（时段与星期）", en: "Rating rhythm by hour and weekday"}, async (body) => {
      if (!scope) return;
      const data = await api("GET", `/api/ratings/rhythm?unit_id=${scope.unit_id}&from=${monthsAgo(2)}&to=${shanghaiToday()}`);
      const hours = Array.from({length: 24}, (_, i) => String(i));
      const days = WEEKDAYS.map((d) => t(`周${d[0]}`, d[1]));
      const cell = (b) => (b.shown && b.satisfaction_rate !== null ? Math.round(b.satisfaction_rate * 1000) / 10 : null);
      const byHour = data.by_hour.filter((b) => b.shown);
      const byDay = data.by_weekday.filter((b) => b.shown);
      const caption = t("近三个月各时段、各星期的评价数与满意率（%）", "Ratings and satisfaction (%) by hour and by weekday, last three months")
        + asOfNote(data.as_of, t);
      await chart(body, {
        key: "rhythm", caption, height: 260,
        option: {
          tooltip: {formatter: (p) => `${p.name}: ${p.value[2]}%`},
          grid: [{left: 64, right: 16, top: 10, height: 60}, {left: 64, right: 16, top: 120, height: 60}],
          xAxis: [{type: "category", gridIndex: 0, data: hours},
            {type: "category", gridIndex: 1, data: days}],
          yAxis: [{type: "category", gridIndex: 0, data: [t("时段", "Hour")]}, {type: "category", gridIndex: 1, data: [t("星期", "Weekday")]}],
          visualMap: {min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
            inRange: {color: ["#f3e5e3", "#c0392b"]}, seriesIndex: [0, 1], text: ["100%", "0%"]},
          series: [
            {type: "heatmap", xAxisIndex: 0, yAxisIndex: 0, data: byHour.map((b) => [b.key, 0, cell(b)])},
            {type: "heatmap", xAxisIndex: 1, yAxisIndex: 1, data: byDay.map((b) => [b.key - 1, 0, cell(b)])},
          ],
        },
        table: {head: [t("时段 / 星期", "Hour / weekday"), t("评价数", "Ratings"), t("满意率 %", "Satisfied %")],
          rows: [...byHour.map((b) => [t(`${b.key} 时`, `${b.key}:00`), b.ratings, fmt(cell(b))]),
            ...byDay.map((b) => [days[b.key - 1], b.ratings, fmt(cell(b))])]},
        empty: t("暂无足够的评价数据", "Not enough ratings yet"),
      });
    });
    rhythm.section.id = "dash-rhythm";

    // Grading (grading-service): cycles are read once per panel, so each panel stands on its own.
    const cyclesOf = async () => (await api("GET", "/api/grading/cycles?limit=10")).items;
    const cycleSelect = (cycles, name, onchange, pick) => {
      const select = h("select", {name, "aria-label": t("年度", "Year")},
        cycles.map((c) => h("option", {value: c.id}, `${c.year} ${t(...(STATES[c.state] || [c.state, c.state]))}`)));
      if (pick) select.value = pick.id;
      // Choosing the year already shown draws nothing again (a redraw would close an open data table).
      let shown = select.value;
      select.addEventListener("change", () => {
        if (select.value === shown) return;
        shown = select.value;
        onchange(cycles.find((c) => c.id === select.value));
      });
      return select;
    };
    const noCycle = (body) => body.append(h("p", {class: "empty"}, t("尚未开展分类定级", "No grading cycle yet")));

    // 3. 等次分布 per cycle: a stacked bar per year.
    const levels = panel(grid, {zh: "分类定级：各年度等次分布", en: "Grading: levels per cycle"}, async (body) => {
      const cycles = await cyclesOf();
      if (!cycles.length) { noCycle(body); return; }
      const results = (await Promise.all(cycles.map((c) => api("GET", `/api/grading/cycles/${c.id}/results`))))
        .sort((a, b) => a.year - b.year);
      const codes = [...LEVELS.map((l) => l[0]), "undecided"].filter((code) => code !== "undecided" || results.some((r) => r.distribution.undecided));
      const caption = t("各年度党支部分类定级等次分布（个）", "Branches per level in each year's grading");
      await chart(body, {
        key: "levels", caption,
        option: {
          tooltip: {trigger: "axis"}, legend: {top: 0},
          grid: {left: 40, right: 16, top: 36, bottom: 28},
          xAxis: {type: "category", data: results.map((r) => String(r.year))},
          yAxis: {type: "value", minInterval: 1},
          series: codes.map((code) => ({name: levelName(code), type: "bar", stack: "levels", itemStyle: {color: LEVEL_COLOURS[code]},
            label: {show: true, formatter: (p) => (p.value ? p.value : "")}, data: results.map((r) => r.distribution[code] || 0)})),
        },
        table: {head: [t("年度", "Year"), t("状态", "State"), ...codes.map(levelName), t("支部数", "Branches")],
          rows: results.map((r) => [String(r.year), t(...(STATES[r.state] || [r.state, r.state])),
            ...codes.map((code) => r.distribution[code] || 0), r.branches])},
      });
    });
    levels.section.id = "dash-levels";

    // 4. 雷达图: a branch's seven indicators against the average of the cycle.
    const radar = panel(grid, {zh: "七项指标雷达图", en: "The seven indicators (radar)"}, async (body) => {
      const cycles = await cyclesOf();
      if (!cycles.length) { noCycle(body); return; }
      const controls = h("div", {class: "chart-controls"});
      const out = h("div", {});
      body.append(controls, out);
      let cycle = cycles.find((c) => c.state !== "open") || cycles[0];
      let branchId = null;
      let part = "combined";
      const branchSelect = h("select", {name: "branch", "aria-label": t("党支部", "Branch")});
      const partSelect = h("select", {name: "part", "aria-label": t("评价部分", "Part")},
        PARTS.map(([code, zh, en]) => h("option", {value: code}, t(zh, en))));
      branchSelect.addEventListener("change", () => { branchId = branchSelect.value; draw(); });
      partSelect.addEventListener("change", () => { part = partSelect.value; draw(); });
      async function loadBranches() {
        const items = (await api("GET", `/api/grading/cycles/${cycle.id}/branches?limit=200`)).items;
        branchSelect.replaceChildren(...items.map((b) => h("option", {value: b.branch_id}, b.name)));
        branchId = items.find((b) => b.branch_id === branchId) ? branchId : (items[0] && items[0].branch_id);
        if (branchId) branchSelect.value = branchId;
      }
      let drawing = 0;
      async function draw() {
        const turn = ++drawing;  // a later choice wins over an answer still on its way
        if (!branchId) { out.replaceChildren(h("p", {class: "empty"}, t("本年度没有可查看的党支部", "No branch to show"))); return; }
        const profile = await api("GET", `/api/grading/cycles/${cycle.id}/branches/${branchId}/profile`);
        if (turn !== drawing) return;
        out.replaceChildren();
        // Combined waits for every part; until then show the first part that has scores.
        let use = part;
        if (!profile.indicators.some((i) => i.branch[use] !== null)) {
          const found = PARTS.find(([code]) => profile.indicators.some((i) => i.branch[code] !== null));
          if (found) use = found[0];
        }
        const partName = t(...PARTS.find((p) => p[0] === use).slice(1));
        const withAverage = profile.indicators[0].average !== null;
        const names = profile.indicators.map((i) => t(i.zh, i.en));
        const over = withAverage ? profile.average_over[use] : 0;
        const caption = t(`${profile.year} 年 ${profile.name} 七项指标得分（${partName}）` + (withAverage ? `与 ${over} 个支部平均分` : ""),
          `${profile.name}, ${profile.year}: the seven indicators (${partName})` + (withAverage ? ` against the average of ${over} branches` : ""));
        const mine = profile.indicators.map((i) => i.branch[use]);
        const hasData = mine.some((v) => v !== null);
        const series = [{value: mine.map((v) => v ?? 0), name: profile.name, itemStyle: {color: "#c0392b"}, areaStyle: {opacity: 0.15}}];
        if (withAverage) series.push({value: profile.indicators.map((i) => i.average[use] ?? 0), name: t("平均", "Average"), itemStyle: {color: "#7f8c8d"}});
        await chart(out, {
          key: "radar", caption, height: 360,
          option: {
            tooltip: {}, legend: {top: 0},
            radar: {indicator: names.map((name) => ({name, max: 100, min: 0})), radius: "62%", center: ["50%", "56%"]},
            series: [{type: "radar", data: series}],
          },
          table: {head: [t("指标", "Indicator"), profile.name, ...(withAverage ? [t("平均", "Average")] : [])],
            rows: hasData ? profile.indicators.map((i, n) => [names[n], fmt(i.branch[use]), ...(withAverage ? [fmt(i.average[use])] : [])]) : []},
          empty: t("该支部尚无评分", "This branch has no scores yet"),
        });
      }
      controls.append(
        h("label", {}, t("年度", "Year"), " ", cycleSelect(cycles, "cycle", async (c) => { cycle = c; await loadBranches(); await draw(); }, cycle)),
        h("label", {}, t("党支部", "Branch"), " ", branchSelect),
        h("label", {}, t("部分", "Part"), " ", partSelect));
      await loadBranches();
      await draw();
    });
    radar.section.id = "dash-radar";

    // 5. 晋位升级: from last year's level to this year's (a sankey, and the matrix as its table).
    const movement = panel(grid, {zh: "晋位升级：等次变化", en: "Moving up: level changes"}, async (body) => {
      const cycles = await cyclesOf();
      const later = cycles.filter((c) => cycles.some((o) => o.year < c.year));
      if (!later.length) {
        body.append(h("p", {class: "empty"}, t("需要两个年度的分类定级才能比较", "Two years of grading are needed to compare")));
        return;
      }
      const out = h("div", {});
      let drawing = 0;
      const draw = async (cycle) => {
        const turn = ++drawing;
        const data = await api("GET", `/api/grading/cycles/${cycle.id}/movement`);
        if (turn !== drawing) return;
        out.replaceChildren();
        const before = data.from_year ? String(data.from_year) : t("上年", "last year");
        const node = (side, code) => `${side === "from" ? before : data.year} ${levelName(code)}`;
        const links = [];
        for (const [from, row] of Object.entries(data.matrix)) {
          for (const [to, count] of Object.entries(row)) if (count) links.push({source: node("from", from), target: node("to", to), value: count});
        }
        const nodes = [...new Set(links.flatMap((l) => [l.source, l.target]))].map((name) => {
          const code = [...LEVELS.map((l) => l[0]), "none", "undecided"].find((c) => name.endsWith(levelName(c)));
          return {name, itemStyle: {color: LEVEL_COLOURS[code] || "#999"}};
        });
        const columns = [...LEVELS.map((l) => l[0]), "undecided"];
        const caption = t(`${before} 年 → ${data.year} 年党支部等次变化（个）`, `Branches by level, ${before} → ${data.year}`);
        await chart(out, {
          key: "movement", caption, height: 340,
          option: {
            tooltip: {trigger: "item"},
            series: [{type: "sankey", left: 8, right: 96, top: 10, bottom: 10, nodeAlign: "justify", data: nodes, links,
              lineStyle: {color: "gradient", opacity: 0.45}, label: {fontSize: 12}}],
          },
          table: {head: [`${before} → ${data.year}`, ...columns.map(levelName)],
            rows: links.length ? [...LEVELS.map((l) => l[0]), "none"].map((from) => [levelName(from), ...columns.map((c) => data.matrix[from][c])]) : []},
          empty: t("所选年度尚无等次", "No levels in that year yet"),
        });
      };
      body.append(h("div", {class: "chart-controls"}, h("label", {}, t("年度", "Year"), " ", cycleSelect(later, "cycle", draw, later[0]))), out);
      await draw(later[0]);
    });
    movement.section.id = "dash-movement";

    await Promise.allSettled([pledges, satisfaction, rhythm, levels, radar, movement].map((p) => p.ready));
  },
};
