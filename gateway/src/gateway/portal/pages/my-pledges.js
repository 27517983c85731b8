// 我的承诺: make annual and instant pledges (五带头, with the wording suggested for the member's kind of
// department), edit while draft or returned, submit, report progress, declare fulfilled, see the result.
import {AREAS, KINDS, STATES, TRIGGERS, formatTime, score, todayIso, word} from "./ui.js";

const MODES = {individual: ["党员个人承诺", "individual"], collective: ["党员集体承诺", "collective"],
  with_masses: ["带领群众共同承诺", "with the masses"]};

function options(h, table, selected, blank) {
  return [blank ? h("option", {value: ""}, "—") : null,
    ...Object.keys(table).map((key) => h("option", {value: key, selected: key === selected}, word(table, key)))];
}

// One form for a new pledge and for editing a draft or returned one.
export function pledgeForm({h, t}, pledge, guidance) {
  const p = pledge || {kind: "annual", mode: "individual", areas: [], targets: [], title: "", content: ""};
  const dueDefault = p.due_date || `${new Date().getFullYear()}-12-31`;
  const trigger = h("select", {name: "trigger"}, options(h, TRIGGERS, p.trigger, true));
  const triggerLabel = h("label", {}, t("起因（即时承诺）", "Trigger (instant pledge)"), trigger);
  const kind = pledge ? null : h("select", {name: "kind"}, options(h, KINDS, p.kind));
  const syncTrigger = () => { triggerLabel.hidden = (kind ? kind.value : p.kind) !== "instant"; };
  if (kind) kind.addEventListener("change", syncTrigger);
  syncTrigger();
  const suggested = new Set(guidance ? guidance.areas : []);
  const form = h("form", {class: "pledge-form", novalidate: true},
    kind ? h("label", {}, t("类型", "Kind"), kind) : null,
    triggerLabel,
    h("label", {}, t("承诺方式", "Mode"), h("select", {name: "mode"}, options(h, MODES, p.mode))),
    h("label", {}, t("承诺事项", "Pledge"), h("input", {name: "title", maxlength: "200", value: p.title})),
    h("label", {}, t("具体内容", "Details"), h("textarea", {name: "content", rows: "3"}, p.content)),
    h("label", {}, t("目标（每行一项）", "Targets (one per line)"),
      h("textarea", {name: "targets", rows: "2"}, (p.targets || []).join("\n"))),
    guidance ? h("p", {class: "hint guidance"}, t("建议围绕：", "Suggested themes: ")
      + (lang(t) === "en" ? guidance.themes_en : guidance.themes_zh).join(t("、", "; "))) : null,
    h("fieldset", {}, h("legend", {}, t("五带头（至少选一项）", "Five leads (choose at least one)")),
      Object.keys(AREAS).map((area) => h("label", {class: suggested.has(area) ? "suggested" : null},
        h("input", {type: "checkbox", name: "areas", value: area, checked: (p.areas || []).includes(area)}),
        " ", word(AREAS, area)))),
    h("label", {}, t("完成时限", "Due date"), h("input", {name: "due_date", type: "date", value: dueDefault})));
  return form;
}

const lang = (t) => t("zh", "en");

export function readPledgeForm(form) {
  const data = new FormData(form);
  const body = {mode: data.get("mode"), title: data.get("title").trim(), content: data.get("content"),
    targets: data.get("targets").split("\n").map((s) => s.trim()).filter(Boolean),
    areas: data.getAll("areas"), due_date: data.get("due_date") || null};
  if (data.has("kind")) body.kind = data.get("kind");
  const trigger = data.get("trigger");
  if (!form.querySelector("[name=trigger]").closest("label").hidden) body.trigger = trigger || null;
  return body;
}

export default {
  id: "my-pledges",
  title: {zh: "我的承诺", en: "My pledges"},
  roles: [],
  async render(el, ctx) {
    const {api, t, h, panel, showFieldErrors, clearFieldErrors, me} = ctx;
    let guidance = null;
    let list;
    panel(el, {zh: "新建承诺", en: "New pledge"}, async (body) => {
      if (me.unit_id) {
        // 分类指导: suggestions differ for teaching and administrative departments.
        const unit = await api("GET", `/api/directory/units/${me.unit_id}`);
        guidance = await api("GET", `/api/pledges/guidance/${unit.department_kind}`);
      }
      const form = pledgeForm(ctx, null, guidance);
      form.id = "new-pledge";
      const hint = form.querySelector(".guidance");
      if (hint) hint.id = "guidance";
      const save = async (submit) => {
        try {
          await api("POST", "/api/pledges", {...readPledgeForm(form), submit});
          clearFieldErrors(form);
          form.reset();
          form.append(h("p", {class: "ok form-error", role: "status"}, submit ? t("已提交审核", "Submitted for review") : t("草稿已保存", "Draft saved")));
          if (list) await list.reload();
        } catch (e) { showFieldErrors(form, e); }
      };
      form.addEventListener("submit", (event) => { event.preventDefault(); save(true); });
      form.append(h("div", {class: "actions"},
        h("button", {type: "submit", class: "primary"}, t("提交审核", "Submit for review")),
        h("button", {type: "button", class: "save-draft", onclick: () => save(false)}, t("保存草稿", "Save draft"))));
      body.append(form);
    });
    list = panel(el, {zh: "我的承诺", en: "My pledges"}, async (body) => {
      const page = await api("GET", "/api/pledges?scope=mine&limit=100");
      body.append(h("ul", {id: "my-pledges", class: "list"},
        page.items.length ? page.items.map((p) => pledgeItem(ctx, p, () => list.reload(), () => guidance))
          : h("li", {}, t("还没有承诺", "No pledges yet"))));
    });
  },
};

function pledgeItem(ctx, p, reload, guidance) {
  const {api, t, h, showFieldErrors} = ctx;
  const li = h("li", {class: "pledge", dataset: {id: p.id, state: p.state}});
  const work = h("div", {class: "pledge-work"});
  const act = (label, cls, handler) => h("button", {type: "button", class: cls, onclick: handler}, label);
  const doAction = async (action, form) => {
    try { await api("POST", `/api/pledges/${p.id}/${action}`, {}); await reload(); }
    catch (e) { if (form) showFieldErrors(form, e); else work.replaceChildren(h("p", {class: "error", role: "alert"}, e.message)); }
  };
  const buttons = [];
  if (["draft", "returned"].includes(p.state)) {
    buttons.push(act(t("编辑", "Edit"), "edit", () => {
      const form = pledgeForm(ctx, p, guidance());
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await api("PATCH", `/api/pledges/${p.id}`, readPledgeForm(form));
          if (event.submitter && event.submitter.value === "submit") await api("POST", `/api/pledges/${p.id}/submit`, {});
          await reload();
        } catch (e) { showFieldErrors(form, e); }
      });
      form.append(h("div", {class: "actions"},
        h("button", {type: "submit", value: "save"}, t("保存", "Save")),
        h("button", {type: "submit", value: "submit", class: "primary"}, t("保存并提交", "Save and submit")),
        h("button", {type: "button", onclick: () => work.replaceChildren()}, t("取消", "Cancel"))));
      work.replaceChildren(form);
      form.querySelector("[name=title]").focus();
    }));
    buttons.push(act(t("提交审核", "Submit"), "submit", () => doAction("submit")));
  }
  if (["published", "overdue"].includes(p.state)) {
    buttons.push(act(t("报告进展", "Report progress"), "report", () => {
      const form = h("form", {class: "progress-form", novalidate: true},
        h("label", {}, t("进展与佐证", "What was done (evidence)"), h("textarea", {name: "evidence", rows: "3"})),
        h("label", {}, t("日期", "Date"), h("input", {type: "date", name: "reported_on", value: todayIso()})),
        h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("提交进展", "Send report")),
          h("button", {type: "button", onclick: () => work.replaceChildren()}, t("取消", "Cancel"))));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          await api("POST", `/api/pledges/${p.id}/progress`, {evidence: data.get("evidence"), reported_on: data.get("reported_on") || null});
          await reload();
        } catch (e) { showFieldErrors(form, e); }
      });
      work.replaceChildren(form);
      form.querySelector("textarea").focus();
    }));
    buttons.push(act(t("宣布践诺", "Declare fulfilled"), "fulfil", () => {
      if (confirm(t(`确认“${p.title}”已践诺？之后将进入评议。`, `Declare "${p.title}" fulfilled? It then goes to evaluation.`))) doAction("fulfil");
    }));
  }
  const result = p.evaluation ? h("p", {class: "result"}, t("评议结果：", "Evaluation: "),
    h("strong", {}, `${score(p.evaluation.score)} · ${p.evaluation.level}`), " ",
    h("a", {href: "#/my-results"}, t("查看明细", "See the breakdown"))) : null;
  // DOM append writes null as the text "null": leave out the parts this pledge doesn't have.
  li.append(...[
    h("div", {}, h("strong", {class: "title"}, p.title), h("span", {class: `state ${p.state}`}, word(STATES, p.state))),
    h("p", {class: "hint"}, `${word(KINDS, p.kind)}${p.trigger ? " · " + word(TRIGGERS, p.trigger) : ""} · `
      + t(`完成时限 ${p.due_date}`, `due ${p.due_date}`) + " · " + (p.areas || []).map((a) => word(AREAS, a)).join("、")
      + (p.progress_count ? t(` · 进展 ${p.progress_count} 次`, ` · ${p.progress_count} progress reports`) : "")
      + (p.fulfilled_at ? t(` · 践诺于 ${formatTime(p.fulfilled_at)}`, ` · fulfilled ${formatTime(p.fulfilled_at)}`) : "")),
    p.content ? h("p", {class: "content"}, p.content) : null,
    p.return_reason && p.state === "returned" ? h("p", {class: "error return-reason"}, t("退回原因：", "Returned because: "), p.return_reason) : null,
    result,
    buttons.length ? h("div", {class: "actions"}, buttons) : null,
    work].filter((part) => part !== null));
  return li;
}
