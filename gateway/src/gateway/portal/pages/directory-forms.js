// 组织与人员 by hand (党委组织部): the lists of units, people and service windows, each with a form that
// creates a new entry or, after 编辑 on a row, changes that one. The directory API checks everything
// (a unit's place in the tree, where each role is held, who may be on a window's duty) and its messages
// show beside the field concerned. Used by org-directory.js beside its roster import.
import {roleName} from "../app.js";

const KINDS = {committee: ["党委", "Committee"], general_branch: ["党总支", "General branch"], branch: ["党支部", "Branch"],
  group: ["党小组", "Group"]};
const STATUS = {full: ["正式党员", "full member"], probationary: ["预备党员", "probationary"], none: ["群众", "non-member"]};
const DEPARTMENTS = {teaching: ["教学部门", "teaching"], administrative: ["机关管理部门", "administrative"], other: ["其他", "other"]};
const CATEGORIES = {member: ["党员/教职工", "member or staff"], leader: ["领导干部", "leader"], masses: ["群众", "the masses"]};
const WINDOW_KINDS = {window: ["服务窗口", "service window"], vanguard_post: ["党员先锋岗", "vanguard post"],
  responsibility_area: ["党员责任区", "responsibility area"]};
// The kind of unit each kind sits under, and the kind each role is held on (the directory's own rules).
const PARENT_KIND = {committee: null, general_branch: "committee", branch: "general_branch", group: "branch"};
const ROLE_UNIT = {member: "branch", branch_secretary: "branch", general_branch_secretary: "general_branch",
  org_department: "committee", ops_admin: null};

const lines = (text) => String(text || "").split("\n").map((s) => s.trim()).filter(Boolean);

// What every form here shares: the fields, its title and status line, create vs edit, errors beside fields.
function editor(ctx, {id, noun, fields, onSubmit}) {
  const {t, h, showFieldErrors, clearFieldErrors} = ctx;
  const title = h("h3", {tabindex: "-1"});
  const cancel = h("button", {type: "button", class: "cancel", hidden: true}, t("取消编辑", "Cancel editing"));
  const submit = h("button", {type: "submit", class: "primary"});
  const form = h("form", {id, class: "org-form", novalidate: true}, title, fields, h("div", {class: "actions"}, submit, cancel));
  let editing = null;
  const state = {
    form,
    get editing() { return editing; },
    start(entry) {
      editing = entry || null;
      clearFieldErrors(form);
      form.reset();
      title.textContent = editing ? t(`编辑${noun[0]}：${editing.name}`, `Edit the ${noun[1]}: ${editing.name}`)
        : t(`新建${noun[0]}`, `New ${noun[1]}`);
      submit.textContent = editing ? t("保存修改", "Save changes") : t(`新建${noun[0]}`, `Create the ${noun[1]}`);
      cancel.hidden = !editing;
      form.querySelectorAll("[data-edit-only]").forEach((n) => { n.hidden = !editing; });
      form.querySelectorAll("[data-create-only]").forEach((n) => { n.hidden = Boolean(editing); });
    },
  };
  cancel.addEventListener("click", () => { state.start(null); title.focus(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    submit.disabled = true;
    try { await onSubmit(new FormData(form), editing); }
    catch (e) { showFieldErrors(form, e); }
    finally { submit.disabled = false; }
  });
  state.start(null);
  return state;
}

function options(h, t, table, selected) {
  // defaultSelected: form.reset() (a new entry) comes back to it
  return Object.entries(table).map(([value, words]) => h("option", {value, defaultSelected: value === selected}, t(...words)));
}

function editButton(h, t, name, onclick) {
  return h("button", {type: "button", class: "edit", onclick, style: "white-space: nowrap",
    "aria-label": t(`编辑 ${name}`, `Edit ${name}`)}, t("编辑", "Edit"));
}

// After a save the panel is drawn again; its status line says what was saved and the form's title takes the focus.
function saved(handle, note) {
  handle.note = note;
  return handle.reload();
}

function statusLine(h, handle) {
  const line = h("p", {class: "ok", role: "status"}, handle.note || "");
  handle.note = "";
  return line;
}

export function unitsPanel(el, ctx, onChange) {
  const {api, t, h, panel} = ctx;
  const word = (table, key) => (table[key] ? t(...table[key]) : key || "");
  const handle = panel(el, {zh: "组织机构", en: "Units"}, async (body) => {
    const items = (await api("GET", "/api/directory/units?limit=500")).items;
    const byId = Object.fromEntries(items.map((u) => [u.id, u]));
    const kind = h("select", {name: "kind"}, options(h, t, KINDS, "branch"));
    const parent = h("select", {name: "parent_id"});
    const parentLabel = h("label", {}, t("上级组织", "Parent"), parent);
    const fillParents = (unitKind, chosen) => {
      const wanted = PARENT_KIND[unitKind];
      parentLabel.hidden = !wanted;
      parent.replaceChildren(...items.filter((u) => u.kind === wanted && (u.active || u.id === chosen))
        .map((u) => h("option", {value: u.id, selected: u.id === chosen}, u.name)));
    };
    const form = editor(ctx, {id: "unit-form", noun: ["组织", "unit"],
      fields: [h("div", {class: "row"},
        h("label", {}, t("名称", "Name"), h("input", {name: "name", required: true, maxlength: "200"})),
        h("label", {}, t("类型", "Kind"), kind), parentLabel,
        h("label", {}, t("部门类型", "Department kind"), h("select", {name: "department_kind"}, options(h, t, DEPARTMENTS, "other"))),
        h("label", {class: "check", "data-edit-only": true}, h("input", {type: "checkbox", name: "active"}), " ", t("在用", "active")))],
      async onSubmit(data, editing) {
        const common = {name: data.get("name").trim(), department_kind: data.get("department_kind")};
        const unitKind = editing ? editing.kind : data.get("kind");
        const parentId = PARENT_KIND[unitKind] ? data.get("parent_id") || null : null;
        const unit = editing
          ? await api("PATCH", `/api/directory/units/${editing.id}`, {...common, active: data.has("active"),
            ...(PARENT_KIND[unitKind] ? {parent_id: parentId} : {})})
          : await api("POST", "/api/directory/units", {...common, kind: unitKind, parent_id: parentId});
        await saved(handle, t(`已保存：${unit.name}`, `Saved: ${unit.name}`));
        onChange();
      }});
    kind.addEventListener("change", () => fillParents(kind.value, null));
    const edit = (u) => {
      form.start(u);
      kind.value = u.kind; kind.disabled = true;  // a unit keeps its kind; it may move under another parent
      fillParents(u.kind, u.parent_id);
      form.form.elements.name.value = u.name;
      form.form.elements.department_kind.value = u.department_kind;
      form.form.elements.active.checked = u.active;
      form.form.querySelector("h3").focus();
    };
    form.form.querySelector(".cancel").addEventListener("click", () => { kind.disabled = false; fillParents(kind.value, null); });
    fillParents(kind.value, null);
    body.append(statusLine(h, handle), h("div", {class: "table-scroll"}, h("table", {id: "units-table"},
      h("thead", {}, h("tr", {}, [t("名称", "Name"), t("类型", "Kind"), t("上级", "Parent"), t("部门类型", "Department"),
        t("状态", "State"), t("操作", "Action")].map((c) => h("th", {scope: "col"}, c)))),
      h("tbody", {}, items.map((u) => h("tr", {dataset: {id: u.id}},
        h("th", {scope: "row"}, u.name), h("td", {}, word(KINDS, u.kind)), h("td", {}, (byId[u.parent_id] || {}).name || "—"),
        h("td", {}, word(DEPARTMENTS, u.department_kind)),
        h("td", {}, u.active ? t("在用", "active") : t("已停用", "inactive")),
        h("td", {}, editButton(h, t, u.name, () => edit(u)))))))), form.form);
  });
  handle.section.id = "units-panel";
  handle.section.classList.add("wide");
  return handle;
}

export function peoplePanel(el, ctx) {
  const {api, t, h, panel} = ctx;
  const word = (table, key) => (table[key] ? t(...table[key]) : key || "");
  const handle = panel(el, {zh: "人员", en: "People"}, async (body) => {
    const units = (await api("GET", "/api/directory/units?limit=500")).items;
    const names = Object.fromEntries(units.map((u) => [u.id, u.name]));
    const unitOptions = (kinds, chosen) => units.filter((u) => kinds.includes(u.kind) && (u.active || u.id === chosen))
      .map((u) => h("option", {value: u.id, selected: u.id === chosen}, u.name));
    const filter = h("select", {name: "unit_id", "aria-label": t("所在组织", "Unit")},
      h("option", {value: ""}, t("全部", "All")), unitOptions(["general_branch", "branch", "group"], handle.unit));
    const search = h("input", {type: "search", name: "q", maxlength: "100", value: handle.q || "",
      placeholder: t("姓名或用户名", "name or user name")});
    const finder = h("form", {class: "inline", id: "persons-filter", role: "search"},
      h("label", {}, t("所在组织", "Unit"), " ", filter), h("label", {}, t("查找", "Find"), " ", search),
      h("button", {type: "submit"}, t("查找", "Find")));
    const table = h("table", {id: "persons-table"});
    const more = h("p", {class: "hint"});

    const roles = h("div", {class: "roles"});
    const roleRow = (grant) => {
      const unit = h("select", {name: "role_unit", "aria-label": t("角色所在组织", "Where the role is held")});
      const role = h("select", {name: "role", "aria-label": t("角色", "Role")},
        Object.keys(ROLE_UNIT).map((r) => h("option", {value: r, selected: r === grant.role}, roleName(r))));
      const fill = (chosen) => {
        const kind = ROLE_UNIT[role.value];
        unit.hidden = !kind;
        unit.replaceChildren(...(kind ? [h("option", {value: ""}, t("请选择组织", "Choose the unit")), ...unitOptions([kind], chosen)] : []));
      };
      role.addEventListener("change", () => fill(null));
      fill(grant.unit_id);
      const row = h("div", {class: "row role-row"}, role, unit,
        h("button", {type: "button", class: "remove-role", onclick: () => { row.remove(); roles.querySelector("select")?.focus(); }},
          t("删除此角色", "Remove this role")));
      return row;
    };
    const addRole = h("button", {type: "button", class: "add-role", onclick: () => {
      const row = roleRow({role: "member", unit_id: null});
      roles.append(row); row.querySelector("select").focus();
    }}, t("增加角色", "Add a role"));
    const form = editor(ctx, {id: "person-form", noun: ["人员", "person"],
      fields: [
        h("div", {class: "row"},
          h("label", {}, t("姓名", "Name"), h("input", {name: "name", required: true, maxlength: "200"})),
          h("label", {"data-create-only": true}, t("用户名（登录用）", "User name (to log in)"), h("input", {name: "username", maxlength: "64", autocomplete: "off"})),
          h("label", {}, h("span", {"data-create-only": true}, t("初始密码", "First password")),
            h("span", {"data-edit-only": true}, t("重设密码（不改则留空）", "New password (blank: unchanged)")),
            h("input", {name: "password", type: "password", minlength: "8", autocomplete: "new-password"})),
          h("label", {}, t("邮箱", "E-mail"), h("input", {name: "email", type: "email", maxlength: "200"}))),
        h("div", {class: "row"},
          h("label", {}, t("所在组织", "Unit"), h("select", {name: "unit_id"}, h("option", {value: ""}, "—"), unitOptions(["general_branch", "branch"]))),
          h("label", {}, t("党小组", "Group"), h("select", {name: "group_id"}, h("option", {value: ""}, "—"), unitOptions(["group"]))),
          h("label", {}, t("政治面貌", "Party status"), h("select", {name: "member_status"}, options(h, t, STATUS, "full"))),
          h("label", {}, t("人员类别", "Category"), h("select", {name: "category"}, options(h, t, CATEGORIES, "member"))),
          h("label", {class: "check", "data-edit-only": true}, h("input", {type: "checkbox", name: "active"}), " ", t("在用", "active"))),
        h("fieldset", {name: "roles"}, h("legend", {}, t("角色（各在其组织）", "Roles (each held on a unit)")), roles, addRole)],
      async onSubmit(data, editing) {
        const grants = [...roles.querySelectorAll(".role-row")].map((row) => ({role: row.querySelector("[name=role]").value,
          unit_id: ROLE_UNIT[row.querySelector("[name=role]").value] ? row.querySelector("[name=role_unit]").value || null : null}));
        const body = {name: data.get("name").trim(), email: data.get("email").trim() || null,
          unit_id: data.get("unit_id") || null, group_id: data.get("group_id") || null,
          member_status: data.get("member_status"), category: data.get("category"), roles: grants};
        if (data.get("password")) body.password = data.get("password");
        const person = editing
          ? await api("PATCH", `/api/directory/persons/${editing.id}`, {...body, active: data.has("active")})
          : await api("POST", "/api/directory/persons", {...body, username: data.get("username").trim() || null});
        handle.q = person.name;
        await saved(handle, t(`已保存：${person.name}`, `Saved: ${person.name}`));
      }});
    const startCreate = () => roles.replaceChildren(roleRow({role: "member", unit_id: null}));
    form.form.querySelector(".cancel").addEventListener("click", startCreate);
    startCreate();
    const edit = (p) => {
      form.start(p);
      const f = form.form.elements;
      f.name.value = p.name; f.email.value = p.email || ""; f.unit_id.value = p.unit_id || ""; f.group_id.value = p.group_id || "";
      f.member_status.value = p.member_status; f.category.value = p.category; f.active.checked = p.active;
      roles.replaceChildren(...p.roles.map(roleRow));
      form.form.querySelector("h3").focus();
    };
    async function draw() {
      handle.unit = filter.value; handle.q = search.value.trim();
      const query = new URLSearchParams({limit: "200"});
      if (handle.unit) query.set("unit_id", handle.unit);
      if (handle.q) query.set("q", handle.q);
      const page = await api("GET", `/api/directory/persons?${query}`);
      table.replaceChildren(
        h("thead", {}, h("tr", {}, [t("姓名", "Name"), t("用户名", "User name"), t("所在组织", "Unit"), t("政治面貌", "Status"),
          t("角色", "Roles"), t("操作", "Action")].map((c) => h("th", {scope: "col"}, c)))),
        h("tbody", {}, page.items.map((p) => h("tr", {dataset: {id: p.id}},
          h("th", {scope: "row"}, p.name, p.active ? "" : t("（已停用）", " (inactive)")), h("td", {}, p.username || "—"),
          h("td", {}, names[p.unit_id] || "—"), h("td", {}, word(STATUS, p.member_status)),
          h("td", {}, p.roles.map((r) => `${roleName(r.role)}${r.unit_id ? `（${names[r.unit_id] || "?"}）` : ""}`).join("、") || "—"),
          h("td", {}, editButton(h, t, p.name, () => edit(p)))))));
      more.textContent = page.total > page.items.length ? t(`共 ${page.total} 人，显示前 ${page.items.length} 人`,
        `${page.total} people, the first ${page.items.length} shown`) : t(`共 ${page.total} 人`, `${page.total} people`);
    }
    filter.addEventListener("change", draw);
    finder.addEventListener("submit", (event) => { event.preventDefault(); draw(); });
    body.append(statusLine(h, handle), finder, more, h("div", {class: "table-scroll"}, table), form.form);
    await draw();
  });
  handle.section.id = "persons-panel";
  handle.section.classList.add("wide");
  return handle;
}

export function windowsPanel(el, ctx) {
  const {api, t, h, panel} = ctx;
  const word = (table, key) => (table[key] ? t(...table[key]) : key || "");
  const handle = panel(el, {zh: "服务窗口", en: "Service windows"}, async (body) => {
    const [windows, units] = await Promise.all([api("GET", "/api/directory/windows?limit=500"), api("GET", "/api/directory/units?limit=500")]);
    const names = Object.fromEntries(units.items.map((u) => [u.id, u.name]));
    const unit = h("select", {name: "unit_id"}, units.items.filter((u) => u.active && ["general_branch", "branch"].includes(u.kind))
      .map((u) => h("option", {value: u.id}, u.name)));
    const responsible = h("select", {name: "responsible_id"});
    const duty = h("div", {class: "row on-duty"});
    // The people a window may name are those of its unit, fetched when the unit is chosen.
    const fillPeople = async (unitId, chosen) => {
      const people = (await api("GET", `/api/directory/persons?unit_id=${unitId}&limit=500`)).items.filter((p) => p.active);
      responsible.replaceChildren(h("option", {value: ""}, "—"),
        ...people.map((p) => h("option", {value: p.id, selected: p.id === chosen.responsible_id}, p.name)));
      duty.replaceChildren(...(people.length ? people.map((p) => h("label", {class: "check"},
        h("input", {type: "checkbox", name: "on_duty", value: p.id, checked: chosen.on_duty_ids.includes(p.id)}), " ", p.name))
        : [h("span", {class: "hint"}, t("该组织尚无人员", "No one in this unit yet"))]));
    };
    const form = editor(ctx, {id: "window-form", noun: ["服务窗口", "window"],
      fields: [
        h("div", {class: "row"},
          h("label", {}, t("名称", "Name"), h("input", {name: "name", required: true, maxlength: "200"})),
          h("label", {}, t("类型", "Kind"), h("select", {name: "kind"}, options(h, t, WINDOW_KINDS, "window"))),
          h("label", {}, t("地点", "Location"), h("input", {name: "location", maxlength: "200"})),
          h("label", {"data-create-only": true}, t("所属组织", "Unit"), unit),
          h("label", {}, t("负责人", "Responsible"), responsible),
          h("label", {class: "check", "data-edit-only": true}, h("input", {type: "checkbox", name: "active"}), " ", t("在用", "active"))),
        h("fieldset", {name: "on_duty_ids"}, h("legend", {}, t("在岗人员（亮身份）", "On duty (shown on the screen)")), duty),
        h("label", {}, t("服务事项（每行一项）", "Services (one per line)"), h("textarea", {name: "standards", rows: "3"})),
        h("div", {class: "row"},
          h("label", {}, t("工作流程", "Workflow"), h("input", {name: "workflow", maxlength: "2000"})),
          h("label", {}, t("办结时限", "Time limit"), h("input", {name: "time_limit", maxlength: "200"})))],
      async onSubmit(data, editing) {
        const body = {name: data.get("name").trim(), kind: data.get("kind"), location: data.get("location").trim(),
          responsible_id: data.get("responsible_id") || null, on_duty_ids: data.getAll("on_duty"),
          standards: {items: lines(data.get("standards")), workflow: data.get("workflow").trim(), time_limit: data.get("time_limit").trim()}};
        const entry = editing
          ? await api("PATCH", `/api/directory/windows/${editing.id}`, {...body, active: data.has("active")})
          : await api("POST", "/api/directory/windows", {...body, unit_id: data.get("unit_id")});
        await saved(handle, t(`已保存：${entry.name}`, `Saved: ${entry.name}`));
      }});
    const nobody = {responsible_id: null, on_duty_ids: []};
    unit.addEventListener("change", () => fillPeople(unit.value, nobody));
    form.form.querySelector(".cancel").addEventListener("click", () => fillPeople(unit.value, nobody));
    const edit = async (w) => {
      form.start(w);
      const f = form.form.elements;
      f.name.value = w.name; f.kind.value = w.kind; f.location.value = w.location || ""; f.active.checked = w.active;
      f.standards.value = (w.standards.items || []).join("\n"); f.workflow.value = w.standards.workflow || "";
      f.time_limit.value = w.standards.time_limit || "";
      // Saved before the unit's people are listed, the window would lose its duty: wait for them.
      const submit = form.form.querySelector("button[type=submit]");
      submit.disabled = true;
      try { await fillPeople(w.unit_id, w); } finally { submit.disabled = false; }
      form.form.querySelector("h3").focus();
    };
    if (unit.value) await fillPeople(unit.value, nobody);
    body.append(statusLine(h, handle), windows.items.length ? h("div", {class: "table-scroll"}, h("table", {id: "windows-table"},
      h("thead", {}, h("tr", {}, [t("窗口", "Window"), t("类型", "Kind"), t("地点", "Location"), t("所属组织", "Unit"), t("状态", "State"),
        t("操作", "Action")].map((c) => h("th", {scope: "col"}, c)))),
      h("tbody", {}, windows.items.map((w) => h("tr", {dataset: {id: w.id}},
        h("th", {scope: "row"}, h("a", {href: `/display?window=${w.id}`, target: "_blank", rel: "noopener"}, w.name)),
        h("td", {}, word(WINDOW_KINDS, w.kind)), h("td", {}, w.location || "—"), h("td", {}, names[w.unit_id] || "—"),
        h("td", {}, w.active ? t("在用", "active") : t("已停用", "inactive")),
        h("td", {}, editButton(h, t, w.name, () => edit(w))))))))
      : h("p", {class: "empty"}, t("尚无服务窗口", "No window yet")), form.form);
  });
  handle.section.id = "windows-panel";
  handle.section.classList.add("wide");
  return handle;
}
