// Evaluation rounds (评议: 个人自评、党员互评、群众评议、领导点评) at evaluation-service (/api/evaluations): the rounds
// I take part in, one round, a rating (a leader's comment with its mode), the rounds opened in bulk by 组织部, and
// the default weights of each kind of round.
import { http } from "./client";

const BASE = "/api/evaluations";

export const rounds = {
  /**
   * Rounds where I am evaluated or asked to rate → {items, total, limit, offset}. Params: waiting (true: a part is
   * still open to me), state (open/completed/incomplete, one or several), role (rater | evaluated), party
   * (self/peer/leader: I am asked for it), target_kind, year, sort (deadline, opened_at, closed_at; "-" = descending),
   * limit (≤ 100), offset. The masses are in no list: they open a round by its link.
   */
  list: (params) => http.get(`${BASE}/rounds`, params),
  /** One round as I may see it (404: closed and none of mine, or unknown). */
  get: (id) => http.get(`${BASE}/rounds/${id}`),
  /** {party, rating, comment, mode (leaders), target_reports: [{target, done}] (self)} → the round again. */
  rate: (id, body) => http.post(`${BASE}/rounds/${id}/ratings`, body),
  /**
   * 代录 by the round's branch secretary or above: {sheet_no, party, rating, comment, mode, target_reports, rater_id
   * (self or leader: whose sheet)} → the round again (paper_entry: what may still be entered). A sheet number once.
   */
  enterPaperSheet: (id, body) => http.post(`${BASE}/rounds/${id}/paper-sheets`, body),
  /** 组织部: {target_kind: member_year | branch, unit_id, year, title, deadline, peer_count} → {opened, already_open}. */
  openInBulk: (body) => http.post(`${BASE}/rounds/bulk`, body),
};

export const scale = {
  /** The rating scale, the parties, min_group (fewest raters shown) and each kind's default weights. */
  get: () => http.get(`${BASE}/scale`),
  /** 组织部: a kind's default weights, percent per party adding up to 100 (0: the party takes no part). */
  setDefaults: (targetKind, weights) => http.put(`${BASE}/defaults/${targetKind}`, { weights }),
};
