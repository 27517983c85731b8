// The printed forms (gateway /api/forms, 印制表单): a form as PDF or DOCX, and the organisation's templates of them.
import { http, query } from "./client";

const BASE = "/api/forms";
const versions = (kind) => `${BASE}/templates/${encodeURIComponent(kind)}/versions`;

export const forms = {
  /** Saves the form (`kind`: pledge-letter, desk-plate, name-card, member-review, grading-application,
   * grading-result, rectification-plan) under the Chinese name the gateway gives it. `ids`: what it asks for. */
  download: (kind, ids, format = "pdf") => http.download(`${BASE}/${encodeURIComponent(kind)}${query({ ...ids, format })}`),
  /** {items: [{code, zh, en, asks, fields, active_version}]} (组织部) */
  kinds: () => http.get(`${BASE}/kinds`),
  versions: (kind, params) => http.get(versions(kind), params),
  upload: (kind, file) => http.upload(versions(kind), file),
  /** version 0: the suite's default */
  activate: (kind, version) => http.post(`${versions(kind)}/${version}/activate`),
  downloadTemplate: (kind, version) => http.download(`${versions(kind)}/${version}/file`),
  /** page 1 printed with sample data, as a PNG Blob */
  preview: (kind, version) => http.blob(`${versions(kind)}/${version}/preview`),
};

// The year's archive of a unit (年度归档): made in the background, polled for its progress, downloaded when ready.
export const archives = {
  /** {unit_id, year} → {id, state: queued|running|ready|failed, done, total, …} */
  request: (body) => http.post(`${BASE}/archives`, body),
  list: (params) => http.get(`${BASE}/archives`, params),
  get: (id) => http.get(`${BASE}/archives/${encodeURIComponent(id)}`),
  download: (id) => http.download(`${BASE}/archives/${encodeURIComponent(id)}/file`),
};
