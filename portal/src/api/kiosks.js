// 评价器: counter kiosks paired to one window (gateway, /api/directory/kiosks; 组织部 and ops). A new device's
// credential is in the answer to its registration only: it is shown once.
import { http } from "./client";

export const kiosks = {
  /** window_id, limit, offset */
  list: (params) => http.get("/api/directory/kiosks", params),
  /** {window_id, name} → the device with its credential */
  register: (body) => http.post("/api/directory/kiosks", body),
  revoke: (id) => http.post(`/api/directory/kiosks/${encodeURIComponent(id)}/revoke`),
};
