// What the windows' pages work out in the browser (kept apart from the views so that it is tested on its own):
// the cases' filters as the service's query, a batch's failures, months and their bounds, a trend's points,
// the organisation tree for a picker, the page a linked row is on, a tag set from its text boxes.

/** The five levels of a rating, best first (5 非常满意 … 1 非常不满意); locale keys windows.levels.<n>. */
export const LEVELS = [5, 4, 3, 2, 1];

/** The case states the search form offers: "unclosed" is open and escalated together (the default). */
export const CASE_STATES = {
  unclosed: ["open", "escalated"],
  open: ["open"],
  escalated: ["escalated"],
  closed: ["closed"],
  all: [],
};

export const SECRETARY_ROLES = ["branch_secretary", "general_branch_secretary"];

const pad = (n) => String(n).padStart(2, "0");

/** The day after a YYYY-MM-DD date. */
export function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/**
 * The search form's filters as GET /api/feedback/cases takes them. `deadline` is a range of two days (YYYY-MM-DD,
 * both included, Beijing time): deadline_after is the first day's start, deadline_before the start of the day after
 * the last.
 */
export function caseQuery({ window_id, state, overdue, deadline } = {}) {
  const params = {};
  if (window_id) params.window_id = window_id;
  const states = CASE_STATES[state || "all"] || [];
  if (states.length) params.state = states;
  if (overdue === true || overdue === "true") params.overdue = "true";
  if (overdue === false || overdue === "false") params.overdue = "false";
  if (Array.isArray(deadline) && deadline[0] && deadline[1]) {
    params.deadline_after = `${deadline[0]}T00:00:00`;
    params.deadline_before = `${nextDay(deadline[1])}T00:00:00`;
  }
  return params;
}

/** The search form's filters from an address (/windows/cases?window_id=…&overdue=true&state=closed). */
export function casesFromQuery(query = {}, defaults = {}) {
  const filters = { ...defaults };
  if (typeof query.window_id === "string" && query.window_id) filters.window_id = query.window_id;
  if (typeof query.state === "string" && query.state in CASE_STATES) filters.state = query.state;
  if (query.overdue === "true" || query.overdue === "false") filters.overdue = query.overdue;
  return filters;
}

export const caseClosable = (row) => Boolean(row) && row.state !== "closed";

/** el-table's row class: an unclosed case past its deadline is marked, and so is the case a notice linked to. */
export function caseRowClass(row, linkedId) {
  const classes = [];
  if (row.overdue) classes.push("row-overdue");
  if (linkedId && row.id === linkedId) classes.push("row-linked");
  return classes.join(" ");
}

/**
 * What a batch close answered, for the drawer: how many closed, and each case that was not with why (in the order
 * sent). `rows` are the cases that were sent, to name each failure by its window and opening time.
 */
export function batchOutcome(answer, rows = []) {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items = (answer && answer.items) || [];
  const failures = items
    .filter((item) => item.status !== "closed")
    .map((item) => ({
      id: item.id,
      row: byId.get(item.id) || null,
      message: (item.error && item.error.message) || "",
      code: (item.error && item.error.code) || "",
    }));
  const closed = typeof (answer && answer.closed) === "number" ? answer.closed : items.length - failures.length;
  return { closed, failed: failures.length, failures };
}

/** YYYY-MM of a YYYY-MM-DD date (or of a YYYY-MM). */
export const monthOf = (day) => String(day).slice(0, 7);

export function addMonths(month, delta) {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** The first and last day of a month (YYYY-MM). */
export function monthBounds(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${pad(last)}` };
}

/** `count` months ending with `month`, oldest first. */
export function monthsEnding(month, count = 12) {
  return Array.from({ length: count }, (_v, i) => addMonths(month, i - count + 1));
}

export const isMonth = (value) => typeof value === "string" && /^[1-9]\d{3}-(0[1-9]|1[0-2])$/.test(value);

/**
 * A window's trend from GET /api/ratings/summary (granularity month): one point per month, in order. A month
 * without ratings has none; a month hidden to keep its raters anonymous is marked hidden (no figures).
 */
export function trendPoints(periods, months) {
  const byMonth = new Map((periods || []).map((p) => [monthOf(p.period_start), p]));
  return months.map((month) => {
    const period = byMonth.get(month);
    if (!period) return { month, ratings: 0, rate: null, hidden: false, counts: null };
    if (!period.shown) return { month, ratings: null, rate: null, hidden: true, counts: null };
    return { month, ratings: period.total, rate: period.satisfaction_rate, hidden: false, counts: period.counts };
  });
}

/** The units a person leads as a secretary (their roles' units), for the pickers and the windows they oversee. */
export function secretaryUnits(me) {
  const roles = (me && me.roles) || [];
  return [...new Set(roles.filter((r) => SECRETARY_ROLES.includes(r.role) && r.unit_id).map((r) => r.unit_id))];
}

/** The top of the organisation tree (the committee): the unit without a parent. */
export function rootUnit(units) {
  const top = units.filter((u) => !u.parent_id);
  return (top.find((u) => u.kind === "committee") || top[0] || null);
}

/**
 * The page (1-based, `size` rows a page) a row with this key is on, reading the list 100 at a time: a notice's
 * link to one star names its person, not where the list puts them. 1 when it is not there.
 */
export async function pageOfKey(load, key, size, { keyOf = (row) => row.key, limit = 100, most = 2000 } = {}) {
  for (let offset = 0; offset < most; offset += limit) {
    const body = await load({ limit, offset });
    const items = (body && body.items) || [];
    const at = items.findIndex((row) => keyOf(row) === key);
    if (at >= 0) return Math.floor((offset + at) / size) + 1;
    if (items.length < limit || offset + limit >= ((body && body.total) || 0)) break;
  }
  return 1;
}

/** A text box of tags (one a line) as the list the service takes: trimmed, blank lines left out. */
export const tagLines = (text) => String(text || "").split("\n").map((s) => s.trim()).filter(Boolean);

/** The public address of a display screen (亮标准、亮身份、亮承诺) of a window or of a unit. */
export function displayLink(origin, { window: windowId, unit } = {}) {
  if (windowId) return `${origin}/display?window=${encodeURIComponent(windowId)}`;
  if (unit) return `${origin}/display?unit=${encodeURIComponent(unit)}`;
  return "";
}

/** The suggestion-box note's reply as PATCH takes it: an empty reply is left out, and is never published. */
export function noteHandling({ state, reply, publish }) {
  const text = String(reply || "").trim();
  return { state, ...(text ? { reply: text } : {}), publish: Boolean(text) && Boolean(publish) };
}

/** Where a suggestion-box note may go from each state (open → in progress → answered / closed). */
export const NOTE_NEXT = {
  open: ["in_progress", "answered", "closed"],
  in_progress: ["answered", "closed"],
  answered: ["closed"],
  closed: [],
};

/** The states of an appeal (申诉复核) the audit page filters by; locale keys windows.appeals.states.<state>. */
export const APPEAL_STATES = ["pending", "upheld", "rejected"];

/** The audit page's filters as GET /api/ratings/appeals takes them; `filed` is a range of two Beijing days, both included. */
export function appealQuery({ state, window_id, unit_id, filed } = {}) {
  const params = {};
  if (APPEAL_STATES.includes(state)) params.state = state;
  if (window_id) params.window_id = window_id;
  if (unit_id) params.unit_id = unit_id;
  if (Array.isArray(filed) && filed[0] && filed[1]) {
    params.from = filed[0];
    params.to = filed[1];
  }
  return params;
}

/** A decision as POST …/decide takes it: the reason trimmed, since a blank one is refused. */
export const appealDecision = ({ decision, note }) => ({ decision, note: String(note || "").trim() });
