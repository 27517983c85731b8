// The one HTTP client every API module goes through. It adds the access token, Accept-Language and, on a
// write, an Idempotency-Key; it rotates the token before it expires and once on a 401; and it turns the
// suite's one error shape ({"error": {"code", "message", "details"}}) into an ApiError.
import { currentLocale, translate } from "@/locales";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  /** The service (or the network) did not answer: the page says "unavailable" and offers a retry. */
  get unavailable() {
    return UNANSWERED.includes(this.status);
  }
}

const SESSION_KEY = "pacesetter.session";
const UNANSWERED = [0, 502, 503, 504];
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let session = readSession(); // {access, refresh, expiresAt}
let refreshTimer = null;
let refreshing = null;
let onExpired = () => {};

function readSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
  } catch {
    return null;
  }
}

export const hasSession = () => Boolean(session);

/** What to do when the session has ended for good (the store shows the login page). */
export function whenExpired(callback) {
  onExpired = callback;
}

export function saveSession(tokens) {
  session = {
    access: tokens.access_token,
    refresh: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in || 600) * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  scheduleRefresh();
}

export function clearSession() {
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
  clearTimeout(refreshTimer);
}

// Rotate the access token a minute before it expires, so a page left open keeps working.
export function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  const wait = Math.max(5000, session.expiresAt - Date.now() - 60000);
  refreshTimer = setTimeout(() => refreshTokens().catch(() => {}), wait);
}

function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept-Language": currentLocale() },
        body: JSON.stringify({ refresh_token: session && session.refresh }),
      });
      if (!response.ok) throw new ApiError(response.status, "unauthorized", translate("common.sessionEnded"));
      saveSession(await response.json());
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function expired() {
  if (!session) return;
  clearSession();
  onExpired();
}

const isAuthPath = (path) => /^\/api\/auth\/(login|refresh|logout)/.test(path);

// A FormData body goes as multipart (the browser sets its boundary); anything else as JSON. `anonymous`: the call
// goes without the access token, so the gateway takes it as from someone not logged in.
async function send(method, path, body, key, retried = false, anonymous = false) {
  const multipart = body instanceof FormData;
  const headers = { Accept: "application/json", "Accept-Language": currentLocale() };
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  if (session && !anonymous) headers.Authorization = `Bearer ${session.access}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined || multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", translate("common.networkError"));
  }
  if (response.status === 401 && session && !anonymous && !retried && !isAuthPath(path)) {
    try {
      await refreshTokens();
    } catch {
      expired();
      throw new ApiError(401, "unauthorized", translate("common.sessionEnded"));
    }
    return send(method, path, body, key, true);
  }
  return response;
}

// The services keep a write's first outcome under its Idempotency-Key, so one user action keeps one key: the
// same request sent again while the first is on its way (a double click) or after it was lost (a network
// error, or a gateway that could not hear the service out: the write may have happened) takes the same key
// and counts once. Once a service has answered, the same request again is a new action with a fresh key.
const actions = new Map(); // the request's signature → {key, sending, answered}

// crypto.randomUUID needs a secure context; a campus intranet often serves the portal over plain http.
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signature(method, path, body) {
  const content =
    body instanceof FormData
      ? [...body.entries()].map(([name, value]) => [
          name,
          value instanceof File ? [value.name, value.size, value.lastModified, value.type] : value,
        ])
      : body;
  return `${method} ${path} ${JSON.stringify(content === undefined ? null : content)}`;
}

function startAction(method, path, body) {
  if (!WRITES.has(method) || path.startsWith("/api/auth/")) return null;
  const sig = signature(method, path, body);
  const action = actions.get(sig) || { sig, key: newKey(), sending: 0, answered: false };
  actions.set(sig, action);
  action.sending += 1;
  return action;
}

function endAction(action, status) {
  if (!action) return;
  action.sending -= 1;
  if (!UNANSWERED.includes(status)) action.answered = true;
  if (action.answered && !action.sending) actions.delete(action.sig);
}

async function errorOf(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const error = (data && data.error) || {};
  const message = UNANSWERED.includes(response.status)
    ? translate("common.unavailable")
    : error.message || response.statusText || String(response.status);
  return new ApiError(response.status, error.code || "http_error", message, error.details);
}

/** The query string of a params object: empty values are left out, arrays repeat the name. */
export function query(params = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(name, v));
    else search.append(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * One call. Options: `anonymous: true` sends it as one of the masses would, whoever is logged in in this browser:
 * no access token and no Idempotency-Key (a stored key, or the token, would tie what is sent to a person: the
 * suggestion box takes none on purpose), and a 401 does not end anyone's session.
 */
export async function request(method, path, body, { anonymous = false } = {}) {
  const action = anonymous ? null : startAction(method, path, body);
  let response;
  try {
    response = await send(method, path, body, action && action.key, false, anonymous);
  } catch (e) {
    endAction(action, e.status || 0);
    throw e;
  }
  endAction(action, response.status);
  if (!response.ok) {
    if (response.status === 401 && !anonymous && !isAuthPath(path)) expired();
    throw await errorOf(response);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The file name a Content-Disposition gives: its RFC 5987 filename* (a Chinese name) before its plain filename. */
export function filenameOf(disposition) {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition || "");
  return plain ? plain[1] : "download";
}

export const http = {
  get: (path, params, options) => request("GET", path + query(params), undefined, options),
  post: (path, body, options) => request("POST", path, body, options),
  put: (path, body) => request("PUT", path, body),
  patch: (path, body) => request("PATCH", path, body),
  delete: (path) => request("DELETE", path),
  /** POSTs a File (as the field "file") or a FormData as multipart. */
  upload(path, file) {
    let body = file;
    if (!(file instanceof FormData)) {
      body = new FormData();
      body.append("file", file, file.name);
    }
    return request("POST", path, body);
  },
  /** An authenticated file download (the ledger as XLSX, say), saved under `filename` (else the name the answer's
   * Content-Disposition gives). */
  async download(path, filename) {
    const response = await send("GET", path);
    if (!response.ok) throw await errorOf(response);
    filename = filename || filenameOf(response.headers.get("Content-Disposition"));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
  /** An authenticated file as a Blob (a picture to show, say). */
  async blob(path) {
    const response = await send("GET", path);
    if (!response.ok) throw await errorOf(response);
    return response.blob();
  },
};
