// 承诺台账: a secretary's ledger of the branch (or general branch) with filters and XLSX export,
// the overdue list to chase (逾期提醒). Every filter is the service's, so the export holds what the table shows.
import {KINDS, STATES, table, thisYear, unitsWith, unitSelect, word} from "./ui.js";

export default {
  id: "ledger",
  title: {zh: "承诺台账", en: "Pledge ledger"},
  roles: ["branch_secretary", "general_branch_secretary", "org_department"],
  async render(el, ctx) {
    const {api, t, h, panel, me, download, showFieldErrors, clearFieldErrors} = ctx;
    const units = unitsWith(me, "branch_secretary", "general_branch_secretary", "org_department");
    const ledger = panel(el, {zh: "台账", en: "Ledger"}, async (body) => {
      const form = h("form", {id: "ledger-filters", class: "inline", novalidate: true},
        h("label", {}, t("组织", "Unit"), " ", await unitSelect(h, api, units)),
        h("label", {}, t("年度", "Year"), " ", h("input", {name: "year", type: "number", value: String(thisYear()), min: "2000", max: "2100", style: "width:6em"})),
        h("label", {}, t("状态", "State"), " ", h("select", {name: "state"}, h("option", {value: ""}, t("全部", "all")),
          Object.keys(STATES).map((s) => h("option", {value: s}, word(STATES, s))))),
        h("label", {}, t("类型", "Kind"), " ", h("select", {name: "kind"}, h("option", {value: ""}, t("全部", "all")),
          Object.keys(KINDS).map((k) => h("option", {value: k}, word(KINDS, k))))),
        h("label", {}, t("党员", "Member"), " ", h("input", {name: "member", type: "search", maxlength: "200", placeholder: t("姓名", "name")})),
        h("button", {type: "submit", class: "primary"}, t("筛选", "Filter")),
        h("button", {type: "button", id: "ledger-export", onclick: () => exportXlsx()}, t("导出 XLSX", "Export XLSX")));
      const out = h("div", {id: "ledger-rows"});
      const query = () => {
        const data = new FormData(form);
        const params = new URLSearchParams({unit_id: data.get("unit_id"), year: data.get("year")});
        if (data.get("state")) params.append("state", data.get("state"));
        if (data.get("kind")) params.set("kind", data.get("kind"));
        const member = (data.get("member") || "").trim();
        if (member) params.set("pledger_name", member);
        return params;
      };
      async function draw() {
        const params = query();
        params.set("limit", "200");
        try {
          const page = await api("GET", `/api/pledges/ledger?${params}`);
          clearFieldErrors(form);
          const rows = page.items;
          out.replaceChildren(h("p", {class: "hint", id: "ledger-count"}, rows.length < page.total
            ? t(`共 ${page.total} 条，显示前 ${rows.length} 条（导出包含全部）`, `${page.total} rows, the first ${rows.length} shown (the export has all)`)
            : t(`共 ${page.total} 条`, `${page.total} rows`)),
            table(h, [t("承诺人", "Pledger"), t("支部", "Branch"), t("类型", "Kind"), t("承诺事项", "Pledge"), t("状态", "State"),
              t("完成时限", "Due"), t("进展", "Progress"), t("评议", "Result")],
            rows.map((r) => [h("span", {dataset: {pledger: r.pledger_id}}, r.pledger_name), r.unit_name, word(KINDS, r.kind), r.title,
              h("span", {class: `state ${r.state}`}, word(STATES, r.state)), r.due_date, String(r.progress_count),
              r.evaluation_level ? `${r.evaluation_level} ${r.evaluation_score ?? ""}` : "—"]), {id: "ledger-table"}));
          return true;
        } catch (e) { showFieldErrors(form, e); return false; }
      }
      async function exportXlsx() {
        // Filters typed but not yet applied are applied first, so the file holds what the table shows.
        if (!(await draw())) return;
        const params = query();
        params.set("format", "xlsx");
        try { await download(`/api/pledges/ledger/export?${params}`, `ledger-${params.get("year")}.xlsx`); }
        catch (e) { showFieldErrors(form, e); }
      }
      form.addEventListener("submit", (event) => { event.preventDefault(); draw(); });
      body.append(form, out);
      await draw();
    });
    ledger.section.classList.add("wide");
    panel(el, {zh: "逾期承诺", en: "Overdue pledges"}, async (body) => {
      const rows = [];
      for (const unit of units) {
        const page = await api("GET", `/api/pledges/ledger?unit_id=${unit}&year=${thisYear()}&state=overdue&limit=200`);
        rows.push(...page.items);
      }
      body.append(rows.length ? h("ul", {class: "list", id: "overdue"}, rows.map((r) => h("li", {},
        h("strong", {}, r.pledger_name), ` · ${r.title} · `, t(`时限 ${r.due_date}`, `due ${r.due_date}`))))
        : h("p", {class: "hint"}, t("没有逾期承诺", "No overdue pledges")));
    });
  },
};
