// 定级公示: once the organisation department publishes a year's levels, every member and secretary
// sees them, and may lodge an objection (异议) to any branch's level until the publicity period's last
// day (广泛听取党员群众意见); the objections I lodged show here with the answer once it is given.
import {ensureStyles} from "./dashboards-charts.js";
import {LEVELS, cycles, formatTime, todayIso, unitName, word} from "./ui.js";

const SHOWN = {publicity: ["公示中", "in publicity"], final: ["结果已确定", "final"]};

export default {
  id: "grading-publicity",
  title: {zh: "定级公示与异议", en: "Published levels"},
  roles: [],
  async render(el, ctx) {
    const {api, t, h, panel, me, param, showFieldErrors, clearFieldErrors} = ctx;
    ensureStyles();
    let published = [];
    try { published = (await cycles(api)).all.filter((c) => SHOWN[c.state]); }
    catch (e) { /* the panels below say grading-service is unavailable */ }
    // #/grading-publicity/<cycle id> (a link from another page) opens that year; else the newest.
    const select = h("select", {name: "cycle"}, published.map((c) =>
      h("option", {value: c.id, selected: c.id === param}, `${c.year} ${t(...SHOWN[c.state])}`)));
    const picker = h("form", {class: "inline wide cycle-picker"}, h("label", {}, t("年度", "Year"), " ", select));
    el.append(picker);
    const chosen = () => published.find((c) => c.id === select.value) || null;
    const open = (c) => c && c.state === "publicity" && todayIso() <= c.publicity_ends_on;

    const list = panel(el, {zh: "公示名单", en: "The published levels"}, async (body) => {
      await api("GET", "/api/grading/indicators");  // grading-service answers (else: unavailable, with retry)
      const cycle = chosen();
      if (!cycle) { body.append(h("p", {class: "hint"}, t("暂无公示的定级结果", "No levels are published yet"))); return; }
      const page = await api("GET", `/api/grading/cycles/${cycle.id}/publicity?limit=200`);
      const generals = await Promise.all(page.items.map((b) => unitName(api, b.general_branch_id)));
      const form = h("form", {id: "objection-form", class: "org-form", novalidate: true, hidden: true},
        h("h3", {tabindex: "-1"}),
        h("label", {}, t("异议内容（事实与理由）", "Your objection (facts and reasons)"),
          h("textarea", {name: "text", rows: "4", maxlength: "5000", required: true})),
        h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("提交异议", "Lodge the objection")),
          h("button", {type: "button", class: "cancel"}, t("取消", "Cancel"))));
      const status = h("p", {id: "objection-status", role: "status"});
      let target = null;
      let opener = null;
      const close = () => { form.hidden = true; target = null; if (opener) opener.focus(); };
      const object = (branch, button) => {
        target = branch; opener = button;
        clearFieldErrors(form);
        form.reset();
        form.querySelector("h3").textContent = t(`对「${branch.name}」的定级提出异议`, `Objection to the level of ${branch.name}`);
        form.hidden = false;
        form.querySelector("textarea").focus();
      };
      form.querySelector(".cancel").addEventListener("click", close);
      form.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const submit = form.querySelector("button[type=submit]");
        const text = new FormData(form).get("text").trim();
        clearFieldErrors(form);
        if (!text) { showFieldErrors(form, {message: t("请写明异议", "Write your objection"), details: {text: [t("必填", "required")]}}); return; }
        submit.disabled = true;
        try {
          await api("POST", `/api/grading/cycles/${cycle.id}/branches/${target.branch_id}/objections`, {text});
          status.className = "ok";
          status.textContent = t(`已提交对「${target.name}」的异议，答复后将显示在“我的异议”中`,
            `Your objection to ${target.name} is lodged; the answer will show under My objections`);
          form.hidden = true;
          if (opener) opener.focus();
          mine.reload();
        } catch (e) { showFieldErrors(form, e); }
        finally { submit.disabled = false; }
      });
      const may = open(cycle);
      body.append(h("p", {class: "hint"}, may
        ? t(`${cycle.year} 年度定级结果公示中，公示期至 ${cycle.publicity_ends_on}（含当日），对结果有异议的请在此提出。`,
          `${cycle.year} levels are in their publicity period until ${cycle.publicity_ends_on} (inclusive): lodge any objection here.`)
        : cycle.state === "publicity"
          ? t(`公示期已于 ${cycle.publicity_ends_on} 结束，不再受理异议。`, `The publicity period ended on ${cycle.publicity_ends_on}; objections are closed.`)
          : t(`${cycle.year} 年度定级结果已确定。`, `The ${cycle.year} levels are final.`)),
      h("div", {class: "table-wrap"}, h("table", {id: "publicity-table"},
        // Three columns (the general branch under the branch's name), so a phone shows the button too.
        h("thead", {}, h("tr", {}, [t("支部（党总支）", "Branch (general branch)"), t("等次", "Level"), may ? t("异议", "Objection") : null]
          .filter(Boolean).map((c) => h("th", {scope: "col"}, c)))),
        h("tbody", {}, page.items.map((b, i) => h("tr", {dataset: {branch: b.branch_id}},
          h("th", {scope: "row"}, b.name, h("br"), h("span", {class: "hint"}, generals[i] || "—")),
          h("td", {}, h("strong", {}, word(LEVELS, b.level))),
          may ? h("td", {}, h("button", {type: "button", class: "object", onclick: (event) => object(b, event.currentTarget),
            "aria-label": t(`对${b.name}的定级提出异议`, `Object to the level of ${b.name}`)}, t("提出异议", "Object"))) : null))))),
      // (DOM append writes null as text: the hint is always there, empty when every branch is shown)
      h("p", {class: "hint"}, page.total > page.items.length ? t(`共 ${page.total} 个支部，显示前 ${page.items.length} 个`,
        `${page.total} branches, the first ${page.items.length} shown`) : ""),
      status, form);
    });
    list.section.classList.add("wide");
    list.section.id = "publicity-panel";

    const mine = panel(el, {zh: "我的异议", en: "My objections"}, async (body) => {
      await api("GET", "/api/grading/indicators");
      const cycle = chosen();
      if (!cycle) { body.append(h("p", {class: "hint"}, t("暂无", "None"))); return; }
      // A secretary is also shown the objections to their branches (to answer elsewhere): only mine here.
      const page = await api("GET", `/api/grading/cycles/${cycle.id}/objections?limit=200`);
      const items = page.items.filter((o) => o.lodged_by === me.id);
      const names = await Promise.all(items.map((o) => unitName(api, o.branch_id)));
      body.append(items.length ? h("ul", {class: "list", id: "my-objections"}, items.map((o, i) => h("li", {dataset: {id: o.id}},
        h("strong", {}, names[i]), " ", h("span", {class: "hint"}, formatTime(o.lodged_at)),
        h("p", {}, o.text),
        o.answer ? h("p", {class: "ok answer"}, t("答复：", "Answer: "), o.answer, " ", h("span", {class: "hint"}, formatTime(o.answered_at)))
          : h("p", {class: "hint pending"}, t("待答复", "Awaiting an answer")))))
        : h("p", {class: "hint"}, t("您没有提出异议", "You have lodged no objection")));
    });
    mine.section.id = "my-objections-panel";
    mine.section.classList.add("wide");
    select.addEventListener("change", () => { list.reload(); mine.reload(); });
  },
};
