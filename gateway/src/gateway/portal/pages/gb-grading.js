// 分类定级: the general branch scores its branches (上级评定), confirms or overrides the suggested level
// with the 先进 cap shown live, accepts last year's rectification (考核验收) and answers objections (异议).
import {LEVELS, cyclePicker, formatTime, score, table, unitName, word} from "./ui.js";

const CHANGES = {up: ["晋位", "up"], same: ["持平", "same"], down: ["降位", "down"]};

// How far a set of levels goes over the 先进 quota that applies to this general branch.
export function capExcess(branches, quota, generalBranchId, pending) {
  const perBranch = quota && quota.by_general_branch;
  const allowed = perBranch ? (perBranch[generalBranchId] ?? 0) : (quota ? quota.overall : Infinity);
  const advanced = branches.filter((b) => (pending[b.branch_id] ?? b.level) === "advanced"
    && (!perBranch || b.general_branch_id === generalBranchId)).length;
  return {allowed, advanced, excess: Math.max(0, advanced - allowed)};
}

export default {
  id: "gb-grading",
  title: {zh: "支部分类定级", en: "Branch grading"},
  roles: ["general_branch_secretary"],
  async render(el, ctx) {
    const {api, t, h, panel, showFieldErrors} = ctx;
    const cycle = await cyclePicker(h, api, () => { grading.reload(); acceptance.reload(); objections.reload(); });
    el.append(cycle.form);
    const grading = panel(el, {zh: "分类定级", en: "Levels"}, async (body) => {
      const indicators = await api("GET", "/api/grading/indicators");
      const current = cycle.selected();
      if (!current) { body.append(h("p", {class: "hint"}, t("尚未开启年度晋位升级", "No grading cycle is open"))); return; }
      const [page, results] = await Promise.all([
        api("GET", `/api/grading/cycles/${current.id}/branches?limit=200`),
        api("GET", `/api/grading/cycles/${current.id}/results`)]);
      const branches = page.items;
      const pending = {};
      const parts = Object.fromEntries(indicators.parts.map((p) => [p.code, t(p.zh, p.en)]));
      const partName = (code) => parts[code] || code;
      const capLine = h("p", {id: "cap-status", role: "status", "aria-live": "polite"});
      const drawCap = () => {
        const groups = [...new Set(branches.map((b) => b.general_branch_id))];
        const parts = groups.map((g) => capExcess(branches, results.advanced_quota, g, pending));
        const over = parts.reduce((n, p) => n + p.excess, 0);
        const advanced = parts.reduce((n, p) => n + p.advanced, 0);
        const allowed = parts.reduce((n, p) => n + p.allowed, 0);
        capLine.className = over ? "warn" : "hint";
        capLine.textContent = t(`先进 ${advanced} 个，上限 ${allowed} 个（比例上限 ${current.advanced_cap_percent}%）`,
          `${advanced} advanced of at most ${allowed} (cap ${current.advanced_cap_percent}%)`)
          + (over ? t(`，超出 ${over} 个`, `, exceeds by ${over}`) : "");
      };
      const open = current.state === "open";
      const rows = branches.map((b) => {
        const form = h("form", {class: "level-form", novalidate: true, dataset: {branch: b.branch_id}},
          h("label", {}, t("等次", "Level"), h("select", {name: "level"},
            h("option", {value: ""}, b.suggested_level ? t(`按建议（${word(LEVELS, b.suggested_level)}）`, `as suggested (${word(LEVELS, b.suggested_level)})`) : "—"),
            Object.keys(LEVELS).map((l) => h("option", {value: l, selected: b.level === l && b.level_source === "overridden"}, word(LEVELS, l))))),
          h("label", {}, t("调整理由", "Reason for a change"), h("input", {name: "reason"})),
          h("button", {type: "submit", disabled: !open}, t("确定等次", "Set level")));
        form.querySelector("select").addEventListener("change", (event) => {
          const value = event.target.value || b.suggested_level;
          pending[b.branch_id] = value;
          drawCap();
        });
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const data = new FormData(form);
          const level = data.get("level");
          const command = !level || level === b.suggested_level && !data.get("reason")
            ? {action: "confirm", reason: data.get("reason")} : {action: "override", level, reason: data.get("reason")};
          try { await api("POST", `/api/grading/cycles/${current.id}/branches/${b.branch_id}/level`, command); await grading.reload(); }
          catch (e) { showFieldErrors(form, e); }
        });
        return [h("strong", {}, b.name),
          Object.entries(b.part_totals || {}).map(([k, v]) => `${partName(k)} ${score(v)}`).join(" / "),
          score(b.total), b.suggested_level ? word(LEVELS, b.suggested_level) : "—",
          h("span", {class: "level"}, b.level ? word(LEVELS, b.level) + (b.level_source === "overridden" ? t("（调整）", " (changed)") : "") : "—"),
          b.previous_level ? word(LEVELS, b.previous_level) + (b.change ? ` · ${word(CHANGES, b.change)}` : "") : "—",
          open ? [form, superiorForm(b)] : ""];
      });
      function superiorForm(b) {
        const form = h("form", {class: "superior-scores", novalidate: true},
          indicators.indicators.map((ind, i) => h("label", {}, t(ind.zh, ind.en),
            h("input", {type: "hidden", name: `scores.${i}.indicator`, value: ind.code}),
            h("input", {type: "number", min: "0", max: "100", step: "0.5", name: `scores.${i}.score`}))),
          h("button", {type: "submit"}, t("保存上级评定", "Save superior scores")));
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const data = new FormData(form);
          const scores = indicators.indicators.map((ind, i) => ({indicator: ind.code, score: data.get(`scores.${i}.score`)}))
            .filter((s) => s.score !== "").map((s) => ({...s, score: Number(s.score)}));
          try { await api("PUT", `/api/grading/cycles/${current.id}/branches/${b.branch_id}/superior-scores`, {scores}); await grading.reload(); }
          catch (e) {
            if (e.details && e.details.scores && !Array.isArray(e.details.scores)) {
              for (const [i, fields] of Object.entries(e.details.scores)) for (const [k, v] of Object.entries(fields)) e.details[`scores.${i}.${k}`] = v;
              delete e.details.scores;
            }
            showFieldErrors(form, e);
          }
        });
        return h("details", {}, h("summary", {}, t("上级评定打分", "Superior scores")), form);
      }
      body.append(h("p", {class: "hint"}, t(`${current.year} 年度 · ${current.state === "open" ? "分类定级中" : current.state === "publicity" ? "公示中" : "已确定"}`,
        `${current.year} · ${current.state}`)), capLine,
      table(h, [t("支部", "Branch"), t("分项", "Parts"), t("总分", "Total"), t("建议等次", "Suggested"), t("确定等次", "Level"),
        t("上年", "Last year"), t("操作", "Action")], rows, {id: "grading-branches"}));
      drawCap();
    });
    grading.section.classList.add("wide");

    const acceptance = panel(el, {zh: "上年整改考核验收", en: "Accepting last year's rectification"}, async (body) => {
      await api("GET", "/api/grading/indicators");
      const current = cycle.selected();
      const lastFinal = cycle.lastFinal();
      if (!current || !lastFinal || current.id === lastFinal.id) { body.append(h("p", {class: "hint"}, t("暂无需验收的整改", "Nothing to accept"))); return; }
      const page = await api("GET", `/api/grading/cycles/${lastFinal.id}/branches?limit=200`);
      const items = [];
      for (const b of page.items) {
        let plan = null;
        try { plan = await api("GET", `/api/grading/cycles/${lastFinal.id}/branches/${b.branch_id}/rectification`); }
        catch (e) { if (e.status !== 404) throw e; }
        if (!plan) { items.push(h("li", {}, b.name, " — ", t("未制定整改方案", "no plan"))); continue; }
        if (plan.acceptance) { items.push(h("li", {}, b.name, " — ", plan.acceptance.passed ? t("验收通过", "accepted") : t("验收未通过", "not accepted"))); continue; }
        const form = h("form", {class: "acceptance", novalidate: true},
          [["organisation_stronger", "组织建设是否得到新的加强", "Is the organisation stronger?"],
            ["problems_solved", "突出问题是否得到较好解决", "Were the main problems solved?"],
            ["masses_satisfied", "党员群众是否真正满意", "Are members and the masses satisfied?"]].map(([name, zh, en]) =>
            h("label", {}, h("input", {type: "checkbox", name}), " ", t(zh, en))),
          h("label", {}, t("验收意见", "Notes"), h("textarea", {name: "notes", rows: "2"})),
          h("button", {type: "submit", class: "primary"}, t("提交验收", "Record acceptance")));
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const data = new FormData(form);
          try {
            await api("POST", `/api/grading/cycles/${current.id}/branches/${b.branch_id}/acceptance`, {
              organisation_stronger: data.has("organisation_stronger"), problems_solved: data.has("problems_solved"),
              masses_satisfied: data.has("masses_satisfied"), notes: data.get("notes")});
            await acceptance.reload();
          } catch (e) { showFieldErrors(form, e); }
        });
        items.push(h("li", {}, h("strong", {}, b.name), ` · ${t(plan.emphasis_zh, plan.emphasis)} · `,
          plan.tasks.map((x) => `${x.title} ${x.percent}%`).join("；"), form));
      }
      body.append(h("ul", {class: "list"}, items));
    });
    acceptance.section.classList.add("wide");

    const objections = panel(el, {zh: "异议处理", en: "Objections"}, async (body) => {
      await api("GET", "/api/grading/indicators");
      const current = cycle.selected();
      if (!current) { body.append(h("p", {class: "hint"}, t("暂无异议", "No objections"))); return; }
      const page = await api("GET", `/api/grading/cycles/${current.id}/objections?limit=200`);
      const items = await Promise.all(page.items.map(async (o) => {
        const form = h("form", {class: "inline answer", novalidate: true},
          h("label", {}, t("答复", "Answer"), h("input", {name: "answer"})),
          h("button", {type: "submit"}, t("答复", "Answer")));
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          try { await api("POST", `/api/grading/cycles/${current.id}/objections/${o.id}/answer`, {answer: new FormData(form).get("answer")}); await objections.reload(); }
          catch (e) { showFieldErrors(form, e); }
        });
        return h("li", {}, h("strong", {}, await unitName(api, o.branch_id)), ` · ${formatTime(o.lodged_at)}`, h("p", {}, o.text),
          o.answer ? h("p", {class: "ok"}, t("已答复：", "Answered: "), o.answer) : form);
      }));
      body.append(items.length ? h("ul", {class: "list"}, items) : h("p", {class: "hint"}, t("暂无异议", "No objections")));
    });
  },
};
