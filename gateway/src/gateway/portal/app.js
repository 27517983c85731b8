// The portal's shell: login, header, nav, hash routing, and the page contract.
//
// Plain browser ES modules, no build step and no CDN (campus intranets are often offline).
// Routing: `#/<page id>`. The nav lists `pages/index.js` (`export default [ ...page modules ]`).
//
// A page module:
//   export default {
//     id: "my-pledges", title: {zh: "我的承诺", en: "My pledges"},
//     roles: [],            // [] = every logged-in user; else any of these roles from /api/auth/me roles[].role
//     async render(el, ctx) { ... },   // el is the empty <main> region; the page fills it
//   }
// ctx:
//   api(method, path, body)   → parsed JSON (null for 204), or throws ApiError {status, code, message, details}
//                               (status 0 = network error). A 401 refreshes the token once, then logs out.
//                               Every write (POST/PUT/PATCH/DELETE) carries an Idempotency-Key: one per user action,
//                               the same again when that action is repeated in flight or after a network error.
//   upload(path, file|FormData) POSTs multipart (a File goes as the field "file") with the session, the
//                               Idempotency-Key and the errors of api().
//   download(path, filename)  authenticated file download (e.g. the ledger as XLSX)
//   t(zh, en)                 the string in the current language;  lang: "zh" | "en"
//   me                        the /api/auth/me body
//   param                     what follows the page id in the address (#/evaluations/<round id>), or null
//   panel(el, {zh, en}, async (body) => {...})
//                             appends a titled <section class="panel"> to el and runs the loader on its body;
//                             a 502/503/504 or network error shows "该服务暂不可用，请稍后再试" with a retry
//                             button in THAT panel only; other errors show their message there.
//                             Returns {section, body, reload(), ready} (ready: the first load's promise);
//                             each run draws into a fresh body, so overlapping reloads leave one copy.
//   showFieldErrors(form, apiError)  each message of error.details next to the input of that name
//                             (aria-describedby), the general message at the top of the form;
//                             clearFieldErrors(form) removes them.
//   navigate(id), refreshUnread()  (id may carry a param: navigate("evaluations/<round id>"))
//   h(tag, attrs, ...children) builds elements; strings become text nodes (never innerHTML with data).
// All user text goes in with textContent. Also exported for pages: ApiError, t, h, roleName, and
// pageForLink(path, kind) — the page a notice's link (/pledges/<id>, /evaluations/<id>, …) belongs to.
import pages from "./pages/index.js";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status; this.code = code; this.details = details || {};
  }
}

const LANG_KEY = "pacesetter.lang";
const SESSION_KEY = "pacesetter.session";
let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
let session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");  // {access, refresh, expiresAt}
let me = null;
let refreshTimer = null;
let refreshing = null;
let unreadTimer = null;

export const t = (zh, en) => (lang === "en" ? en : zh);

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const $ = (id) => document.getElementById(id);

function saveSession(tokens) {
  session = {access: tokens.access_token, refresh: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in || 600) * 1000};
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  scheduleRefresh();
}

function clearSession() {
  session = null; me = null;
  sessionStorage.removeItem(SESSION_KEY);
  clearTimeout(refreshTimer); clearInterval(unreadTimer);
}

// Rotate the access token a minute before it expires, so a page left open keeps working.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  const wait = Math.max(5000, session.expiresAt - Date.now() - 60000);
  refreshTimer = setTimeout(() => refreshTokens().catch(() => {}), wait);
}

function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const response = await fetch("/api/auth/refresh", {method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({refresh_token: session && session.refresh})});
      if (!response.ok) throw new ApiError(response.status, "unauthorized", "session ended");
      saveSession(await response.json());
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

// A FormData body goes as multipart (the browser sets its boundary); anything else as JSON.
async function request(method, path, body, key, retried) {
  const multipart = body instanceof FormData;
  let response;
  try {
    response = await fetch(path, {method, headers: {Accept: "application/json",
      ...(body !== undefined && !multipart ? {"Content-Type": "application/json"} : {}),
      ...(key ? {"Idempotency-Key": key} : {}),
      ...(session ? {Authorization: "Bearer " + session.access} : {})},
    body: body === undefined || multipart ? body : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, "network_error", t("网络连接失败", "The network is unreachable"));
  }
  if (response.status === 401 && session && !retried && !/^\/api\/auth\/(login|refresh|logout)/.test(path)) {
    try { await refreshTokens(); } catch (e) { expired(); throw new ApiError(401, "unauthorized", t("登录已过期", "Session expired")); }
    return request(method, path, body, key, true);
  }
  return response;
}

// The services keep a write's first outcome under its Idempotency-Key, so one user action must keep one key:
// the same request sent again while the first is on its way (a double click) or after it was lost (a network
// error, or a gateway that could not hear the service out: the write may have happened) takes the same key and
// counts once. Once a service has answered, the same request again is a new action with a fresh key.
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const UNANSWERED = [0, 502, 503, 504];
const actions = new Map();  // the request's signature → {key, sending, answered}

// crypto.randomUUID needs a secure context; a campus intranet often serves the portal over plain http.
function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function signature(method, path, body) {
  const content = body instanceof FormData ? [...body.entries()].map(([name, value]) =>
    [name, value instanceof File ? [value.name, value.size, value.lastModified, value.type] : value]) : body;
  return `${method} ${path} ${JSON.stringify(content === undefined ? null : content)}`;
}

function startAction(method, path, body) {
  if (!WRITES.has(method) || path.startsWith("/api/auth/")) return null;
  const sig = signature(method, path, body);
  const action = actions.get(sig) || {sig, key: newKey(), sending: 0, answered: false};
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

async function api(method, path, body) {
  const action = startAction(method, path, body);
  let response;
  try {
    response = await request(method, path, body, action && action.key);
  } catch (e) {
    endAction(action, e.status || 0);
    throw e;
  }
  endAction(action, response.status);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith("/api/auth/login")) expired();
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText || String(response.status),
      error.details);
  }
  return data;
}

function upload(path, file) {
  let body = file;
  if (!(file instanceof FormData)) {
    body = new FormData();
    body.append("file", file, file.name);
  }
  return api("POST", path, body);
}

async function download(path, filename) {
  const response = await request("GET", path);
  if (!response.ok) {
    let error = {};
    try { error = (await response.json()).error || {}; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText, error.details);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", {href: url, download: filename, hidden: true});
  document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function expired() {
  if (!session) return;
  clearSession();
  showLogin(t("登录已过期，请重新登录", "Your session has ended; please log in again"));
}

const UNAVAILABLE = () => t("该服务暂不可用，请稍后再试", "This service is unavailable, try again later");
const isUnavailable = (e) => e instanceof ApiError ? [0, 502, 503, 504].includes(e.status) : e instanceof TypeError;

function panel(el, title, loader) {
  const section = h("section", {class: "panel"}, h("h2", {}, t(title.zh, title.en)), h("div", {class: "panel-body"}));
  el.append(section);
  const handle = {section, body: section.lastChild, reload: run};
  let latest = 0;
  // Each run draws into a fresh body, so a reload started while another is loading leaves one copy only.
  async function run() {
    const mine = ++latest;
    const body = h("div", {class: "panel-body"});
    handle.body.replaceWith(body);
    handle.body = body;
    section.classList.remove("unavailable");
    section.setAttribute("aria-busy", "true");
    try {
      await loader(body);
    } catch (e) {
      if (mine !== latest) return;
      if (isUnavailable(e)) {
        section.classList.add("unavailable");
        body.replaceChildren(h("p", {class: "unavailable-message", role: "alert"}, UNAVAILABLE()),
          h("button", {type: "button", class: "retry", onclick: run}, t("重试", "Retry")));
      } else {
        body.replaceChildren(h("p", {class: "error", role: "alert"}, e.message || String(e)));
        if (e.status === undefined) console.error(e);
      }
    } finally {
      if (mine === latest) section.removeAttribute("aria-busy");
    }
  }
  handle.ready = run();
  return handle;
}

function clearFieldErrors(form) {
  form.querySelectorAll(".field-error, .form-error").forEach((n) => n.remove());
  form.querySelectorAll("[aria-invalid]").forEach((n) => { n.removeAttribute("aria-invalid"); n.removeAttribute("aria-describedby"); });
}

// error.details may be {field: [msgs]} or nested {field: {index: [msgs]}}; flatten to text per field.
function flatten(value) {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flatten);
  return Object.values(value).flatMap(flatten);
}

let errorSeq = 0;
function showFieldErrors(form, error) {
  clearFieldErrors(form);
  const details = (error && error.details && typeof error.details === "object") ? error.details : {};
  const unplaced = [];
  for (const [name, messages] of Object.entries(details)) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const text = flatten(messages).join("；");
    if (!input) { unplaced.push(`${name}: ${text}`); continue; }
    const id = `field-error-${++errorSeq}`;
    const note = h("span", {class: "field-error", id, role: "alert"}, text);
    // a group of boxes gets one message after its fieldset; any other input right after its label
    const group = ["checkbox", "radio"].includes(input.type) && input.closest("fieldset");
    const anchor = group || input.closest("label") || input;
    anchor.after(note);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }
  const general = [isUnavailable(error) ? UNAVAILABLE() : (error && error.message) || String(error), ...unplaced].join(" ");
  form.prepend(h("p", {class: "form-error error", role: "alert"}, general));
}

const ROLE_NAMES = {member: ["党员", "Member"], branch_secretary: ["支部书记", "Branch secretary"],
  general_branch_secretary: ["党总支书记", "General-branch secretary"], org_department: ["党委组织部", "Organisation department"],
  ops_admin: ["运维管理员", "Ops admin"]};
export const roleName = (role) => (ROLE_NAMES[role] ? t(...ROLE_NAMES[role]) : role);

// A notice's link is a portal path (/pledges/<id>, /evaluations/<id>, /grading/<id>, /windows/<id>,
// /feedback/<case id>, /pledges?status=overdue): the page of mine it belongs to, the first of the candidates I
// may open. A bad rating's case is followed up on the windows' page, which is given the case to show.
export function pageForLink(link, kind) {
  const path = String(link || "");
  const candidates = /^\/pledges.*status=overdue/.test(path) ? ["ledger", "my-pledges"]
    : path.startsWith("/pledges") ? (kind === "task" ? ["review", "my-pledges"] : ["my-pledges", "ledger"])
      : path.startsWith("/evaluations") ? (kind === "result" ? ["my-results", "evaluations"] : ["evaluations", "leader-comments", "my-results"])
        : path.startsWith("/grading") ? ["branch-grading", "gb-grading", "org-grading", "dashboards"]
          : path.startsWith("/windows") ? ["branch-windows", "org-kiosks"]
            : path.startsWith("/feedback") ? ["branch-windows"] : [];
  const mine = new Set(visiblePages().map((p) => p.id));
  const page = candidates.find((id) => mine.has(id)) || null;
  const followUp = path.match(/^\/feedback\/([\w-]+)/);
  return page && followUp ? `${page}/${followUp[1]}` : page;
}

// An evaluation's link means "rate it" while the round is open — the page then opens that round, which is how
// the masses, asked by no list, reach it — and "see the result" once it is closed.
async function pageForArrival(path) {
  const round = path.match(/^\/evaluations\/([\w-]+)/);
  if (round) {
    try {
      const found = await api("GET", `/api/evaluations/rounds/${round[1]}`);
      if (found.state !== "open") return pageForLink(path, "result");
      const page = pageForLink(path, "task");
      return page && `${page}/${round[1]}`;
    } catch (e) { /* not mine or gone: the general answer below */ }
  }
  return pageForLink(path);
}

const myRoles = () => new Set((me && me.roles || []).map((r) => r.role));
const visiblePages = () => pages.filter((p) => !p.roles || !p.roles.length || p.roles.some((r) => myRoles().has(r)));

function currentId() {
  const match = location.hash.match(/^#\/([\w-]+)/);
  return match ? match[1] : null;
}

function currentParam() {
  const match = location.hash.match(/^#\/[\w-]+\/([^/?#]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

function navigate(id) {
  if (currentId() === id) route(); else location.hash = `#/${id}`;
}

async function refreshUnread() {
  if (!session) return;
  try {
    const body = await api("GET", "/api/notifications/unread-count");
    const count = body.count ?? body.unread ?? 0;
    $("unread").textContent = String(count);
    $("unread-link").setAttribute("aria-label", t(`未读通知 ${count} 条`, `${count} unread notices`));
  } catch (e) {
    $("unread").textContent = "–";
  }
}

const ctx = () => ({api, upload, download, t, lang, me, param: currentParam(), panel, showFieldErrors, clearFieldErrors,
  navigate, refreshUnread, h});

// Static shell text carries both languages in data-zh / data-en.
function applyLanguage() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of document.querySelectorAll("[data-en]")) {
    if (!el.dataset.zh) el.dataset.zh = el.textContent;
    el.textContent = lang === "en" ? el.dataset.en : el.dataset.zh;
  }
  for (const el of document.querySelectorAll("[data-placeholder-en]")) {
    if (!el.dataset.placeholderZh) el.dataset.placeholderZh = el.placeholder;
    el.placeholder = lang === "en" ? el.dataset.placeholderEn : el.dataset.placeholderZh;
  }
  $("lang").textContent = lang === "en" ? "中文" : "English";
  $("lang").lang = lang === "en" ? "zh-CN" : "en";
  $("lang").setAttribute("aria-label", lang === "en" ? "切换到中文" : "Switch to English");
  document.title = t("创先争优长效机制平台 · Pacesetter", "Pacesetter · Create excellence");
}

function renderHeader() {
  $("me-name").textContent = me.name;
  const roles = [...myRoles()].filter((r) => r !== "member" || myRoles().size === 1);
  $("me-role").textContent = roles.map(roleName).join("、") || roleName("member");
  const nav = $("nav-list");
  nav.replaceChildren(...visiblePages().map((p) => h("li", {},
    h("a", {href: `#/${p.id}`, dataset: {page: p.id}}, t(p.title.zh, p.title.en)))));
}

let renderSeq = 0;
async function route() {
  if (!session || !me) return;
  const visible = visiblePages();
  const page = visible.find((p) => p.id === currentId());
  if (!page) { if (visible.length) { location.replace(`#/${visible[0].id}`); if (currentId() === visible[0].id) route(); } return; }
  for (const link of document.querySelectorAll("#nav-list a")) {
    if (link.dataset.page === page.id) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  document.body.classList.remove("nav-open");
  $("nav-toggle").setAttribute("aria-expanded", "false");
  const seq = ++renderSeq;
  refreshUnread();
  const view = $("view");
  const fresh = h("div", {id: "page", dataset: {page: page.id}});
  fresh.append(h("h1", {class: "page-title", tabindex: "-1"}, t(page.title.zh, page.title.en)));
  view.replaceChildren(fresh);
  try {
    await page.render(fresh, ctx());
  } catch (e) {
    if (seq === renderSeq) fresh.append(h("p", {class: "error", role: "alert"}, isUnavailable(e) ? UNAVAILABLE() : e.message));
  }
}

function showLogin(message) {
  $("login-box").hidden = false; $("shell").hidden = true; $("who").hidden = true;
  $("login-error").textContent = message || "";
  $("login").querySelector("input[name=username]").focus();
}

async function enter() {
  try {
    me = await api("GET", "/api/auth/me");
  } catch (e) {
    clearSession();
    showLogin(e.status === 401 ? "" : (isUnavailable(e) ? UNAVAILABLE() : e.message));
    return;
  }
  $("login-box").hidden = true; $("shell").hidden = false; $("who").hidden = false;
  if (location.pathname !== "/") {  // arrived by a notice's link (e.g. from an e-mail)
    history.replaceState(null, "", `/#/${await pageForArrival(location.pathname + location.search) || ""}`);
  }
  renderHeader();
  refreshUnread();
  clearInterval(unreadTimer);
  unreadTimer = setInterval(refreshUnread, 30000);
  scheduleRefresh();
  await route();
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const data = new FormData(form);
  $("login-error").textContent = "";
  try {
    const tokens = await api("POST", "/api/auth/login", {username: data.get("username"), password: data.get("password")});
    saveSession(tokens);
    form.reset();
    await enter();
  } catch (e) {
    $("login-error").textContent = e.status === 401 ? t("用户名或密码错误", "Wrong user name or password")
      : (isUnavailable(e) ? UNAVAILABLE() : e.message);
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("POST", "/api/auth/logout"); } catch (e) { /* the session ends here either way */ }
  clearSession();
  history.replaceState(null, "", location.pathname);
  $("view").replaceChildren();
  showLogin("");
});

$("lang").addEventListener("click", () => {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem(LANG_KEY, lang);
  applyLanguage();
  if (me) { renderHeader(); refreshUnread(); route(); }
});

$("nav-toggle").addEventListener("click", () => {
  const open = document.body.classList.toggle("nav-open");
  $("nav-toggle").setAttribute("aria-expanded", String(open));
});

window.addEventListener("hashchange", route);
window.addEventListener("pacesetter:unread", refreshUnread);

applyLanguage();
if (session) enter(); else showLogin("");
