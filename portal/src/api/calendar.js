// The working calendar (gateway /api/calendar, 工作日历): a year's official holidays and make-up workdays merged
// with the university's own days, which the organisation department adds and removes.
import { http } from "./client";

const BASE = "/api/calendar";

export const calendar = {
  /** {year, end_of_day, published, warning, days: [{day, working, holiday, note, overridden, usually_working}]} */
  days: (year) => http.get(`${BASE}/days`, { year }),
  /** {day: "YYYY-MM-DD", working, note} */
  addOverride: (body) => http.post(`${BASE}/overrides`, body),
  removeOverride: (day) => http.delete(`${BASE}/overrides/${encodeURIComponent(day)}`),
};
