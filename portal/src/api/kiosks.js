// 评价器: counter kiosks paired to one window (gateway, /api/directory/kiosks; 组织部 and ops). A new device's
// credential is in the answer to its registration only: it is shown once.
import { http } from "./client";

export const kiosks = {
  /** window_id, limit, offset */
  list: (params) => http.get("/api/directory/kiosks", params),
  /** {window_id, name} → the device with its credential */
  register: (body) => http.post("/api/directory/kiosks", body),
  revoke: (id) => http.post(`/api/directory/kiosks/${encodeURIComponent(id)}/revoke`),
  /** 设备配对 (RFC 8628): what kind of device waits with the code a device shows → {user_code, kind, expires_at} */
  pairing: (code) => http.get(`/api/devices/pairings/${encodeURIComponent(code)}`),
  /** Confirm the code: {name, window_id} for a kiosk, {name, window_id | unit_id} for a display → the device */
  approve: (code, body) => http.post(`/api/devices/pairings/${encodeURIComponent(code)}/approve`, body),
};
