// Small helpers the pages share: words for states and areas, dates in Beijing time.
import {t} from "../app.js";

export const STATES = {draft: ["草稿", "draft"], submitted: ["待审核", "submitted"], returned: ["已退回", "returned"],
  approved: ["已审核", "approved"], published: ["已公开", "published"], overdue: ["已逾期", "overdue"],
  fulfilled: ["已践诺", "fulfilled"], evaluated: ["已评议", "evaluated"], closed: ["已结束", "closed"],
  withdrawn: ["已撤回", "withdrawn"]};
export const AREAS = {study: ["带头学习提高", "Lead in study"], achievement: ["带头争创佳绩", "Lead in achievement"],
  serving_masses: ["带头服务群众", "Lead in serving the masses"], discipline: ["带头遵纪守法", "Lead in discipline"],
  upright_spirit: ["带头弘扬正气", "Lead in upright spirit"]};
export const KINDS = {annual: ["年度承诺", "annual"], instant: ["即时承诺", "instant"]};
export const TRIGGERS = {phase_work: ["阶段性重点工作", "phase work"], temporary_task: ["临时性任务", "temporary task"],
  emergency: ["突发性事件", "emergency"]};
export const LEVELS = {advanced: ["先进", "advanced"], ordinary: ["一般", "ordinary"], lagging: ["后进", "lagging"]};
export const RATINGS = {excellent: ["优秀", "excellent"], good: ["良好", "good"], fair: ["一般", "fair"], poor: ["较差", "poor"]};
export const PARTIES = {self: ["个人自评", "self"], peer: ["党员互评", "peers"], masses: ["群众评议", "the masses"],
  leader: ["领导点评", "leader"]};
export const MODES = {concentrated: ["集中点评", "concentrated"], individual: ["个别点评", "individual"],
  random: ["随机点评", "random"], on_site: ["现场点评", "on site"]};

export const word = (table, key) => (table[key] ? t(...table[key]) : (key ?? ""));

export function formatTime(iso) {
  if (!iso) return "";
  try {
    return new Date(iso).toLocaleString(t("zh-CN", "en-GB"), {timeZone: "Asia/Shanghai", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"});
  } catch (e) { return iso; }
}

export const todayIso = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);  // Beijing date
export const score = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(1));

// The units where I hold one of these roles (e.g. the branch a secretary leads).
export function unitsWith(me, ...roles) {
  return [...new Set((me.roles || []).filter((r) => roles.includes(r.role) && r.unit_id).map((r) => r.unit_id))];
}

const unitNames = new Map();
export async function unitName(api, id) {
  if (!id) return "";
  if (!unitNames.has(id)) {
    unitNames.set(id, api("GET", `/api/directory/units/${id}`).then((u) => u.name).catch(() => id));
  }
  return unitNames.get(id);
}

// A <select> of the units I hold a role in, labelled with their names.
export async function unitSelect(h, api, ids, name = "unit_id") {
  const names = await Promise.all(ids.map((id) => unitName(api, id)));
  return h("select", {name}, ids.map((id, i) => h("option", {value: id}, names[i])));
}

export function table(h, headers, rows, attrs) {
  return h("div", {class: "table-wrap"}, h("table", attrs || {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", {scope: "col"}, x)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c)))))));
}

export const thisYear = () => Number(todayIso().slice(0, 4));

// Grading cycles, newest year first; the open one (分类定级中) and the last final one (for rectification).
export async function cycles(api) {
  const page = await api("GET", "/api/grading/cycles?limit=50");
  const items = [...page.items].sort((a, b) => b.year - a.year);
  return {all: items, current: items.find((c) => c.state !== "final") || items[0] || null,
    lastFinal: items.find((c) => c.state === "final") || null};
}

export const lines = (text) => (text || "").split("\n").map((s) => s.trim()).filter(Boolean);

const CYCLE_STATES = {open: ["分类定级中", "grading"], publicity: ["公示中", "publicity"], final: ["结果已确定", "final"]};

// A <select> of the grading cycles (the newest unfinished one first chosen). If grading-service is down the
// list is empty and the panels below say so themselves.
export async function cyclePicker(h, api, onChange) {
  let list = {all: [], current: null};
  try { list = await cycles(api); } catch (e) { /* each panel shows the service as unavailable */ }
  const select = h("select", {name: "cycle"}, list.all.map((c) => h("option", {value: c.id, selected: list.current && c.id === list.current.id,
    dataset: {year: String(c.year)}}, `${c.year} ${t(...CYCLE_STATES[c.state] || [c.state, c.state])}`)));
  const form = h("form", {class: "inline wide cycle-picker"}, h("label", {}, t("年度", "Year"), " ", select));
  select.addEventListener("change", onChange);
  return {form, select,
    selected: () => list.all.find((c) => c.id === select.value) || null,
    // the rectification in hand: of the chosen cycle once final, else of the last final one before it
    lastFinal: () => {
      const chosen = list.all.find((c) => c.id === select.value);
      return list.all.find((c) => c.state === "final" && (!chosen || c.year <= chosen.year && (c.id === chosen.id || c.year < chosen.year))) || null;
    }};
}
