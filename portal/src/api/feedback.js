// 差评整改 and 意见箱 (evaluation-service, /api/feedback): the follow-up cases of bad ratings and the notes of the
// suggestion box. Lists answer {items, total, limit, offset}; total counts every matching row.
import { http } from "./client";

export const cases = {
  /** window_id, state (one or several), overdue, deadline_after, deadline_before, sort, limit, offset */
  list: (params) => http.get("/api/feedback/cases", params),
  /** One case, as a notice links to it (404 to anyone who does not follow it up). */
  get: (id) => http.get(`/api/feedback/cases/${encodeURIComponent(id)}`),
  /** {action_taken, called_back} */
  close: (id, body) => http.post(`/api/feedback/cases/${encodeURIComponent(id)}/close`, body),
  /** {ids, action_taken, called_back} → {closed, failed, items: [{id, status, case, error}]} */
  closeBatch: (body) => http.post("/api/feedback/cases/close-batch", body),
};

export const appeals = {
  /** {decision: upheld|rejected, note (why, required)}; 403 for an appeal one filed or about one's own window. */
  decide: (id, body) => http.post(`/api/feedback/appeals/${encodeURIComponent(id)}/decide`, body),
};

export const suggestions = {
  /** The notes to the units I lead: state, limit, offset. */
  list: (params) => http.get("/api/feedback/suggestions", params),
  /** {state, reply?, publish} */
  handle: (id, body) => http.patch(`/api/feedback/suggestions/${encodeURIComponent(id)}`, body),
  /** The published replies of a window or a unit (anyone may read them): window_id or unit_id, limit, offset. */
  published: (params) => http.get("/api/feedback/suggestions/published", params, { anonymous: true }),
  /**
   * A note of the masses to a window or a unit ({window_id | unit_id, body, is_complaint}) → {id, case_id}. Sent as
   * from someone not logged in, whoever is logged in in this browser, and with no Idempotency-Key: nothing may tie
   * the note to the person who wrote it.
   */
  drop: (body) => http.post("/api/feedback/suggestions", body, { anonymous: true }),
};
