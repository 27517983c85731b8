// What the pledge pages decide in the browser, kept apart from the templates so it is tested on its own
// (portal/tests/pledges.test.js): the words' codes, which actions a state allows, the form ↔ the API's body, the
// ledger's filters (the same for its page and its export), the timeline of a pledge's path, the unit picker.

export const STATES = ["draft", "submitted", "returned", "approved", "published", "overdue", "fulfilled", "evaluated",
  "closed", "withdrawn"];
export const KINDS = ["annual", "instant"];
export const TRIGGERS = ["phase_work", "temporary_task", "emergency"];
export const MODES = ["individual", "collective", "with_masses"];
export const AREAS = ["study", "achievement", "serving_masses", "discipline", "upright_spirit"];
export const SORTS = ["-created_at", "created_at", "due_date", "-due_date"];
// What pledge-service's schemas allow (PledgeCreate, ProgressIn, PledgeAction): the browser says it first.
export const LIMITS = { title: 200, content: 5000, target: 500, targets: 20, participant: 100, participants: 200,
  evidence: 5000, reason: 2000, attachments: 20, attachmentName: 255, attachmentUrl: 2000 };

const EDITABLE = ["draft", "returned"];
const RUNNING = ["published", "overdue"];
const WITHDRAWABLE = ["draft", "submitted", "returned", "approved", "published", "overdue"];
export const SECRETARY_ROLES = ["branch_secretary", "general_branch_secretary", "org_department"];

/** Whether a person is one of the fellow members of a collective pledge (党员集体承诺), not its pledger. */
export function takesPart(pledge, personId) {
  return Boolean(pledge && personId && pledge.pledger_kind === "member" && pledge.mode === "collective"
    && pledge.pledger_id !== personId && (pledge.participant_ids || []).includes(personId));
}

/** The actions a person may take on a pledge in its state: the pledger's, a participant's (progress reports
 *  only, as pledge-service allows) and the reviewer's (党总支, 组织部). */
export function pledgeActions(pledge, { pledger = false, participant = false, reviewer = false } = {}) {
  const state = pledge && pledge.state;
  const actions = [];
  if (pledger) {
    if (EDITABLE.includes(state)) actions.push("edit", "submit");
    if (RUNNING.includes(state)) actions.push("report", "fulfil");
    if (WITHDRAWABLE.includes(state)) actions.push("withdraw");
  } else if (participant && RUNNING.includes(state)) {
    actions.push("report");
  }
  if (reviewer) {
    if (state === "submitted") actions.push("approve", "return");
    if (state === "approved") actions.push("publish");
    if (state === "evaluated") actions.push("close");
  }
  return actions;
}

/** Whether I review pledges of this unit: 组织部 all of them, a 党总支 secretary those of its branches. */
export function reviews(myRoles, unit) {
  return (myRoles || []).some((r) => r.role === "org_department"
    || (r.role === "general_branch_secretary" && unit && (r.unit_id === unit.id || r.unit_id === unit.parent_id)));
}

/** Lines of a textarea: trimmed, blank ones left out. */
export const lines = (text) => String(text || "").split("\n").map((s) => s.trim()).filter(Boolean);

/** The form's model of a new pledge (an annual pledge is due at the end of its year). */
export function emptyPledge(year, kind = "annual") {
  return { kind, trigger: "", mode: "individual", masses_participants: "", title: "", content: "", targets: "",
    areas: [], due_date: kind === "annual" ? `${year}-12-31` : "" };
}

/** The form's model of a pledge being edited. */
export function formOf(pledge) {
  return {
    kind: pledge.kind, trigger: pledge.trigger || "", mode: pledge.mode || "individual",
    masses_participants: (pledge.masses_participants || []).join("\n"), title: pledge.title || "",
    content: pledge.content || "", targets: (pledge.targets || []).join("\n"), areas: [...(pledge.areas || [])],
    due_date: pledge.due_date || "",
  };
}

/** The API's body for the form's model: lists from lines, a trigger only on an instant pledge, the kind only
 *  when the pledge is new (an edit cannot change it). */
export function pledgeBody(model, { editing = false } = {}) {
  const body = {
    mode: model.mode || "individual",
    title: String(model.title || "").trim(),
    content: String(model.content || "").trim(),
    targets: lines(model.targets),
    areas: [...(model.areas || [])],
    due_date: model.due_date || null,
    trigger: model.kind === "instant" ? model.trigger || null : null,
    masses_participants: model.mode === "with_masses" ? lines(model.masses_participants) : [],
  };
  if (!editing) body.kind = model.kind;
  return body;
}

/** The one annual pledge of the year that still counts (not withdrawn), if the member has made it. */
export function annualOfYear(items, year) {
  return (items || []).find((p) => p.kind === "annual" && p.year === year && p.state !== "withdrawn") || null;
}

/** This year's exemption (年老体弱，免于承诺) of a person, if any. */
export function exemptionOf(person, year) {
  return ((person && person.exemptions) || []).find((e) => e.year === year) || null;
}

/** The years a filter offers: next year down to six years back. */
export function yearOptions(year) {
  return Array.from({ length: 8 }, (_, i) => year + 1 - i);
}

/** A state from an address's query (?state=overdue or a notice's ?status=overdue), if it is one. */
export function stateFromQuery(query) {
  const value = query && (query.state || query.status);
  return STATES.includes(value) ? value : "";
}

/** The year a link asks for (a reminder to pledge: /pledges/mine?year=2026), one the list offers, or none. */
export function yearFromQuery(query, offered) {
  const year = Number(query && query.year);
  return offered.includes(year) ? year : "";
}

/** Where a notice's /pledges?unit_id=…&status=overdue lands: the ledger of that unit filtered to overdue pledges
 *  for secretaries (the weekly list), my pledges filtered the same way for everyone else. */
export function pledgesLinkTarget(query, roles) {
  const state = stateFromQuery(query);
  if (state === "overdue" && SECRETARY_ROLES.some((r) => roles.has(r))) {
    const unit = query && /^[0-9a-f-]{36}$/i.test(String(query.unit_id || "")) ? { unit_id: query.unit_id } : {};
    return { name: "pledge-ledger", query: { state, ...unit } };
  }
  return { name: "my-pledges", query: state ? { state } : {} };
}

/** The ledger's filters as the service takes them: the same for a page of it and for its export, so that the
 *  file holds exactly what the table shows. */
export function ledgerParams(filters) {
  const member = String(filters.member || "").trim();
  return {
    unit_id: filters.unit_id,
    year: filters.year,
    state: filters.state || undefined,
    kind: filters.kind || undefined,
    pledger_name: member || undefined,
    linked_to: filters.linked_to || undefined,
  };
}

/** The 未承诺名单's question: a unit and year, which list (missing: without an annual pledge; exempted: 免于承诺),
 *  and the branch and name typed, left out when empty. */
export function unpledgedParams(filters) {
  const name = String(filters.name || "").trim();
  return {
    unit_id: filters.unit_id,
    year: filters.year,
    list: filters.list === "exempted" ? "exempted" : "missing",
    branch_id: filters.branch_id || undefined,
    name: name || undefined,
  };
}

/** How many members a reminder would reach: the missing of every branch listed, or of one of them. */
export function toRemind(branches, branchId = "") {
  return (branches || []).filter((b) => !branchId || b.unit_id === branchId).reduce((sum, b) => sum + (b.missing || 0), 0);
}

/** The toast after a reminder: its locale key and values (who was reminded now, who had been today already). */
export function remindedToast(result) {
  const values = { reminded: result.reminded || 0, already: result.already_reminded || 0 };
  if (!values.reminded) return { key: "pledges.unpledged.remindedNone", values };
  return { key: values.already ? "pledges.unpledged.remindedPartly" : "pledges.unpledged.reminded", values };
}

/** The organisation pledges a member's pledge may support (基层党组织承诺), as the ledger's filter offers them. */
export function linkOptions(rows) {
  return (rows || []).filter((r) => r.pledger_kind === "unit" && r.state !== "withdrawn")
    .map((r) => ({ id: r.id, title: r.title, unit: r.unit_name || "" }));
}

/** The units my ledger may show, in tree order with their depth: each unit where I am a secretary (or the
 *  organisation department's), then the general branches and branches under it. Party groups hold no
 *  pledges of their own and are left out. */
export function unitOptions(units, roots) {
  const byParent = new Map();
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const unit of units) {
    if (!byParent.has(unit.parent_id || null)) byParent.set(unit.parent_id || null, []);
    byParent.get(unit.parent_id || null).push(unit);
  }
  const seen = new Set();
  const out = [];
  const walk = (unit, depth) => {
    if (!unit || seen.has(unit.id) || unit.kind === "group" || unit.active === false) return;
    seen.add(unit.id);
    out.push({ id: unit.id, name: unit.name, kind: unit.kind, depth });
    (byParent.get(unit.id) || []).forEach((child) => walk(child, depth + 1)); // in the directory's order
  };
  // a root under another root (a branch of my general branch) comes inside its parent's tree
  const under = (id) => {
    for (let u = byId.get(id); u && u.parent_id; u = byId.get(u.parent_id)) if (roots.includes(u.parent_id)) return true;
    return false;
  };
  roots.filter((id) => !under(id)).forEach((id) => walk(byId.get(id), 0));
  return out;
}

/** The units where I am a secretary or the organisation department: the roots of my ledger. */
export function ledgerRoots(myRoles) {
  return [...new Set((myRoles || []).filter((r) => SECRETARY_ROLES.includes(r.role) && r.unit_id).map((r) => r.unit_id))];
}

// A step's colour on the timeline says the same as a status tag's (components/status.js).
const STEP_TYPES = {
  created: "info", submit: "warning", return: "danger", approve: "success", publish: "primary",
  report_progress: "primary", mark_overdue: "danger", fulfil: "success", record_evaluation: "success",
  close: "info", withdraw: "info",
};

/** A pledge's path for an el-timeline, oldest first: made, then every step of its history with who, when and
 *  why; a progress step carries its report when that report is among `reports` (they share the moment). */
export function timeline(pledge, reports = []) {
  const reportAt = new Map((reports || []).map((r) => [Date.parse(r.created_at), r]));
  const steps = [{ key: "created", action: "created", at: pledge.created_at, actor: pledge.pledger_name || null,
    type: STEP_TYPES.created }];
  (pledge.history || []).forEach((step, index) => {
    steps.push({
      key: `step-${index}`,
      action: step.action,
      at: step.at,
      actor: step.actor_name || null,
      system: !step.actor_name && /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(String(step.actor_id || "")),
      reason: step.reason || null,
      to: step.to_state,
      type: STEP_TYPES[step.action] || "info",
      report: step.action === "report_progress" ? reportAt.get(Date.parse(step.at)) || null : null,
      evaluation: step.action === "record_evaluation" ? pledge.evaluation || null : null,
    });
  });
  return steps;
}

/** A long path shown short: the first `head` and the last `tail` steps and, between them, a marker with the
 *  count of those left out (no page taller than three screens). */
export function shortened(steps, { head = 2, tail = 5 } = {}) {
  if (steps.length <= head + tail + 1) return steps;
  return [...steps.slice(0, head), { key: "gap", gap: steps.length - head - tail }, ...steps.slice(-tail)];
}

/** A link of a progress report that may be opened: http(s) only (never javascript: or data:). */
export const safeUrl = (url) => (/^https?:\/\//i.test(String(url || "")) ? url : null);

/** Runs one action over several items one after another; answers {done, failed, error (the first)}. */
export async function eachOf(items, action) {
  let done = 0;
  let failed = 0;
  let error = null;
  for (const item of items) {
    try {
      await action(item);
      done += 1;
    } catch (e) {
      failed += 1;
      error = error || e;
    }
  }
  return { done, failed, error };
}
