// My inbox (notification-service /api/notifications): notices grouped by what they are about, one group's
// notices a page at a time, reading them, and my notification preferences.
import { http } from "./client";

const BASE = "/api/notifications";

export const notifications = {
  /** {read, kind, sort, limit, offset} → {items: groups, total, unread}. */
  groups: (params) => http.get(`${BASE}/groups`, params),
  /** {group, read, kind, sort, limit, offset} → {items: notices, total, unread}. */
  list: (params) => http.get(BASE, params),
  unreadCount: () => http.get(`${BASE}/unread-count`),
  read: (id) => http.post(`${BASE}/${id}/read`),
  readAll: () => http.post(`${BASE}/read-all`),
  preferences: () => http.get(`${BASE}/preferences`),
  /** {channels: {kind: [channel]}, quiet_hours: {start, end} | null, daily_digest} replaces them whole. */
  savePreferences: (body) => http.put(`${BASE}/preferences`, body),
};
