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
export const LEVELS = {advanced: ["先进", "advanced"], average: ["一般", "average"], backward: ["后进", "backward"]};

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
