// The masses' ratings of service windows as the windows' pages read them (evaluation-service, /api/ratings):
// 我的窗口满意度, a window's trend, star grades (星级窗口、服务标兵) and the reason tags a kiosk offers.
// (The dashboards have their own module, ratings.js.)
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
};
