// 年度评议 (党委组织部): open the year's evaluation rounds in bulk under a unit (每名党员、每个支部一轮),
// and set each kind of round's default weights (自评、互评、群众评议、领导点评, adding up to 100).
import {ensureStyles} from "./dashboards-charts.js";

const shanghaiToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

export default {
  id: "org-evaluations",
  title: {zh: "年度评议", en: "Annual evaluations"},
  roles: ["org_department"],
  async render(el, {api, t, h, panel, showFieldErrors, clearFieldErrors}) {
    ensureStyles();

    const bulk = panel(el, {zh: "批量开启年度评议", en: "Open the year's rounds in bulk"}, async (body) => {
      const rank = ["committee", "general_branch", "branch"];
      const units = (await api("GET", "/api/directory/units?limit=500")).items
        .filter((u) => u.active && rank.includes(u.kind))
        .sort((a, b) => rank.indexOf(a.kind) - rank.indexOf(b.kind) || a.name.localeCompare(b.name, "zh"));
      const today = shanghaiToday();
      const form = h("form", {id: "bulk-rounds", class: "org-form"},
        h("div", {class: "row"},
          h("label", {}, t("评议对象", "Who is evaluated"), h("select", {name: "target_kind"},
            h("option", {value: "member_year"}, t("每名党员（年度评议）", "Every member (annual)")),
            h("option", {value: "branch"}, t("每个党支部（党员群众评议）", "Every branch (members and masses)")))),
          h("label", {}, t("范围", "Under"), h("select", {name: "unit_id"}, units.map((u) => h("option", {value: u.id}, u.name)))),
          h("label", {}, t("年度", "Year"), h("input", {type: "number", name: "year", min: "2000", max: "2100", value: today.slice(0, 4), required: true}))),
        h("div", {class: "row"},
          h("label", {}, t("标题", "Title"), h("input", {name: "title", maxlength: "200", placeholder: t("如：2026 年度党员评议", "e.g. 2026 annual evaluation")})),
          h("label", {}, t("截止时间", "Deadline"), h("input", {type: "datetime-local", name: "deadline", required: true,
            value: `${new Date(Date.parse(today) + 30 * 86400000).toISOString().slice(0, 10)}T17:00`})),
          h("label", {}, t("互评人数", "Peers each"), h("input", {type: "number", name: "peer_count", min: "1", max: "50", placeholder: "5"}))),
        h("button", {type: "submit", class: "primary"}, t("批量开启", "Open rounds")));
      const result = h("p", {role: "status", class: "ok"});
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        result.textContent = "";
        // The deadline is a Beijing time; the service stores UTC.
        const deadline = data.get("deadline") ? `${data.get("deadline")}:00+08:00` : null;
        const command = {target_kind: data.get("target_kind"), unit_id: data.get("unit_id"), year: Number(data.get("year")),
          title: data.get("title") || "", deadline};
        if (data.get("peer_count")) command.peer_count = Number(data.get("peer_count"));
        try {
          const counts = await api("POST", "/api/evaluations/rounds/bulk", command);
          clearFieldErrors(form);
          result.textContent = t(`已开启 ${counts.opened} 轮评议，${counts.already_open} 个对象本年度已有评议`,
            `${counts.opened} rounds opened; ${counts.already_open} already had this year's round`);
        } catch (e) { showFieldErrors(form, e); }
      });
      body.append(form, result);
    });
    bulk.section.id = "evaluation-bulk";

    const defaults = panel(el, {zh: "各类评议的默认权重", en: "Default weights by kind of round"}, async (body) => {
      const scale = await api("GET", "/api/evaluations/scale");
      for (const kind of scale.target_kinds) {
        const sum = h("output", {class: "sum", "aria-live": "polite"});
        const save = h("button", {type: "submit"}, t("保存", "Save"));
        const status = h("span", {role: "status", class: "ok"});
        const form = h("form", {class: "org-form weights-form", dataset: {kind: kind.target_kind}},
          h("fieldset", {class: "weights"}, h("legend", {}, t(kind.zh, kind.en)),
            kind.weights.map((w) => h("label", {}, t(w.zh, w.en),
              h("input", {type: "number", name: w.party, min: "0", max: "100", step: "any", value: String(w.weight)}))), sum),
          h("div", {class: "actions"}, save, status));
        const total = () => Math.round([...form.querySelectorAll("input")].reduce((s, i) => s + (Number(i.value) || 0), 0) * 1000) / 1000;
        const check = () => {
          const value = total();
          sum.textContent = t(`合计 ${value}`, `Total ${value}`);
          sum.classList.toggle("bad", value !== 100);
          save.disabled = value !== 100;
        };
        form.addEventListener("input", () => { status.textContent = ""; check(); });
        check();
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const weights = Object.fromEntries([...form.querySelectorAll("input")].map((i) => [i.name, Number(i.value)]));
          try {
            await api("PUT", `/api/evaluations/defaults/${kind.target_kind}`, {weights});
            clearFieldErrors(form);
            status.textContent = t("已保存，此后开启的评议按此权重", "Saved: rounds opened from now on use these weights");
          } catch (e) { showFieldErrors(form, e); }
        });
        body.append(form);
      }
    });
    defaults.section.id = "evaluation-defaults";
  },
};
