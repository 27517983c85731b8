// pledge-service (党员承诺践诺): pledges, their life cycle, progress reports, guidance and the ledger.
import { http, query } from "./client";

export const pledges = {
  /** A page of my pledges (scope "mine") or of those I review (scope "review"): {items, total, limit, offset}.
   *  params: scope, state (one or several), year, kind, pledger_id, sort (-created_at | created_at | due_date |
   *  -due_date), limit (≤200), offset. */
  list: (params) => http.get("/api/pledges", params),
  /** One pledge with its whole path (history: action, from_state, to_state, at, reason, actor_name). */
  get: (id) => http.get(`/api/pledges/${id}`),
  /** A new pledge: a draft, or submitted for review at once with `submit: true`. */
  create: (body) => http.post("/api/pledges", body),
  /** The pledger edits a draft or a returned pledge. */
  update: (id, body) => http.patch(`/api/pledges/${id}`, body),
  /** submit | withdraw (reason) | fulfil by the pledger; approve | return (reason) | publish | close by the reviewer. */
  act: (id, action, reason) => http.post(`/api/pledges/${id}/${action}`, reason ? { reason } : {}),
  /** A page of a pledge's progress reports, newest first. */
  progress: (id, params) => http.get(`/api/pledges/${id}/progress`, params),
  /** A progress report: {evidence, reported_on?, attachments?: [{name, url}]}. */
  reportProgress: (id, body) => http.post(`/api/pledges/${id}/progress`, body),
  /** 分类指导: suggested areas and themes for a department kind (teaching, administrative, other). */
  guidance: (departmentKind) => http.get(`/api/pledges/guidance/${departmentKind}`),
  /** A page of the ledger (承诺台账) of a unit (and every unit below it) and year. params: unit_id, year,
   *  state (one or several), kind, pledger_kind (member | unit), pledger_id, pledger_name, linked_to (the
   *  organisation pledge supported), sort (due_date, pledger_name, created_at, progress_count, state, linked_title;
   *  - for descending), limit, offset. Each row names the organisation pledge it supports: linked_to, linked_title. */
  ledger: (params) => http.get("/api/pledges/ledger", params),
  /** The ledger with the same filters as an XLSX file. */
  exportLedger: (params, filename) =>
    http.download(`/api/pledges/ledger/export${query({ ...params, format: "xlsx" })}`, filename),
  /** 未承诺名单: a page of the members of each branch at or under a unit without an annual pledge for the year
   *  (list "missing") or exempted that year (list "exempted"), with every branch's counts. params: unit_id, year,
   *  list, branch_id, name, limit, offset. Answers {items, total, limit, offset, branches, missing_total, exempted_total}. */
  unpledged: (params) => http.get("/api/pledges/unpledged", params),
  /** Reminds the members without an annual pledge of a branch (or of every branch under a unit), each at most once a
   *  day: {unit_id, year} → {reminded, already_reminded, branches}. */
  remindUnpledged: (body) => http.post("/api/pledges/unpledged/remind", body),
};

// What the pledge pages read from the directory (the gateway's): a unit (its department kind for the guidance,
// its parent for who reviews) and the units under one (the ledger's unit picker).
export const pledgeUnits = {
  get: (id) => http.get(`/api/directory/units/${id}`),
  list: (params) => http.get("/api/directory/units", params),
};
