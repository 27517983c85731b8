// grading-service (基层党组织晋位升级): yearly cycles, the seven indicators, scores, levels under the 先进 cap,
// publicity and objections, rectification and its acceptance. Every call goes through the one client.
import { http } from "./client";

const cycle = (id) => `/api/grading/cycles/${id}`;
const branch = (cycleId, branchId) => `${cycle(cycleId)}/branches/${branchId}`;

/** Every page of a list, `limit` at a time (the years of grading: a few dozen at most). */
async function everyPage(path, params = {}, limit = 200) {
  const items = [];
  for (let offset = 0; ; offset += limit) {
    const body = await http.get(path, { ...params, limit, offset });
    items.push(...(body.items || []));
    if (!body.items || !body.items.length || items.length >= body.total) return items;
  }
}

export const grading = {
  /** The seven indicators and the three assessment parts, with their default weights (zh, en). */
  indicators: () => http.get("/api/grading/indicators"),

  /** Cycles, newest year first: {items, total, limit, offset}. */
  cycles: (params) => http.get("/api/grading/cycles", params),
  /** Every cycle (for a year picker). */
  allCycles: () => everyPage("/api/grading/cycles"),
  cycle: (id) => http.get(cycle(id)),
  /** 安排部署: {year, advanced_cap_percent, self_assessment_deadline, …, branch_ids?}. */
  openCycle: (body) => http.post("/api/grading/cycles", body),
  publish: (id) => http.post(`${cycle(id)}/publish`),
  finalise: (id) => http.post(`${cycle(id)}/finalise`),
  results: (id) => http.get(`${cycle(id)}/results`),
  downloadReport: (id, year) => http.download(`${cycle(id)}/report.xlsx`, `grading-${year}.xlsx`),

  /** The cycle's branches I may see: limit, offset, q, level (advanced/ordinary/lagging/none), general_branch_id. */
  branches: (cycleId, params) => http.get(`${cycle(cycleId)}/branches`, params),
  branch: (cycleId, branchId) => http.get(branch(cycleId, branchId)),
  /** part: "self-assessment" (自评) or "superior-scores" (上级评定); body {scores: [{indicator, score, evidence}], reason}. */
  saveScores: (cycleId, branchId, part, body) => http.put(`${branch(cycleId, branchId)}/${part}`, body),
  /** {action: "confirm" | "override", level?, reason}. */
  setLevel: (cycleId, branchId, body) => http.post(`${branch(cycleId, branchId)}/level`, body),
  history: (branchId) => http.get(`/api/grading/branches/${branchId}/history`),

  /** 公示名单 (every person, once published): limit, offset, q; with the cycle's year, state and publicity_ends_on. */
  publicity: (cycleId, params) => http.get(`${cycle(cycleId)}/publicity`, params),
  /** The same list without login (the public page): 401 unless 组织部 opened it and this is the campus network. */
  publicPublicity: (cycleId, params) => http.get(`${cycle(cycleId)}/publicity`, params, { anonymous: true }),
  /** 组织部: whether the list is also read without login on the campus network (PUBLICITY_OPEN_NETWORKS). */
  setPublicityAccess: (cycleId, withoutLogin) =>
    http.put(`${cycle(cycleId)}/publicity-access`, { without_login: withoutLogin }),
  /** limit, offset, mine (true: those I lodged), answered (true/false), branch_id. */
  objections: (cycleId, params) => http.get(`${cycle(cycleId)}/objections`, params),
  lodgeObjection: (cycleId, branchId, text) => http.post(`${branch(cycleId, branchId)}/objections`, { text }),
  answerObjection: (cycleId, objectionId, answer) =>
    http.post(`${cycle(cycleId)}/objections/${objectionId}/answer`, { answer }),

  /** The branch's rectification plan after that cycle's final results (404 when there is none). */
  plan: (cycleId, branchId) => http.get(`${branch(cycleId, branchId)}/rectification`),
  createPlan: (cycleId, branchId, body) => http.post(`${branch(cycleId, branchId)}/rectification`, body),
  reportProgress: (taskId, percent, note) =>
    http.post(`/api/grading/rectification/tasks/${taskId}/progress`, { percent, note }),
  /** 考核验收 of the branch's last plan, recorded in the (next) open cycle. */
  accept: (cycleId, branchId, body) => http.post(`${branch(cycleId, branchId)}/acceptance`, body),
};

/** A plan, or null when the branch has none for that cycle. */
export async function planOrNone(cycleId, branchId) {
  try {
    return await grading.plan(cycleId, branchId);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

/**
 * 待办 for the menu's badge: the grading steps waiting on this person in the cycles of last, this and next year —
 * a branch secretary's self-assessment not yet given before its deadline; a general branch's branches without a
 * level, and objections not yet answered during publicity.
 */
export async function countGradingSteps(roles, me, { thisYear, today }) {
  const cycles = (await grading.cycles({ limit: 10 })).items.filter((c) => Math.abs(c.year - thisYear) <= 1);
  const ownBranches = [...new Set(((me && me.roles) || []).filter((r) => r.role === "branch_secretary" && r.unit_id)
    .map((r) => r.unit_id))];
  const counts = await Promise.all(cycles.map(async (c) => {
    let steps = 0;
    if (roles.has("general_branch_secretary") && c.state === "open") {
      steps += (await grading.branches(c.id, { level: "none", limit: 1 })).total;
    }
    if (roles.has("general_branch_secretary") && c.state === "publicity") {
      steps += (await grading.objections(c.id, { answered: false, limit: 1 })).total;
    }
    if (c.state === "open" && today <= c.self_assessment_deadline) {
      for (const branchId of ownBranches) {
        const detail = await grading.branch(c.id, branchId).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
        if (detail && !Object.keys((detail.scores && detail.scores.self) || {}).length) steps += 1;
      }
    }
    return steps;
  }));
  return counts.reduce((sum, n) => sum + n, 0);
}
