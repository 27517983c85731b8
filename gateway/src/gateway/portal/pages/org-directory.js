// 组织与人员 (党委组织部): the organisation tree, people and service windows, and the roster import from
// CSV or XLSX — a dry run lists every bad row with its line and reason, then the import writes all or none.
import {ensureStyles} from "./dashboards-charts.js";

const KINDS = {committee: ["党委", "Committee"], general_branch: ["党总支", "General branch"], branch: ["党支部", "Branch"],
  group: ["党小组", "Group"]};
const STATUS = {full: ["正式党员", "full member"], probationary: ["预备党员", "probationary"], none: ["群众", "non-member"]};

export default {
  id: "org-directory",
  title: {zh: "组织与人员", en: "Directory"},
  roles: ["org_department", "ops_admin"],
  async render(el, {api, upload, t, h, panel, showFieldErrors, clearFieldErrors}) {
    ensureStyles();
    const word = (table, key) => (table[key] ? t(...table[key]) : key || "");
    let reloadLists = [];

    const roster = panel(el, {zh: "名册导入（CSV / XLSX）", en: "Roster import (CSV / XLSX)"}, async (body) => {
      const file = h("input", {type: "file", name: "file", accept: ".csv,.xlsx,text/csv", required: true});
      const form = h("form", {id: "roster-import", class: "org-form"},
        h("div", {class: "row"},
          h("label", {}, t("内容", "Contents"), h("select", {name: "kind"},
            h("option", {value: "persons"}, t("人员名册", "People")), h("option", {value: "units"}, t("组织机构", "Units")))),
          h("label", {}, t("文件", "File"), file)),
        h("p", {class: "hint"}, t("人员名册列：姓名、用户名、初始密码、邮箱、所在支部、党小组、政治面貌、入党日期、角色、免于承诺年份、免于承诺原因；组织机构列：名称、类型、上级、部门类型。UTF-8 或 GBK 编码。",
          "People: 姓名, 用户名, 初始密码, 邮箱, 所在支部, 党小组, 政治面貌, 入党日期, 角色, 免于承诺年份, 免于承诺原因 (or English names); units: 名称, 类型, 上级, 部门类型. UTF-8 or GBK.")),
        h("div", {class: "actions"},
          h("button", {type: "submit", name: "dry-run", class: "primary"}, t("检查（试导入）", "Check (dry run)")),
          h("button", {type: "button", id: "roster-apply", disabled: true}, t("确认导入", "Import"))));
      const report = h("div", {id: "import-report", "aria-live": "polite"});
      const apply = form.querySelector("#roster-apply");
      let checked = null;
      async function send(dryRun) {
        const data = new FormData(form);
        const chosen = file.files[0];
        clearFieldErrors(form);
        report.replaceChildren();
        if (!chosen) { showFieldErrors(form, {message: t("请选择文件", "Choose a file"), details: {file: [t("必填", "required")]}}); return; }
        try {
          const result = await upload(`/api/directory/imports?kind=${data.get("kind")}&dry_run=${dryRun}`, chosen);
          show(result);
          checked = dryRun && !result.errors.length ? chosen : null;
          apply.disabled = !checked;
          if (!dryRun) reloadLists.forEach((reload) => reload());
        } catch (e) {
          apply.disabled = true;
          if (e.details && Array.isArray(e.details.errors)) show({dry_run: dryRun, rows: null, created: 0, errors: e.details.errors});
          showFieldErrors(form, e);
        }
      }
      function show(result) {
        if (!result.errors.length) {
          report.append(h("p", {class: "ok", role: "status"}, result.dry_run
            ? t(`检查通过：共 ${result.rows} 行，可以导入`, `No problems in ${result.rows} rows: ready to import`)
            : t(`已导入 ${result.created} 条`, `${result.created} imported`)));
          return;
        }
        report.append(h("p", {class: "error", role: "alert"},
          t(`发现 ${result.errors.length} 处问题，未导入任何数据：`, `${result.errors.length} problems; nothing was imported:`)),
        h("div", {class: "table-scroll"}, h("table", {class: "import-errors"},
          h("thead", {}, h("tr", {}, [t("行", "Line"), t("列", "Column"), t("原因", "Reason")].map((c) => h("th", {scope: "col"}, c)))),
          h("tbody", {}, result.errors.map((e) => h("tr", {dataset: {line: String(e.line)}},
            h("th", {scope: "row"}, String(e.line)), h("td", {}, e.field), h("td", {}, e.reason)))))));
      }
      form.addEventListener("submit", (event) => { event.preventDefault(); send(true); });
      apply.addEventListener("click", () => {
        if (checked && file.files[0] === checked) send(false);
      });
      file.addEventListener("change", () => { apply.disabled = true; checked = null; report.replaceChildren(); });
      body.append(form, report);
    });
    roster.section.id = "roster-panel";
    roster.section.classList.add("wide");

    const unitsPanel = panel(el, {zh: "组织机构", en: "Units"}, async (body) => {
      const items = (await api("GET", "/api/directory/units?limit=500")).items;
      const names = Object.fromEntries(items.map((u) => [u.id, u.name]));
      body.append(h("div", {class: "table-scroll"}, h("table", {id: "units-table"},
        h("thead", {}, h("tr", {}, [t("名称", "Name"), t("类型", "Kind"), t("上级", "Parent"), t("状态", "State")].map((c) => h("th", {scope: "col"}, c)))),
        h("tbody", {}, items.map((u) => h("tr", {},
          h("th", {scope: "row"}, u.name), h("td", {}, word(KINDS, u.kind)), h("td", {}, names[u.parent_id] || "—"),
          h("td", {}, u.active ? t("在用", "active") : t("已停用", "inactive"))))))));
    });
    unitsPanel.section.id = "units-panel";

    const people = panel(el, {zh: "人员", en: "People"}, async (body) => {
      const units = (await api("GET", "/api/directory/units?limit=500")).items;
      const names = Object.fromEntries(units.map((u) => [u.id, u.name]));
      const filter = h("select", {name: "unit_id", "aria-label": t("所在组织", "Unit")},
        h("option", {value: ""}, t("全部", "All")),
        units.filter((u) => u.kind !== "committee").map((u) => h("option", {value: u.id}, u.name)));
      const table = h("table", {id: "persons-table"});
      const more = h("p", {class: "hint"});
      async function draw() {
        const query = filter.value ? `&unit_id=${filter.value}` : "";
        const page = await api("GET", `/api/directory/persons?limit=200${query}`);
        table.replaceChildren(
          h("thead", {}, h("tr", {}, [t("姓名", "Name"), t("用户名", "User name"), t("所在组织", "Unit"), t("政治面貌", "Status")]
            .map((c) => h("th", {scope: "col"}, c)))),
          h("tbody", {}, page.items.map((p) => h("tr", {},
            h("th", {scope: "row"}, p.name), h("td", {}, p.username || "—"), h("td", {}, names[p.unit_id] || "—"),
            h("td", {}, word(STATUS, p.member_status))))));
        more.textContent = page.total > page.items.length ? t(`共 ${page.total} 人，显示前 ${page.items.length} 人`,
          `${page.total} people, the first ${page.items.length} shown`) : t(`共 ${page.total} 人`, `${page.total} people`);
      }
      filter.addEventListener("change", draw);
      body.append(h("label", {}, t("所在组织", "Unit"), " ", filter), more, h("div", {class: "table-scroll"}, table));
      await draw();
      reloadLists.push(draw);
    });
    people.section.id = "persons-panel";

    const windowsPanel = panel(el, {zh: "服务窗口", en: "Service windows"}, async (body) => {
      const [windows, units] = await Promise.all([api("GET", "/api/directory/windows?limit=500"), api("GET", "/api/directory/units?limit=500")]);
      const names = Object.fromEntries(units.items.map((u) => [u.id, u.name]));
      body.append(windows.items.length ? h("div", {class: "table-scroll"}, h("table", {id: "windows-table"},
        h("thead", {}, h("tr", {}, [t("窗口", "Window"), t("地点", "Location"), t("所属支部", "Branch"), t("状态", "State")].map((c) => h("th", {scope: "col"}, c)))),
        h("tbody", {}, windows.items.map((w) => h("tr", {},
          h("th", {scope: "row"}, h("a", {href: `/display?window=${w.id}`, target: "_blank", rel: "noopener"}, w.name)),
          h("td", {}, w.location || "—"), h("td", {}, names[w.unit_id] || "—"),
          h("td", {}, w.active ? t("在用", "active") : t("已停用", "inactive")))))))
        : h("p", {class: "empty"}, t("尚无服务窗口", "No window yet")));
    });
    windowsPanel.section.id = "windows-panel";
    reloadLists = [...reloadLists, () => unitsPanel.reload()];
  },
};
