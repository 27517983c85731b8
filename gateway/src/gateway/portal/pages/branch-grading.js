// 支部晋位升级: the branch secretary's self-assessment on the seven indicators (自评) and the
// rectification plan with its tasks (整改提高) after the results.
import {LEVELS, cyclePicker, lines, score, table, todayIso, unitsWith, unitSelect, word} from "./ui.js";

// A date some months from today (Beijing), the default deadline of a new plan.
const inMonths = (n) => new Date(Date.parse(todayIso()) + n * 30 * 86400000).toISOString().slice(0, 10);

export default {
  id: "branch-grading",
  title: {zh: "支部自评与整改", en: "Branch grading"},
  roles: ["branch_secretary"],
  async render(el, ctx) {
    const {api, t, h, panel, me, showFieldErrors, clearFieldErrors} = ctx;
    const branches = unitsWith(me, "branch_secretary");
    const picker = h("form", {class: "inline wide", "aria-label": t("选择支部", "Choose the branch")},
      h("label", {}, t("支部", "Branch"), " ", await unitSelect(h, api, branches, "branch")));
    const cycle = await cyclePicker(h, api, () => { selfPanel.reload(); planPanel.reload(); });
    el.append(picker, cycle.form);
    const branch = () => picker.querySelector("select").value;
    const selfPanel = panel(el, {zh: "支部自评（七项指标）", en: "Self-assessment (seven indicators)"}, async (body) => {
      await api("GET", "/api/grading/indicators");  // grading-service answers (else: unavailable, with retry)
      const current = cycle.selected();
      if (!current) { body.append(h("p", {class: "hint"}, t("尚未开启年度晋位升级", "No grading cycle is open"))); return; }
      const [indicators, detail] = await Promise.all([api("GET", "/api/grading/indicators"),
        api("GET", `/api/grading/cycles/${current.id}/branches/${branch()}`)]);
      const own = (detail.scores && detail.scores.self) || {};
      const form = h("form", {id: "self-assessment", novalidate: true},
        h("p", {class: "hint"}, t(`${current.year} 年度 · 自评截止 ${current.self_assessment_deadline}`,
          `${current.year} · self-assessment closes ${current.self_assessment_deadline}`)),
        current.state === "publicity" ? h("p", {class: "hint publicity"},
          t(`定级结果公示中（至 ${current.publicity_ends_on}）：`, `The levels are in publicity (until ${current.publicity_ends_on}): `),
          h("a", {href: `#/grading-publicity/${current.id}`}, t("查看公示名单或提出异议", "see them or lodge an objection"))) : null,
        indicators.indicators.map((ind, i) => h("fieldset", {class: "indicator"},
          h("legend", {}, `${t(ind.zh, ind.en)}（${t("权重", "weight")} ${current.indicator_weights[ind.code] ?? ind.default_weight}%）`),
          current.criteria && current.criteria[ind.code] ? h("p", {class: "hint"}, current.criteria[ind.code]) : null,
          h("input", {type: "hidden", name: `scores.${i}.indicator`, value: ind.code}),
          h("label", {}, t("得分（0–100）", "Score (0–100)"),
            h("input", {type: "number", name: `scores.${i}.score`, min: "0", max: "100", step: "0.5",
              value: own[ind.code] ? String(own[ind.code].score) : ""})),
          h("label", {}, t("佐证材料", "Evidence"), h("textarea", {name: `scores.${i}.evidence`, rows: "2"},
            own[ind.code] ? own[ind.code].evidence : "")))),
        h("label", {}, t("修改理由（改分时填写）", "Why a score changes (when it does)"), h("input", {name: "reason"})),
        h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("保存自评", "Save self-assessment"))));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const scores = indicators.indicators.map((ind, i) => ({indicator: ind.code,
          score: data.get(`scores.${i}.score`) === "" ? null : Number(data.get(`scores.${i}.score`)),
          evidence: data.get(`scores.${i}.evidence`)})).filter((s) => s.score !== null);
        try {
          const saved = await api("PUT", `/api/grading/cycles/${current.id}/branches/${branch()}/self-assessment`,
            {scores, reason: data.get("reason")});
          clearFieldErrors(form);
          form.prepend(h("p", {class: "ok form-error", role: "status"},
            t(`已保存；自评合计 ${score(saved.part_totals.self)}`, `Saved; self total ${score(saved.part_totals.self)}`)));
        } catch (e) {
          // scores errors come per index: {scores: {"2": {score: [...]}}} → the input named scores.2.score
          if (e.details && e.details.scores && !Array.isArray(e.details.scores)) {
            for (const [i, fields] of Object.entries(e.details.scores)) {
              for (const [k, v] of Object.entries(fields)) e.details[`scores.${i}.${k}`] = v;
            }
            delete e.details.scores;
          }
          showFieldErrors(form, e);
        }
      });
      body.append(form);
    });
    const planPanel = panel(el, {zh: "整改提高", en: "Rectification"}, async (body) => {
      await api("GET", "/api/grading/indicators");
      const lastFinal = cycle.lastFinal();
      if (!lastFinal) { body.append(h("p", {class: "hint"}, t("还没有确定的定级结果，暂无整改任务", "No final results yet, so no rectification"))); return; }
      let plan = null;
      try { plan = await api("GET", `/api/grading/cycles/${lastFinal.id}/branches/${branch()}/rectification`); }
      catch (e) { if (e.status !== 404) throw e; }
      if (!plan) { body.append(planForm(lastFinal)); return; }
      body.append(h("p", {}, t(`${lastFinal.year} 年度定级：`, `${lastFinal.year} level: `), h("strong", {}, word(LEVELS, plan.level)),
        ` · ${t(plan.emphasis_zh, plan.emphasis)} · ${t("期限", "deadline")} ${plan.deadline}`),
      h("h3", {}, t("存在问题", "Problems")), h("ul", {}, plan.problems.map((x) => h("li", {}, x))),
      h("h3", {}, t("整改措施", "Measures")), h("ul", {}, plan.measures.map((x) => h("li", {}, x))),
      h("h3", {}, t("整改任务", "Tasks")),
      table(h, [t("任务", "Task"), t("期限", "Deadline"), t("进度", "Progress"), t("报告进度", "Report")],
        plan.tasks.map((task) => [task.title, task.deadline, `${task.percent}%`, progressForm(task)])),
      plan.acceptance ? h("p", {class: plan.acceptance.passed ? "ok" : "warn"},
        t(`考核验收：${plan.acceptance.passed ? "通过" : "未通过"}（${plan.acceptance.notes}）`,
          `Acceptance: ${plan.acceptance.passed ? "passed" : "not passed"} (${plan.acceptance.notes})`)) : null);
    });
    function progressForm(task) {
      const form = h("form", {class: "inline task-progress", novalidate: true},
        h("label", {}, t("完成 %", "Done %"), h("input", {type: "number", name: "percent", min: "0", max: "100", value: String(task.percent), style: "width:5em"})),
        h("label", {}, t("说明", "Note"), h("input", {name: "note"})),
        h("button", {type: "submit"}, t("报告", "Report")));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try { await api("POST", `/api/grading/rectification/tasks/${task.id}/progress`, {percent: Number(data.get("percent")), note: data.get("note")}); await planPanel.reload(); }
        catch (e) { showFieldErrors(form, e); }
      });
      return form;
    }
    function planForm(cycle) {
      const form = h("form", {id: "rectification-plan", novalidate: true},
        h("label", {}, t("存在问题（每行一条）", "Problems (one per line)"), h("textarea", {name: "problems", rows: "3"})),
        h("label", {}, t("整改措施（每行一条）", "Measures (one per line)"), h("textarea", {name: "measures", rows: "3"})),
        h("label", {}, t("整改任务（每行一项）", "Tasks (one per line)"), h("textarea", {name: "tasks", rows: "3"})),
        h("label", {}, t("完成期限", "Deadline"), h("input", {type: "date", name: "deadline", value: inMonths(3)})),
        h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("制定整改方案", "Save the plan"))));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const deadline = data.get("deadline") || todayIso();
        try {
          await api("POST", `/api/grading/cycles/${cycle.id}/branches/${branch()}/rectification`, {
            problems: lines(data.get("problems")), measures: lines(data.get("measures")), owner_id: me.id, deadline,
            tasks: lines(data.get("tasks")).map((title) => ({title, deadline, owner_id: me.id}))});
          await planPanel.reload();
        } catch (e) { showFieldErrors(form, e); }
      });
      return form;
    }
    picker.addEventListener("change", () => { selfPanel.reload(); planPanel.reload(); });
  },
};
