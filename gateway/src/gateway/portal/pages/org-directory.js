// 组织与人员 (党委组织部): the organisation tree, people and service windows, created and edited by hand
// (directory-forms.js), and the roster import from CSV or XLSX — a dry run lists every bad row with its
// line and reason, then the import writes all or none.
import {ensureStyles} from "./dashboards-charts.js";
import {peoplePanel, unitsPanel, windowsPanel} from "./directory-forms.js";

export default {
  id: "org-directory",
  title: {zh: "组织与人员", en: "Directory"},
  roles: ["org_department", "ops_admin"],
  async render(el, {api, upload, t, h, panel, showFieldErrors, clearFieldErrors}) {
    ensureStyles();
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

    const lists = {api, t, h, panel, showFieldErrors, clearFieldErrors};
    // A unit saved renames or moves what the people and windows lists show: they are drawn again.
    const units = unitsPanel(el, lists, () => { people.reload(); windows.reload(); });
    const people = peoplePanel(el, lists);
    const windows = windowsPanel(el, lists);
    reloadLists = [() => units.reload(), () => people.reload(), () => windows.reload()];
  },
};
