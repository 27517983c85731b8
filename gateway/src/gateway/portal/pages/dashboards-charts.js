// Charts for the dashboards (ECharts from the npm registry, served by the gateway at /portal/vendor/):
// each chart is a <figure> with a caption, an aria label and a data table behind a toggle, so the
// figures stay readable without the picture (screen readers, a missing library, printing).
import {h, t} from "../app.js";

// The portal's fonts, named: ECharts measures labels with them, so legends and labels do not overlap.
const FONT = '"PingFang SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif';
let loading = null;
const live = new Set();

/** The ECharts global, loaded once on first use (members never download it). */
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = h("script", {src: "/portal/vendor/echarts.min.js"});
      script.onload = () => resolve(window.echarts);
      script.onerror = () => { loading = null; script.remove(); reject(new Error("echarts")); };
      document.head.append(script);
    });
  }
  return loading;
}

/** Our own stylesheet for charts and the organisation department's pages, linked once. */
export function ensureStyles() {
  if (document.getElementById("dashboards-css")) return;
  document.head.append(h("link", {id: "dashboards-css", rel: "stylesheet", href: "/portal/pages/dashboards.css"}));
}

/** Dispose of the charts of a page left behind (their DOM is gone). */
export function disposeDetached() {
  for (const entry of live) {
    if (!entry.el.isConnected) { entry.observer.disconnect(); entry.chart.dispose(); live.delete(entry); }
  }
}

let seq = 0;

/**
 * A chart in `parent`: caption (also the canvas' aria-label), the chart, and a table toggle.
 * table = {head: [..], rows: [[..], ..]}; option = an ECharts option. Returns the <figure>.
 */
export async function chart(parent, {key, caption, option, table, height = 320, empty}) {
  const id = `${key}-${++seq}`;
  const tableId = `${id}-table`;
  const canvas = h("div", {class: "chart-canvas", role: "img", "aria-label": caption, style: `height:${height}px`});
  const toggle = h("button", {type: "button", class: "table-toggle", "aria-expanded": "false", "aria-controls": tableId},
    t("显示数据表", "Show the data table"));
  const tableEl = h("table", {class: "data-table"},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, table.head.map((c) => h("th", {scope: "col"}, c)))),
    h("tbody", {}, table.rows.map((row) => h("tr", {}, row.map((cell, i) =>
      i === 0 ? h("th", {scope: "row"}, cell) : h("td", {}, cell ?? "—"))))));
  const wrap = h("div", {class: "table-wrap", id: tableId, hidden: true}, tableEl);
  toggle.addEventListener("click", () => {
    const open = wrap.hidden;
    wrap.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t("隐藏数据表", "Hide the data table") : t("显示数据表", "Show the data table");
  });
  const figure = h("figure", {class: "chart", dataset: {chart: key}},
    h("figcaption", {}, caption), canvas, toggle, wrap);
  parent.append(figure);
  if (!table.rows.length) {
    canvas.replaceWith(h("p", {class: "empty"}, empty || t("暂无数据", "No data yet")));
    toggle.remove();
    return figure;
  }
  let echarts;
  try {
    echarts = await loadECharts();
  } catch (e) {
    // The figures are still there: open the table and say why the picture is missing.
    canvas.replaceWith(h("p", {class: "error", role: "status"},
      t("图表库未安装（请运行 make setup），以下为数据表。", "The chart library is not installed (run make setup); the table follows.")));
    wrap.hidden = false; toggle.setAttribute("aria-expanded", "true");
    return figure;
  }
  const instance = echarts.init(canvas, null, {renderer: "svg", locale: t("ZH", "EN")});
  instance.setOption({animation: false, textStyle: {fontFamily: FONT}, ...option});
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(canvas);
  live.add({el: canvas, chart: instance, observer});
  figure.dataset.rendered = "true";
  return figure;
}

export const pct = (value) => (value === null || value === undefined ? null : Number(value));
export const fmt = (value, digits = 1) => (value === null || value === undefined ? "—" : Number(value).toFixed(digits));
