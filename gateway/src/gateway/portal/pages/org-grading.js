// 分类定级安排 (党委组织部): open a year's grading cycle — indicators and weights (each set adding up to
// 100, checked as you type), the 先进 cap, thresholds and deadlines — then publish (公示) and finalise.
import {ensureStyles} from "./dashboards-charts.js";

const STATES = {open: ["分类定级中", "being graded"], publicity: ["公示中", "in publicity"], final: ["结果已确定", "final"]};
const shanghaiToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const plusDays = (iso, days) => new Date(Date.parse(iso) + days * 86400000).toISOString().slice(0, 10);

export default {
  id: "org-grading",
  title: {zh: "分类定级安排", en: "Grading cycles"},
  roles: ["org_department"],
  async render(el, {api, download, t, h, panel, showFieldErrors, clearFieldErrors}) {
    ensureStyles();
    let drawCycles = async () => {};

    const opening = panel(el, {zh: "开展年度分类定级", en: "Open a year's grading"}, async (body) => {
      const [described, units] = await Promise.all([api("GET", "/api/grading/indicators"), api("GET", "/api/directory/units?limit=500")]);
      const branches = units.items.filter((u) => u.kind === "branch" && u.active);
      const today = shanghaiToday();
      const weightInputs = (items) => items.map((i) => h("label", {},
        t(i.zh, i.en), h("input", {type: "number", name: i.code, min: "0", max: "100", step: "any", value: String(i.default_weight),
          required: true})));
      const indicatorSum = h("output", {class: "sum", "aria-live": "polite"});
      const partSum = h("output", {class: "sum", "aria-live": "polite"});
      const indicators = h("fieldset", {class: "weights", id: "indicator-weights"},
        h("legend", {}, t("七项指标权重（%，合计须为 100）", "Indicator weights (%, must add up to 100)")),
        weightInputs(described.indicators), indicatorSum);
      const parts = h("fieldset", {class: "weights", id: "part-weights"},
        h("legend", {}, t("评定方式权重（%，合计须为 100）", "Part weights (%, must add up to 100)")),
        weightInputs(described.parts), partSum);
      const submit = h("button", {type: "submit", class: "primary"}, t("开展分类定级", "Open the cycle"));
      const form = h("form", {id: "open-cycle", class: "org-form", novalidate: true},
        h("div", {class: "row"},
          h("label", {}, t("年度", "Year"), h("input", {type: "number", name: "year", min: "2000", max: "2100", required: true,
            value: today.slice(0, 4)})),
          h("label", {}, t("先进比例上限（%）", "先进 cap (%)"), h("input", {type: "number", name: "advanced_cap_percent", min: "0",
            max: "100", step: "any", required: true, value: "30"})),
          h("label", {}, t("先进分数线", "Advanced from"), h("input", {type: "number", name: "advanced", min: "0", max: "100", step: "any", value: "90"})),
          h("label", {}, t("一般分数线", "Ordinary from"), h("input", {type: "number", name: "ordinary", min: "0", max: "100", step: "any", value: "70"}))),
        h("div", {class: "row"},
          h("label", {}, t("支部自评截止", "Self-assessment deadline"), h("input", {type: "date", name: "self_assessment_deadline",
            required: true, value: plusDays(today, 30)})),
          h("label", {}, t("上级评定截止", "Superior's deadline"), h("input", {type: "date", name: "superior_deadline", value: plusDays(today, 45)})),
          h("label", {}, t("公示天数", "Publicity days"), h("input", {type: "number", name: "publicity_days", min: "0", max: "30", value: "5"})),
          h("label", {class: "check"}, h("input", {type: "checkbox", name: "cap_per_general_branch"}),
            t("按党总支分配先进名额", "Share the 先进 quota among general branches"))),
        h("fieldset", {id: "cycle-branches", class: "weights"},
          h("legend", {}, t("参评党支部（默认全部）", "Branches graded (all by default)")),
          branches.map((b) => h("label", {class: "check"}, h("input", {type: "checkbox", name: "branch_ids", value: b.id, checked: true}), b.name))),
        indicators, parts, submit);
      const sumOf = (fieldset) => [...fieldset.querySelectorAll("input")].reduce((s, i) => s + (Number(i.value) || 0), 0);
      function check() {
        let ok = true;
        for (const [fieldset, out] of [[indicators, indicatorSum], [parts, partSum]]) {
          const sum = Math.round(sumOf(fieldset) * 1000) / 1000;
          out.textContent = t(`合计 ${sum}`, `Total ${sum}`);
          out.classList.toggle("bad", sum !== 100);
          ok = ok && sum === 100;
        }
        submit.disabled = !ok;
        return ok;
      }
      form.addEventListener("input", check);
      check();
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!check()) return;
        const data = new FormData(form);
        const numbers = (fieldset) => Object.fromEntries([...fieldset.querySelectorAll("input")].map((i) => [i.name, Number(i.value)]));
        const command = {year: Number(data.get("year")), advanced_cap_percent: data.get("advanced_cap_percent") === "" ? null : Number(data.get("advanced_cap_percent")),
          self_assessment_deadline: data.get("self_assessment_deadline") || null, superior_deadline: data.get("superior_deadline") || null,
          publicity_days: Number(data.get("publicity_days") || 0), cap_per_general_branch: data.get("cap_per_general_branch") === "on",
          thresholds: {advanced: Number(data.get("advanced")), ordinary: Number(data.get("ordinary"))},
          indicator_weights: numbers(indicators), part_weights: numbers(parts)};
        const chosen = data.getAll("branch_ids");
        if (chosen.length !== branches.length) command.branch_ids = chosen;  // else every branch, new ones included
        try {
          const cycle = await api("POST", "/api/grading/cycles", command);
          clearFieldErrors(form);
          form.prepend(h("p", {class: "form-error ok", role: "status"},
            t(`已开展 ${cycle.year} 年度分类定级，共 ${cycle.branch_count} 个党支部`, `The ${cycle.year} cycle is open for ${cycle.branch_count} branches`)));
          await drawCycles();
        } catch (e) {
          // thresholds.advanced → the input named "advanced"
          if (e.details && e.details.thresholds && typeof e.details.thresholds === "object" && !Array.isArray(e.details.thresholds)) {
            e.details = {...e.details, ...e.details.thresholds};
            delete e.details.thresholds;
          }
          showFieldErrors(form, e);
        }
      });
      body.append(form);
    });
    opening.section.id = "grading-open";
    opening.section.classList.add("wide");

    const list = panel(el, {zh: "年度分类定级", en: "Cycles"}, async (body) => {
      const table = h("table", {id: "cycles"});
      const message = h("p", {role: "status", class: "hint"});
      body.append(message, h("div", {class: "table-scroll"}, table));
      drawCycles = async () => {
        const cycles = (await api("GET", "/api/grading/cycles?limit=50")).items;
        const act = (cycle, step, label) => h("button", {type: "button", dataset: {action: step, year: String(cycle.year)}, onclick: async () => {
          message.textContent = "";
          message.className = "hint";
          try {
            const done = await api("POST", `/api/grading/cycles/${cycle.id}/${step}`);
            message.textContent = step === "publish"
              ? t(`${done.year} 年度结果已公示，公示期至 ${done.publicity_ends_on}`, `${done.year} results published until ${done.publicity_ends_on}`)
              : t(`${done.year} 年度结果已确定`, `${done.year} results are final`);
          } catch (e) {
            message.className = "error";
            message.textContent = e.message;
          }
          await drawCycles();
        }}, label);
        table.replaceChildren(
          h("thead", {}, h("tr", {}, [t("年度", "Year"), t("状态", "State"), t("党支部", "Branches"), t("先进上限", "先进 cap"),
            t("自评截止", "Self-assessment by"), t("公示期至", "Publicity until"), t("操作", "Actions")].map((c) => h("th", {scope: "col"}, c)))),
          h("tbody", {}, cycles.map((c) => h("tr", {dataset: {year: String(c.year), state: c.state}},
            h("th", {scope: "row"}, String(c.year)), h("td", {class: "state"}, t(...(STATES[c.state] || [c.state, c.state]))),
            h("td", {}, String(c.branch_count)), h("td", {}, `${c.advanced_cap_percent}%`), h("td", {}, c.self_assessment_deadline),
            h("td", {}, c.publicity_ends_on || "—"),
            h("td", {class: "actions"},
              c.state === "open" ? act(c, "publish", t("公示结果", "Publish")) : null,
              c.state === "publicity" ? act(c, "finalise", t("确定结果", "Finalise")) : null,
              h("button", {type: "button", onclick: async () => {
                try { await download(`/api/grading/cycles/${c.id}/report.xlsx`, `grading-${c.year}.xlsx`); } catch (e) { message.textContent = e.message; }
              }}, t("导出结果", "Export")))))));
        if (!cycles.length) table.replaceChildren(h("caption", {}, t("尚未开展分类定级", "No cycle yet")));
      };
      await drawCycles();
    });
    list.section.id = "grading-cycles";
    list.section.classList.add("wide");
  },
};
