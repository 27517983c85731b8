// The figures the dashboards read from the services besides the ratings: pledge statistics (pledge-service),
// the grading cycles' results, movement and profiles (grading-service), and the counts of bad-rating cases
// (evaluation-service). Each service scopes its figures to what the caller may see.
import { http } from "./client";

export const statistics = {
  /** A unit's pledge figures for a year: {unit_id, year}. */
  pledges: (params) => http.get("/api/pledges/statistics", params),

  /** Every branch at or under a unit with its pledge figures (coverage_percent, fulfilment_percent): {unit_id, year}. */
  pledgesByBranch: (params) => http.get("/api/pledges/statistics/branches", params),

  /** The grading cycles, newest year first: {limit, offset}. */
  cycles: (params = { limit: 50 }) => http.get("/api/grading/cycles", params),

  /** A cycle's distribution of levels, indicator averages and moves, over the branches I may see. */
  cycleResults: (cycleId) => http.get(`/api/grading/cycles/${cycleId}/results`),

  /** 晋位升级: branches by their level in an earlier cycle and now: {from_cycle_id?}. */
  movement: (cycleId, params) => http.get(`/api/grading/cycles/${cycleId}/movement`, params),

  /** The cycle's branches I may see, with totals and levels: {limit, offset}. */
  cycleBranches: (cycleId, params = { limit: 200 }) => http.get(`/api/grading/cycles/${cycleId}/branches`, params),

  /** A branch's seven indicators beside the cycle's averages (the radar). */
  profile: (cycleId, branchId) => http.get(`/api/grading/cycles/${cycleId}/branches/${branchId}/profile`),

  /** How many bad-rating cases match (the list's total): {state, overdue, window_id, …}. */
  async caseCount(params) {
    const body = await http.get("/api/feedback/cases", { ...params, limit: 1 });
    return body.total;
  },

  /** The units (for names and the 党总支 filter): {limit, offset, parent_id}. */
  units: (params = { limit: 500 }) => http.get("/api/directory/units", params),
};
