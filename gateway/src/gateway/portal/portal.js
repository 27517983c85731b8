// The first portal page: log in, make and submit a pledge, review, read notices.
// Plain JS on purpose: it needs no build step and no CDN (campus intranets are often offline).
"use strict";
const STATES = {draft: "草稿", submitted: "待审核", returned: "已退回", approved: "已审核", published: "已公开",
  overdue: "已逾期", fulfilled: "已践诺", evaluated: "已评议", closed: "已结束", withdrawn: "已撤回"};
let token = sessionStorage.getItem("token");
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const response = await fetch(path, {method, headers: {"Content-Type": "application/json",
    ...(token ? {Authorization: "Bearer " + token} : {})}, body: body ? JSON.stringify(body) : undefined});
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) { const e = new Error(data.error.message); e.details = data.error.details; e.status = response.status; throw e; }
  return data;
}

function item(text, extra) {
  const li = document.createElement("li");
  li.textContent = text;
  if (extra) li.append(...extra);
  return li;
}

function explain(error) {
  const details = error.details && Object.entries(error.details).map(([k, v]) => `${k}: ${[].concat(v).join("; ")}`);
  return details && details.length ? `${error.message}（${details.join("，")}）` : error.message;
}

async function refresh() {
  const me = await api("GET", "/api/auth/me");
  $("me").textContent = me.name;
  const reviewer = me.roles.some((r) => ["general_branch_secretary", "org_department"].includes(r.role));
  const kioskAdmin = me.roles.some((r) => ["org_department", "ops_admin"].includes(r.role));
  $("review-panel").hidden = !reviewer;
  $("kiosk-panel").hidden = !kioskAdmin;
  const jobs = [loadPledges(), loadInbox(), loadGuidance(me)];
  if (reviewer) jobs.push(loadReview());
  if (kioskAdmin) jobs.push(loadKiosks());
  await Promise.allSettled(jobs);
}

async function loadPledges() {
  const list = $("my-pledges");
  try {
    const page = await api("GET", "/api/pledges?scope=mine&limit=50");
    list.replaceChildren(...page.items.map((p) => {
      const state = document.createElement("span"); state.className = "state"; state.textContent = STATES[p.state] || p.state;
      return item(`${p.title}（${p.due_date}）`, [state, p.return_reason ? ` 退回原因：${p.return_reason}` : ""]);
    }));
  } catch (e) { list.replaceChildren(item(`承诺服务暂不可用：${e.message}`)); }
}

// 分类指导: the areas and themes suggested for the member's kind of department.
async function loadGuidance(me) {
  if (!me.unit_id) return;
  const unit = await api("GET", `/api/directory/units/${me.unit_id}`);
  const guidance = await api("GET", `/api/pledges/guidance/${unit.department_kind}`);
  $("guidance").hidden = false;
  $("guidance").textContent = `建议围绕：${guidance.themes_zh.join("、")}`;
  for (const box of document.querySelectorAll("input[name=areas]")) {
    box.parentElement.classList.toggle("suggested", guidance.areas.includes(box.value));
  }
}

async function loadReview() {
  const list = $("review");
  try {
    const page = await api("GET", "/api/pledges?scope=review&limit=50");
    list.replaceChildren(...page.items.map((p) => {
      const approve = document.createElement("button"); approve.textContent = "审核通过";
      approve.onclick = () => act(p.id, "approve");
      const back = document.createElement("button"); back.textContent = "退回";
      back.onclick = () => { const reason = prompt("退回原因"); if (reason) act(p.id, "return", reason); };
      return item(`${p.title}（${p.due_date}） `, [approve, " ", back]);
    }));
    if (!page.items.length) list.replaceChildren(item("暂无待审核承诺"));
  } catch (e) { list.replaceChildren(item(`承诺服务暂不可用：${e.message}`)); }
}

async function act(id, action, reason) {
  try { await api("POST", `/api/pledges/${id}/${action}`, {reason}); if (action === "approve") await api("POST", `/api/pledges/${id}/publish`, {}); }
  catch (e) { alert(explain(e)); }
  await refresh();
}

async function loadInbox() {
  const list = $("inbox");
  try {
    const page = await api("GET", "/api/notifications?limit=50");
    $("unread").textContent = page.unread;
    list.replaceChildren(...page.items.map((n) => {
      const li = item(`${n.title} — ${n.body}`);
      if (!n.read_at) { li.className = "unread"; li.onclick = async () => { await api("POST", `/api/notifications/${n.id}/read`); refresh(); }; }
      return li;
    }));
    if (!page.items.length) list.replaceChildren(item("暂无通知"));
  } catch (e) { list.replaceChildren(item(`通知服务暂不可用：${e.message}`)); }
}

$("login").onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const tokens = await api("POST", "/api/auth/login", {username: form.get("username"), password: form.get("password")});
    token = tokens.access_token; sessionStorage.setItem("token", token);
    show();
  } catch (e) { $("login-error").textContent = e.message; }
};

$("new-pledge").onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = {kind: form.get("kind"), title: form.get("title"), content: form.get("content"),
    areas: form.getAll("areas"), due_date: form.get("due_date"), submit: true};
  if (form.get("trigger")) body.trigger = form.get("trigger");
  try { await api("POST", "/api/pledges", body); event.target.reset(); $("pledge-error").textContent = ""; }
  catch (e) { $("pledge-error").textContent = explain(e); }
  await refresh();
};

async function loadKiosks() {
  const windows = (await api("GET", "/api/directory/windows?limit=500")).items;
  const names = Object.fromEntries(windows.map((w) => [w.id, w.name]));
  $("kiosk-window").replaceChildren(...windows.map((w) => { const o = document.createElement("option"); o.value = w.id; o.textContent = w.name; return o; }));
  const devices = (await api("GET", "/api/directory/kiosks?limit=500")).items;
  $("kiosks").replaceChildren(...devices.map((d) => {
    const state = document.createElement("span"); state.className = "state"; state.textContent = d.revoked_at ? "已吊销" : "在用";
    const extra = [state];
    if (!d.revoked_at) {
      const revoke = document.createElement("button"); revoke.textContent = "吊销";
      revoke.onclick = async () => { if (confirm(`吊销“${d.name}”？该设备将无法再提交评价。`)) { await api("POST", `/api/directory/kiosks/${d.id}/revoke`); loadKiosks(); } };
      extra.push(" ", revoke);
    }
    return item(`${d.name} — ${names[d.window_id] || d.window_id} `, extra);
  }));
}

$("new-kiosk").onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const device = await api("POST", "/api/directory/kiosks", {window_id: form.get("window_id"), name: form.get("name")});
    $("kiosk-credential").hidden = false;
    $("kiosk-credential").textContent = `设备凭证（只显示这一次，请在评价器 /kiosk 页面输入）：${device.credential}`;
    $("kiosk-error").textContent = "";
    event.target.reset();
    await loadKiosks();
  } catch (e) { $("kiosk-error").textContent = explain(e); }
};

$("read-all").onclick = async () => { await api("POST", "/api/notifications/read-all"); refresh(); };
$("logout").onclick = async () => { try { await api("POST", "/api/auth/logout"); } finally { token = null; sessionStorage.removeItem("token"); show(); } };

function show() {
  const inside = Boolean(token);
  $("login-box").hidden = inside; $("work").hidden = !inside; $("who").hidden = !inside;
  if (inside) refresh().catch(() => { token = null; sessionStorage.removeItem("token"); show(); });
}
show();
