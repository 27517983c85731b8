// The organisation directory (gateway /api/directory): units 党委→党总支→党支部→党小组, people with their roles,
// service windows and posts, a branch's members and their exemptions (免于承诺), and the roster import.
import { http } from "./client";

const BASE = "/api/directory";
const ALL_PAGE = 500; // the directory's largest page

/** Every page of a list, one after another until `total` is reached (never a silent cap). */
export async function fetchAll(loader, limit = ALL_PAGE) {
  const items = [];
  for (let offset = 0; ; offset += limit) {
    const page = await loader({ limit, offset });
    items.push(...(page.items || []));
    const total = typeof page.total === "number" ? page.total : items.length;
    if (!page.items || !page.items.length || items.length >= total) return { items, total };
  }
}

export const units = {
  list: (params) => http.get(`${BASE}/units`, params),
  /** The whole organisation tree as a flat list (every page of it). */
  all: () => fetchAll((paging) => http.get(`${BASE}/units`, paging)),
  get: (id) => http.get(`${BASE}/units/${id}`),
  /** What anyone may read of a unit (its name), asked as no one: the masses' suggestion box. */
  public: (id) => http.get(`${BASE}/units/${encodeURIComponent(id)}/public`, undefined, { anonymous: true }),
  create: (body) => http.post(`${BASE}/units`, body),
  update: (id, body) => http.patch(`${BASE}/units/${id}`, body),
  /** A branch's people for its secretaries, with their exemptions: {unit_id, q, category, limit, offset}. */
  members: (id, params) => http.get(`${BASE}/units/${id}/members`, params),
};

export const persons = {
  /** {unit_id, include_below, role (one or several), active, q, limit, offset} → {items, total}. */
  list: (params) => http.get(`${BASE}/persons`, params),
  get: (id) => http.get(`${BASE}/persons/${id}`),
  create: (body) => http.post(`${BASE}/persons`, body),
  update: (id, body) => http.patch(`${BASE}/persons/${id}`, body),
  /** Replaces the person's exemptions from pledging: [{year, reason}]. */
  setExemptions: (id, exemptions) => http.put(`${BASE}/persons/${id}/exemptions`, { exemptions }),
};

export const windows = {
  /** {unit_id, include_below, limit, offset} → {items, total}. */
  list: (params) => http.get(`${BASE}/windows`, params),
  get: (id) => http.get(`${BASE}/windows/${id}`),
  /** 亮标准、亮身份: what anyone may read of a window (name, unit, standards, on duty), asked as no one. */
  public: (id) => http.get(`${BASE}/windows/${encodeURIComponent(id)}/public`, undefined, { anonymous: true }),
  create: (body) => http.post(`${BASE}/windows`, body),
  update: (id, body) => http.patch(`${BASE}/windows/${id}`, body),
};

/** The roster (people or units) from CSV or XLSX: a dry run lists every bad row; otherwise all rows or none. */
export const roster = {
  import: (kind, file, dryRun) => http.upload(`${BASE}/imports?kind=${kind}&dry_run=${dryRun}`, file),
};
