// The dashboards' chart logic, kept apart from the views so it can be tested without a browser: ranking the
// branches (top and bottom N, the rest for a table), fitting an axis to its data, drawing 0 as 0, marking
// provisional levels, and the ECharts options built from the services' figures.
import { use } from "echarts/core";
import { BarChart, HeatmapChart, LineChart, RadarChart, SankeyChart } from "echarts/charts";
import { VisualMapComponent } from "echarts/components";

// Only what the dashboards draw is bundled (the renderer and the common components come with ChartCard).
use([BarChart, LineChart, HeatmapChart, RadarChart, SankeyChart, VisualMapComponent]);

export const LEVELS = ["advanced", "ordinary", "lagging"];
export const LEVEL_COLOURS = {
  advanced: "#c0392b", ordinary: "#e6a23c", lagging: "#7f8c8d", undecided: "#c8ccd2", none: "#c8ccd2",
};
export const RED = "#c0392b";
export const AMBER = "#e6a23c";
export const FONT = '"PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif';

const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

/**
 * Ranks items by a value, highest first. With more than 2n ranked items: the top n, the bottom n (still highest
 * first) and the rest between them; with fewer, every ranked item is in top. Items without a value (no member
 * expected to pledge, say) are not ranked: they come back as missing, for the table.
 */
export function splitRanked(items, valueOf, n) {
  const ranked = items.filter((item) => isNumber(valueOf(item)))
    .sort((a, b) => valueOf(b) - valueOf(a) || String(a.name || "").localeCompare(String(b.name || ""), "zh-CN"));
  const missing = items.filter((item) => !isNumber(valueOf(item)));
  if (ranked.length <= 2 * n) return { top: ranked, bottom: [], rest: [], missing };
  return { top: ranked.slice(0, n), bottom: ranked.slice(-n), rest: ranked.slice(n, -n), missing };
}

/**
 * An axis fitted to its data: a little room above and below, on round steps, never past the bounds. Data at
 * 80–100 % gives 75–100, not 0–100 (which squeezes the lines flat). No data: the whole range.
 */
export function fitAxis(values, { step = 5, pad = 2, min: floor = 0, max: ceil = 100, span = 10 } = {}) {
  const numbers = values.filter(isNumber);
  if (!numbers.length) return { min: floor, max: ceil };
  let low = Math.max(floor, Math.floor((Math.min(...numbers) - pad) / step) * step);
  let high = Math.min(ceil, Math.ceil((Math.max(...numbers) + pad) / step) * step);
  // a flat line still gets an axis of some height
  while (high - low < span) {
    if (low > floor) low = Math.max(floor, low - step);
    if (high - low < span && high < ceil) high = Math.min(ceil, high + step);
    if (low === floor && high === ceil) break;
  }
  return { min: low, max: high };
}

/** A percentage's label: 0 is "0%" (a real zero, drawn), no value is no label. */
export function percentLabel(value, digits = 1) {
  if (!isNumber(value)) return "";
  const text = Number.isInteger(value) ? String(value) : value.toFixed(digits);
  return `${text}%`;
}

/** A rate of 0–1 as a percentage rounded to 0.1 (null stays null). */
export const toPercent = (rate) => (isNumber(rate) ? Math.round(rate * 1000) / 10 : null);

/** A cycle whose levels are not final yet (being graded, or in publicity): its levels are 拟定. */
export const provisional = (cycle) => Boolean(cycle) && cycle.state !== "final";

/** The months from `count - 1` months before `today`'s to today's, as YYYY-MM. */
export function lastMonths(today, count = 12) {
  const [year, month] = today.split("-").map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** The hours worth showing in the rhythm: from the first to the last that has ratings (office hours), else 8–17. */
export function hourSpan(buckets) {
  const rated = buckets.filter((b) => (b.ratings || 0) > 0 || b.shown === false).map((b) => b.key);
  if (!rated.length) return Array.from({ length: 10 }, (_, i) => i + 8);
  const first = Math.min(...rated);
  const last = Math.max(...rated);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

const BAR_ROW = 26;

/**
 * Ranked horizontal bars: the top n above, the bottom n below (two grids), each bar labelled with its value —
 * 0 as "0%", drawn on a grey track so that a zero is seen to be one. Answers {option, height}.
 */
export function rankedBarsOption({ top, bottom, valueOf, labelOf, titles, phone = false, colour = RED }) {
  const labelWidth = phone ? 92 : 190;
  const groups = bottom.length ? [top, bottom] : [top];
  const grids = [];
  const titleList = [];
  let y = 0;
  groups.forEach((group, index) => {
    if (groups.length > 1) {
      titleList.push({ text: titles[index], top: y, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } });
      y += 24;
    }
    grids.push({ left: labelWidth + 12, right: phone ? 44 : 56, top: y, height: group.length * BAR_ROW });
    y += group.length * BAR_ROW + 30;
  });
  const option = {
    animation: false,
    textStyle: { fontFamily: FONT },
    title: titleList,
    tooltip: { trigger: "item", formatter: (p) => `${p.name}: ${percentLabel(p.value) || "—"}` },
    grid: grids,
    xAxis: groups.map((_, index) => ({
      type: "value", gridIndex: index, min: 0, max: 100, interval: 25,
      axisLabel: { formatter: "{value}%", fontSize: 11 },
    })),
    yAxis: groups.map((group, index) => ({
      type: "category", gridIndex: index, inverse: true, data: group.map(labelOf),
      axisTick: { show: false },
      axisLabel: { width: labelWidth, overflow: "truncate", fontSize: 12, interval: 0 },
    })),
    series: groups.map((group, index) => ({
      type: "bar", xAxisIndex: index, yAxisIndex: index, barMaxWidth: 16,
      showBackground: true, backgroundStyle: { color: "#f2f3f5" },
      itemStyle: { color: colour },
      label: { show: true, position: "right", fontSize: 11, formatter: (p) => percentLabel(p.value) },
      data: group.map((item) => ({ value: valueOf(item), name: labelOf(item) })),
    })),
  };
  return { option, height: Math.max(y - 6, 120) };
}

/** Monthly satisfaction, a line per window, on an axis fitted to the data. */
export function satisfactionOption({ months, series, phone = false, noData = "—" }) {
  const axis = fitAxis(series.flatMap((s) => s.values));
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: { trigger: "axis", valueFormatter: (v) => (isNumber(v) ? percentLabel(v) : noData) },
    legend: { type: "scroll", top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: phone ? 48 : 28 },
    xAxis: { type: "category", data: months, axisLabel: { rotate: phone ? 45 : 0, fontSize: 11 } },
    yAxis: { type: "value", min: axis.min, max: axis.max, axisLabel: { formatter: "{value}%" } },
    series: series.map((s) => ({
      name: s.name, type: "line", connectNulls: false, symbolSize: 6, data: s.values,
      label: { show: series.length === 1, formatter: (p) => percentLabel(p.value), fontSize: 10 },
    })),
  };
}

/**
 * The rhythm: two heatmap strips (by hour, by weekday) with each cell's satisfaction written in it; the colour
 * scale is fitted to the data like an axis. Hidden buckets (too few raters) are left blank.
 */
export function rhythmOption({ hours, hourCells, dayNames, dayCells, hourTitle, dayTitle, phone = false }) {
  const values = [...hourCells, ...dayCells].map((c) => c[2]);
  const scale = fitAxis(values, { step: 5, pad: 0, span: 10 });
  const label = { show: true, fontSize: phone ? 9 : 11, formatter: (p) => percentLabel(p.value[2], 0) };
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: { formatter: (p) => `${p.name}: ${percentLabel(p.value[2]) || "—"}` },
    grid: [{ left: phone ? 44 : 64, right: 12, top: 8, height: 44 }, { left: phone ? 44 : 64, right: 12, top: 92, height: 44 }],
    xAxis: [
      { type: "category", gridIndex: 0, data: hours.map(String), splitArea: { show: true }, axisLabel: { fontSize: 11 } },
      { type: "category", gridIndex: 1, data: dayNames, splitArea: { show: true }, axisLabel: { fontSize: 11 } },
    ],
    yAxis: [
      { type: "category", gridIndex: 0, data: [hourTitle], axisLabel: { fontSize: 11 } },
      { type: "category", gridIndex: 1, data: [dayTitle], axisLabel: { fontSize: 11 } },
    ],
    visualMap: {
      min: scale.min, max: scale.max, calculable: false, orient: "horizontal", left: "center", bottom: 0,
      itemHeight: phone ? 120 : 160, inRange: { color: ["#fbe9e7", RED] }, seriesIndex: [0, 1],
      text: [`${scale.max}%`, `${scale.min}%`], textStyle: { fontSize: 11 },
    },
    series: [
      { type: "heatmap", xAxisIndex: 0, yAxisIndex: 0, data: hourCells, label },
      { type: "heatmap", xAxisIndex: 1, yAxisIndex: 1, data: dayCells, label },
    ],
  };
}

/**
 * Branches per level in each cycle, stacked. A cycle not final is drawn apart: pale, dashed, its year marked
 * 拟定 — its levels may still change, and it must not read as a result.
 */
export function levelsOption({ results, levelName, provisionalMark }) {
  const codes = [...LEVELS, ...(results.some((r) => r.distribution.undecided) ? ["undecided"] : [])];
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 44 },
    xAxis: {
      type: "category",
      data: results.map((r) => (provisional(r) ? `${r.year}\n${provisionalMark.trim()}` : String(r.year))),
      axisLabel: { fontSize: 12, lineHeight: 16 },
    },
    yAxis: { type: "value", minInterval: 1 },
    series: codes.map((code) => ({
      name: levelName(code), type: "bar", stack: "levels", barMaxWidth: 56,
      itemStyle: { color: LEVEL_COLOURS[code] },
      label: { show: true, color: "#fff", formatter: (p) => (p.value ? String(p.value) : "") },
      data: results.map((r) => {
        const value = r.distribution[code] || 0;
        return provisional(r)
          ? { value, itemStyle: { color: LEVEL_COLOURS[code], opacity: 0.4, borderColor: LEVEL_COLOURS[code], borderWidth: 1, borderType: "dashed" },
            label: { color: "#303133" } }
          : value;
      }),
    })),
  };
}
