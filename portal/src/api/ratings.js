// Ratings of the service windows (evaluation-service, /api/ratings): the figures the windows' pages and the
// dashboards chart. Every figure is the anonymity guard's: a period with too few raters comes back hidden
// (shown: false), and each answer says how fresh it is (as_of) and whether its years are worked out yet (figures:
// "ready", or "preparing" — empty for now, not "no ratings": composables/useFiguresPoll asks again). Dates are
// Shanghai dates (YYYY-MM-DD).
import { http } from "./client";

export const ratings = {
  /** Satisfaction per day/week/month/year of one window, unit or member on duty:
   *  {window_id | unit_id | on_duty_id, granularity: day|week|month|year, from, to, limit, offset}. */
  summary: (params) => http.get("/api/ratings/summary", params),

  /** 我的窗口满意度: the windows I oversee (or every window at or under unit_id), a page of them with their
   *  counts over whole months: {unit_id?, from?, to?, sort: name|±satisfaction_rate|±ratings, limit, offset}. */
  windows: (params) => http.get("/api/ratings/windows", params),

  /** A month's ranking (星级窗口 by=window, 服务标兵 by=on_duty) under a unit: {unit_id, month: YYYY-MM, by, min_ratings?}. */
  ranking: (params) => http.get("/api/ratings/ranking", params),

  /** Satisfaction by hour of day and weekday of a unit's windows: {unit_id, from, to}. */
  rhythm: (params) => http.get("/api/ratings/rhythm", params),

  /** Stars of a month as the ratings stand now: {unit_id, month: YYYY-MM, by: window|on_duty, limit, offset}. */
  stars: (params) => http.get("/api/ratings/stars", params),

  /** The stars the monthly job recorded, newest month first: {unit_id, by, limit, offset}. */
  starHistory: (params) => http.get("/api/ratings/stars/history", params),

  /** The reason tags offered now (praise for the top two levels, complaints for the bottom two). */
  tags: () => http.get("/api/ratings/tags"),

  /** A new version of the reason tags (组织部); earlier ratings keep theirs. */
  publishTags: (tags) => http.post("/api/ratings/tags", { tags }),

  /** 申诉复核台账 (组织部: all; a general branch secretary: the windows under their general branch), newest first:
   *  {state: pending|upheld|rejected, window_id, unit_id (units below count), from, to, limit, offset}. */
  appeals: (params) => http.get("/api/ratings/appeals", params),
};
