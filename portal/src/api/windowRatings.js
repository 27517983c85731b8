// The masses' ratings of service windows as the windows' pages read them (evaluation-service, /api/ratings):
// 我的窗口满意度, a window's trend, star grades (星级窗口、服务标兵) and the reason tags a kiosk offers.
// (The dashboards have their own module, ratings.js; the figures say whether they are ready as it tells.)
import { http } from "./client";

export const windowRatings = {
  /** unit_id, from, to (dates; whole months), sort, limit, offset */
  windows: (params) => http.get("/api/ratings/windows", params),
  /** window_id | unit_id | on_duty_id, granularity, from, to, limit, offset */
  summary: (params) => http.get("/api/ratings/summary", params),
  /** unit_id, month (YYYY-MM), by (window | on_duty), limit, offset */
  stars: (params) => http.get("/api/ratings/stars", params),
  tags: () => http.get("/api/ratings/tags"),
  /** {praise: [...], complaint: [...]} → the new version */
  publishTags: (tags) => http.post("/api/ratings/tags", { tags }),

  /** 评价二维码: the window's current rating link {window_id, token, url: /rate/<id>?t=…, rotated_at} (who manages
   *  the window: 组织部, ops, its unit's secretaries and the general branch above). */
  link: (windowId) => http.get(`/api/ratings/windows/${encodeURIComponent(windowId)}/link`),
  /** A new rating link (组织部): the one printed before stops working at once. */
  rotateLink: (windowId) => http.post(`/api/ratings/windows/${encodeURIComponent(windowId)}/link`),
};

/**
 * The masses' side, from the public rating page a window's QR code opens: every call goes as from no one (no access
 * token and no Idempotency-Key, whoever is logged in in this browser), so nothing ties a rating to a person.
 */
export const masses = {
  /** The reason tags offered now, by level. */
  tags: () => http.get("/api/ratings/tags", undefined, { anonymous: true }),
  /** The window's name and who is on duty {window_id, name, location, on_duty: [{id, name}]}, with the link's token. */
  window: (windowId, token) => http.get(`/api/ratings/windows/${encodeURIComponent(windowId)}/public`, { t: token },
    { anonymous: true }),
  /** {client_id, window_id, level, reasons, tag_set_version, on_duty_id?, link_token} → {status, rating_id, case_id} */
  rate: (rating) => http.post("/api/ratings", rating, { anonymous: true }),
};
