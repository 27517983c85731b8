// Display screen (电子显示屏): 亮标准、亮身份、亮承诺 for a window (?window=<id>) or a unit (?unit=<id>).
// Public and read-only. Pages rotate by themselves; the data is fetched again every REFRESH_MS and the
// screen changes as soon as it does, with no manual reload.
"use strict";
const params = new URLSearchParams(location.search);
const WINDOW_ID = params.get("window");
const UNIT_ID = params.get("unit");
const ROTATE_MS = Number(params.get("rotate_ms") || 10000);
const REFRESH_MS = Number(params.get("refresh_ms") || 15000);
const PER_PAGE = 4;
const AREAS = {study: "带头学习提高", achievement: "带头争创佳绩", serving_masses: "带头服务群众",
  discipline: "带头遵纪守法", upright_spirit: "带头弘扬正气"};
let pages = [];
let current = 0;
let fingerprint = "";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function get(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function buildPages(win, wall) {
  const built = [];
  if (win) {
    const standards = el("section");
    standards.append(el("h2", "亮标准 · 服务标准"));
    standards.append(el("p", `服务事项：${win.standards.items.join("、") || "—"}`));
    standards.append(el("p", `工作流程：${win.standards.workflow || "—"}`));
    standards.append(el("p", `办结时限：${win.standards.time_limit || "—"}`));
    built.push(standards);
    const identity = el("section");
    identity.append(el("h2", "亮身份 · 今日当班"));
    for (const person of win.on_duty) {
      const span = el("span", person.name, "person");
      if (person.party_member) span.append(el("span", "共产党员", "badge"));
      identity.append(span);
    }
    if (!win.on_duty.length) identity.append(el("p", "—"));
    built.push(identity);
  }
  for (let i = 0; i < Math.max(wall.items.length, 1); i += PER_PAGE) {
    const page = el("section");
    page.append(el("h2", "亮承诺 · 党员承诺"));
    for (const pledge of wall.items.slice(i, i + PER_PAGE)) {
      const box = el("div", undefined, "pledge");
      box.append(el("p", pledge.title));
      box.append(el("p", `${pledge.pledger_name} · ${pledge.unit_name} · ${pledge.areas.map((a) => AREAS[a] || a).join("、")}`, "who"));
      page.append(box);
    }
    if (!wall.items.length) page.append(el("p", "暂无公开承诺"));
    built.push(page);
  }
  return built;
}

function render() {
  if (!pages.length) return;
  current %= pages.length;
  document.getElementById("page").replaceChildren(pages[current]);
  document.getElementById("dots").textContent = pages.map((_, i) => (i === current ? "●" : "○")).join(" ");
}

async function refresh() {
  try {
    const win = WINDOW_ID ? await get(`/api/directory/windows/${WINDOW_ID}/public`) : null;
    const place = WINDOW_ID ? `window_id=${WINDOW_ID}` : `unit_id=${UNIT_ID}`;
    const wall = await get(`/api/pledges/wall?${place}&limit=100`);
    const next = JSON.stringify([win, wall]);
    if (next === fingerprint) return;
    fingerprint = next;
    if (win) document.getElementById("title").textContent = `${win.name} · ${win.unit_name}`;
    else if (wall.items.length) document.getElementById("title").textContent = `${wall.items[0].unit_name} · 亮承诺`;
    pages = buildPages(win, wall);
    render();
  } catch (e) {
    // Keep showing what we have; the next refresh tries again.
  }
}

setInterval(() => { current += 1; render(); }, ROTATE_MS);
setInterval(refresh, REFRESH_MS);
setInterval(() => { document.getElementById("clock").textContent = new Date().toLocaleString("zh-CN", {timeZone: "Asia/Shanghai"}); }, 1000);
refresh();
