// What the home page (工作台) reads from the other services' lists: short pages (limit 5, nearest deadline
// first) and their totals, so each section's count is the count its list page shows. The areas' own modules
// (pledges.js, evaluations.js, …) belong to their pages; these are the home page's few read-only calls.
import { http } from "./client";

export const home = {
  /** My pledges: {state: [...], sort: due_date, limit}. */
  myPledges: (params) => http.get("/api/pledges", { scope: "mine", ...params }),
  /** Pledges waiting for my review (审核). */
  pledgesToReview: (params) => http.get("/api/pledges", { scope: "review", state: "submitted", ...params }),
  /** A unit's ledger (支部及下级), filtered: {unit_id, year, state, limit}; ordered by due date. */
  ledger: (params) => http.get("/api/pledges/ledger", params),
  /** My evaluation rounds: {waiting, role, state, sort, limit}. */
  rounds: (params) => http.get("/api/evaluations/rounds", params),
  /** Bad-rating cases I follow up or oversee: {state, overdue, sort, limit}. */
  cases: (params) => http.get("/api/feedback/cases", params),
  /** My notices: {read: false, sort: -created_at, limit}. */
  notices: (params) => http.get("/api/notifications", params),
  readNotice: (id) => http.post(`/api/notifications/${id}/read`),
  /** The grading cycles, newest year first. */
  cycles: (params = { limit: 10 }) => http.get("/api/grading/cycles", params),
  cycleBranches: (cycleId, params = { limit: 200 }) => http.get(`/api/grading/cycles/${cycleId}/branches`, params),
  cycleBranch: (cycleId, branchId) => http.get(`/api/grading/cycles/${cycleId}/branches/${branchId}`),
  cycleResults: (cycleId) => http.get(`/api/grading/cycles/${cycleId}/results`),
  /** A branch's rectification plan (整改提高) after a cycle's final results; 404 while there is none. */
  rectification: (cycleId, branchId) => http.get(`/api/grading/cycles/${cycleId}/branches/${branchId}/rectification`),
};
