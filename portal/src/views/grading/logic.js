// What the grading pages decide in the browser: which year a picker opens on, which years a cycle may be opened
// for, the rectification in hand, the 先进 cap as a level changes, and where a service's per-score message goes.

/** The years a cycle may be opened for: last, this and next year (grading-service refuses any other). */
export const cycleYears = (thisYear) => [thisYear - 1, thisYear, thisYear + 1];

export const yearAllowed = (year, thisYear) => Number.isInteger(year) && Math.abs(year - thisYear) <= 1;

/** Newest year first. */
export const newestFirst = (cycles) => [...cycles].sort((a, b) => b.year - a.year);

/** A cycle has results once a branch has a level (拟定 or final): published and final ones always do. */
export const hasResults = (cycle) => cycle.state !== "open" || (cycle.decided || 0) > 0;

/**
 * The cycle a picker opens on: the one asked for (a link's ?cycle=) if it is there; else the newest that has
 * results; else (none has) the newest of last, this and next year; else the newest. An empty cycle far in the
 * future (a 2058 typed by mistake) is never the default.
 */
export function defaultCycle(cycles, { thisYear, wanted } = {}) {
  const sorted = newestFirst(cycles);
  return (wanted && sorted.find((c) => c.id === wanted))
    || sorted.find(hasResults)
    || (thisYear ? sorted.find((c) => Math.abs(c.year - thisYear) <= 1) : null)
    || sorted[0]
    || null;
}

/** The open cycle (of last, this or next year) that needs work, when the picker shows another. */
export function openCycleElsewhere(cycles, chosen, thisYear) {
  return newestFirst(cycles).find((c) => c.state === "open" && Math.abs(c.year - thisYear) <= 1
    && (!chosen || c.id !== chosen.id)) || null;
}

/**
 * The rectification in hand for the chosen cycle: the chosen one itself once final, else the latest final cycle
 * of an earlier year.
 */
export function rectificationCycle(cycles, chosen) {
  if (!chosen) return null;
  if (chosen.state === "final") return chosen;
  return newestFirst(cycles).find((c) => c.state === "final" && c.year < chosen.year) || null;
}

/** The final cycle before the chosen open one, whose rectification the general branch accepts now. */
export function acceptanceCycle(cycles, chosen) {
  if (!chosen || chosen.state !== "open") return null;
  return newestFirst(cycles).find((c) => c.state === "final" && c.year < chosen.year) || null;
}

/**
 * The 先进 cap as it would stand with one branch's level changed (before anything is saved), from the cycle's
 * results: per general branch when the cycle shares the quota out, else over every branch.
 * → {advanced, allowed, excess}
 */
export function capWith(results, branch, newLevel) {
  if (!results) return null;
  const quota = results.advanced_quota || {};
  const counts = results.advanced || {};
  const perGeneral = quota.by_general_branch;
  const key = branch ? String(branch.general_branch_id) : null;
  let advanced = perGeneral ? (counts.by_general_branch || {})[key] || 0 : counts.overall || 0;
  const allowed = perGeneral ? perGeneral[key] ?? 0 : quota.overall ?? 0;
  if (branch && newLevel !== undefined) {
    advanced = Math.max(0, advanced + (newLevel === "advanced" ? 1 : 0) - (branch.level === "advanced" ? 1 : 0));
  }
  return { advanced, allowed, excess: Math.max(0, advanced - allowed), perGeneral: Boolean(perGeneral) };
}

/** The cap over every general branch the page shows (the first line of the general branch's page). */
export function capSummary(results, generalBranchIds) {
  if (!results) return null;
  const quota = results.advanced_quota || {};
  const counts = results.advanced || {};
  if (!quota.by_general_branch) {
    const advanced = counts.overall || 0;
    const allowed = quota.overall ?? 0;
    return { advanced, allowed, excess: Math.max(0, advanced - allowed), perGeneral: false };
  }
  const ids = generalBranchIds && generalBranchIds.length ? generalBranchIds : Object.keys(counts.by_general_branch || {});
  const parts = ids.map((id) => capWith(results, { general_branch_id: id, level: null }));
  return {
    advanced: parts.reduce((n, p) => n + p.advanced, 0),
    allowed: parts.reduce((n, p) => n + p.allowed, 0),
    excess: parts.reduce((n, p) => n + p.excess, 0),
    perGeneral: true,
  };
}

/**
 * A scores form's service errors: {scores: {"2": {score: [...]}}} → {"2.score": "..."} (the index of the entry
 * sent), with the entries' indicators to name the field: {"leader.score": "..."}.
 */
export function scoreErrors(details, sent) {
  const out = {};
  const scores = details && details.scores;
  if (!scores || Array.isArray(scores) || typeof scores !== "object") return out;
  for (const [index, fields] of Object.entries(scores)) {
    const entry = sent[Number(index)];
    if (!entry || !fields || typeof fields !== "object") continue;
    for (const [name, messages] of Object.entries(fields)) {
      out[`${entry.indicator}.${name}`] = [].concat(messages).join("；");
    }
  }
  return out;
}

/** Lines of a textarea, trimmed, empty ones left out. */
export const lines = (text) => (text || "").split("\n").map((s) => s.trim()).filter(Boolean);

/** A date `days` after an ISO date (YYYY-MM-DD). */
export function plusDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A score as people read it: one decimal, or — when there is none. */
export const score = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(1));

/** The grading pages a notice's link may open, first that a person's roles allow. */
export const CYCLE_PAGES = [
  ["branch-grading", "branch_secretary"],
  ["general-grading", "general_branch_secretary"],
  ["org-grading", "org_department"],
  ["grading-publicity", null],
];

/** Where /grading/<id>?branch_id=…&task_id=… leads: {name, query: {cycle, branch_id?, task_id?}}. */
export function cycleTarget(cycleId, query, roles) {
  const [name] = CYCLE_PAGES.find(([, role]) => !role || roles.has(role));
  const out = { cycle: cycleId };
  for (const key of ["branch_id", "task_id"]) {
    const value = query && query[key];
    if (value) out[key] = String(Array.isArray(value) ? value[0] : value);
  }
  return { name, query: out };
}
