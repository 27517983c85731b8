// Counter kiosk (评价器): runs unattended, keeps every press until the server has it.
//
// Every press becomes a rating with its own client id in localStorage; a sender posts what is
// waiting in batches and forgets an item only when the server has answered for it (accepted,
// duplicate or rejected). So a rating pressed while the network, the gateway or the evaluation
// service is down is sent later, and a batch sent twice counts once.
//
// Abuse filter (documented, configurable with ?repeat_ms=): the same button pressed again within
// REPEAT_MS of the last counted press of that button is ignored. Default 1000 ms.
"use strict";
const params = new URLSearchParams(location.search);
const REPEAT_MS = Number(params.get("repeat_ms") || 1000);
const THANKS_MS = Number(params.get("thanks_ms") || 3000);
const SEND_EVERY_MS = Number(params.get("send_ms") || 2000);
const BATCH = 100;
const QUEUE_KEY = "pacesetter.kiosk.queue";
const CREDENTIAL_KEY = "pacesetter.kiosk.credential";
const LEVELS = [[5, "非常满意"], [4, "满意"], [3, "基本满意"], [2, "不满意"], [1, "非常不满意"]];
const $ = (id) => document.getElementById(id);
let tagSet = null;
let lastPress = {};
let chosen = null;
let sending = false;

const credential = () => localStorage.getItem(CREDENTIAL_KEY);
const queue = () => JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
const saveQueue = (items) => { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); showPending(); };

function show(id) {
  for (const section of ["pair", "idle", "reasons", "thanks"]) $(section).hidden = section !== id;
}

function showPending() {
  const n = queue().length;
  $("pending").hidden = n === 0;
  $("pending").textContent = `待发送 ${n}`;
}

async function call(method, path, body) {
  const response = await fetch(path, {method, headers: {"Content-Type": "application/json",
    Authorization: "Kiosk " + credential()}, body: body ? JSON.stringify(body) : undefined});
  if (response.status === 401) { const e = new Error("unpaired"); e.unpaired = true; throw e; }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

function record(level, reasons) {
  saveQueue([...queue(), {client_id: newId(), level, reasons, rated_at: new Date().toISOString(),
    tag_set_version: tagSet ? tagSet.version : undefined}]);
  show("thanks");
  setTimeout(() => show("idle"), THANKS_MS);
  send();
}

function press(level) {
  const now = Date.now();
  if (now - (lastPress[level] || 0) < REPEAT_MS) return;  // the abuse filter
  lastPress[level] = now;
  // The tag set groups its tags (praise, complaint) and says which group each level offers.
  const group = tagSet && (tagSet.levels.find((l) => l.level === level) || {}).tag_group;
  const reasons = group && tagSet.tags[group];
  if (level <= 2 && reasons && reasons.length) {
    chosen = {level, reasons: new Set()};
    $("reason-tags").replaceChildren(...reasons.map((tag) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = tag; b.setAttribute("aria-pressed", "false");
      b.onclick = () => {
        const on = !chosen.reasons.has(tag);
        on ? chosen.reasons.add(tag) : chosen.reasons.delete(tag);
        b.setAttribute("aria-pressed", String(on));
      };
      return b;
    }));
    show("reasons");
    return;
  }
  record(level, []);
}

async function send() {
  if (sending || !credential()) return;
  const waiting = queue();
  if (!waiting.length) return;
  sending = true;
  try {
    const batch = waiting.slice(0, BATCH);
    const answer = await call("POST", "/api/ratings/batch", {ratings: batch});
    const settled = new Set(answer.items.map((item) => item.client_id));
    saveQueue(queue().filter((item) => !settled.has(item.client_id)));
  } catch (e) {
    if (e.unpaired) { localStorage.removeItem(CREDENTIAL_KEY); show("pair"); }
    // Otherwise the network or a service is away: everything stays queued for the next try.
  } finally { sending = false; }
}

function showWindow(win) {
  $("window-name").textContent = win.name;
  $("window-unit").textContent = `${win.unit_name}${win.location ? " · " + win.location : ""}`;
  $("on-duty").replaceChildren(...win.on_duty.map((p) => {
    const span = document.createElement("span");
    span.textContent = p.name + " ";
    if (p.party_member) { const b = document.createElement("span"); b.className = "badge"; b.textContent = "共产党员"; span.append(b); }
    return span;
  }));
}

async function load() {
  const win = await call("GET", "/api/directory/kiosks/me");
  showWindow(win);
  try { tagSet = await call("GET", "/api/ratings/tags"); localStorage.setItem("pacesetter.kiosk.tags", JSON.stringify(tagSet)); }
  catch (e) { tagSet = JSON.parse(localStorage.getItem("pacesetter.kiosk.tags") || "null"); }
  localStorage.setItem("pacesetter.kiosk.window", JSON.stringify(win));
}

async function start() {
  if (!credential()) { show("pair"); return; }
  try { await load(); }
  catch (e) {
    if (e.unpaired) { localStorage.removeItem(CREDENTIAL_KEY); show("pair"); return; }
    const cached = JSON.parse(localStorage.getItem("pacesetter.kiosk.window") || "null");
    if (cached) showWindow(cached);
    tagSet = JSON.parse(localStorage.getItem("pacesetter.kiosk.tags") || "null");
    setTimeout(start, 5000);  // offline at boot: rate anyway, learn the window when it is back
  }
  show("idle");
}

$("levels").replaceChildren(...LEVELS.map(([level, label]) => {
  const b = document.createElement("button");
  b.type = "button"; b.className = `l${level}`; b.textContent = label; b.dataset.level = level;
  b.onclick = () => press(level);
  return b;
}));
$("reasons-done").onclick = () => { record(chosen.level, [...chosen.reasons]); chosen = null; };
$("pair-form").onsubmit = async (event) => {
  event.preventDefault();
  localStorage.setItem(CREDENTIAL_KEY, new FormData(event.target).get("credential").trim());
  try { await load(); show("idle"); $("pair-error").textContent = ""; }
  catch (e) { $("pair-error").textContent = e.unpaired ? "凭证无效或已被吊销" : "暂时无法连接，请稍后再试"; if (e.unpaired) localStorage.removeItem(CREDENTIAL_KEY); }
};
setInterval(send, SEND_EVERY_MS);
showPending();
start();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/kiosk-sw.js").catch(() => {});
