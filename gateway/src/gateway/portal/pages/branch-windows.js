// 服务窗口评价: satisfaction of my branch's windows (三评), the follow-up cases of bad ratings (差评整改)
// and the suggestion box (意见箱) to triage.
import {formatTime, table, todayIso, unitsWith} from "./ui.js";

const LEVEL_WORDS = {5: ["非常满意", "very satisfied"], 4: ["满意", "satisfied"], 3: ["基本满意", "fairly satisfied"],
  2: ["不满意", "dissatisfied"], 1: ["非常不满意", "very dissatisfied"]};
const NOTE_STATES = {open: ["待处理", "open"], in_progress: ["处理中", "in progress"], answered: ["已答复", "answered"], closed: ["已关闭", "closed"]};

export default {
  id: "branch-windows",
  title: {zh: "窗口评价与意见", en: "Windows and feedback"},
  roles: ["branch_secretary", "general_branch_secretary", "org_department"],
  async render(el, ctx) {
    const {api, t, h, panel, me, showFieldErrors} = ctx;
    const units = unitsWith(me, "branch_secretary", "general_branch_secretary", "org_department");
    const lw = (level) => (LEVEL_WORDS[level] ? t(...LEVEL_WORDS[level]) : String(level));
    panel(el, {zh: "我的窗口满意度（近 12 个月）", en: "My windows' satisfaction (12 months)"}, async (body) => {
      const windows = [];
      for (const unit of units) windows.push(...(await api("GET", `/api/directory/windows?unit_id=${unit}&limit=200`)).items);
      if (!windows.length) { body.append(h("p", {class: "hint"}, t("本组织没有服务窗口", "No service windows here"))); return; }
      const to = todayIso();
      const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4, 8)}01`;
      const rows = await Promise.all(windows.map(async (w) => {
        const page = await api("GET", `/api/ratings/summary?window_id=${w.id}&granularity=year&from=${from}&to=${to}&limit=10`);
        const shown = page.items.filter((p) => p.shown);
        const total = shown.reduce((n, p) => n + p.total, 0);
        const satisfied = shown.reduce((n, p) => n + p.satisfied, 0);
        return [w.name, String(total), total ? `${Math.round((satisfied / total) * 1000) / 10}%`
          : t("评价人数不足，不显示", "too few ratings to show")];
      }));
      body.append(table(h, [t("窗口", "Window"), t("评价数", "Ratings"), t("满意率", "Satisfied")], rows, {id: "window-summary"}));
    });
    const cases = panel(el, {zh: "差评回访整改", en: "Follow-up of bad ratings"}, async (body) => {
      const [page, closed] = await Promise.all([api("GET", "/api/feedback/cases?limit=100"),
        api("GET", "/api/feedback/cases?state=closed&limit=1")]);
      const unclosed = page.total - closed.total;  // of all cases, not only the hundred shown
      let items = page.items;
      if (ctx.param && !items.some((c) => c.id === ctx.param)) {
        // the case a notice links to, older than the newest hundred: shown first
        try { items = [await api("GET", `/api/feedback/cases/${encodeURIComponent(ctx.param)}`), ...items]; } catch (e) { if (e.status !== 404) throw e; /* else not mine, or gone */ }
      }
      body.append(h("p", {class: "hint", id: "case-count"}, t(`未结 ${unclosed} 件，共 ${page.total} 件`, `${unclosed} open of ${page.total}`)),
        h("ul", {class: "list", id: "cases"}, items.length ? items.map((c) => {
          const head = [c.window_name ? h("span", {class: "window-name"}, `${c.window_name} · `) : "",
            h("strong", {}, lw(c.level)), c.reasons.length ? ` · ${c.reasons.join("、")}` : "",
            h("span", {class: `state ${c.state}`}, c.state === "escalated" ? t("已上报", "escalated") : c.state === "closed" ? t("已办结", "closed") : t("待处理", "open")),
            h("p", {class: "hint"}, t(`受理 ${formatTime(c.opened_at)} · 期限 ${formatTime(c.deadline)}`, `opened ${formatTime(c.opened_at)} · due ${formatTime(c.deadline)}`))];
          if (c.state === "closed") {
            return h("li", {dataset: {id: c.id}}, head, h("p", {}, t("整改措施：", "Done: "), c.action_taken, " · ",
              c.called_back ? t("已回访", "called back") : t("未回访", "not called back")));
          }
          const form = h("form", {class: "close-case", novalidate: true},
            h("label", {}, t("整改措施", "What was done"), h("textarea", {name: "action_taken", rows: "2"})),
            h("fieldset", {}, h("legend", {}, t("是否回访评价人", "Was the rater called back?")),
              h("label", {}, h("input", {type: "radio", name: "called_back", value: "yes"}), " ", t("是", "yes")),
              h("label", {}, h("input", {type: "radio", name: "called_back", value: "no"}), " ", t("否", "no"))),
            h("button", {type: "submit", class: "primary"}, t("办结", "Close the case")));
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const data = new FormData(form);
            const back = data.get("called_back");
            try {
              await api("POST", `/api/feedback/cases/${c.id}/close`, {action_taken: data.get("action_taken"),
                called_back: back === null ? undefined : back === "yes"});
              await cases.reload();
            } catch (e) { showFieldErrors(form, e); }
          });
          return h("li", {dataset: {id: c.id}}, head, form);
        }) : h("li", {}, t("暂无差评回访", "No cases"))));
      // opened by a case's notice (#/branch-windows/<case id>): that case, in view and marked
      const linked = ctx.param && body.querySelector(`#cases li[data-id="${CSS.escape(ctx.param)}"]`);
      if (linked) {
        linked.classList.add("linked");
        linked.scrollIntoView({block: "center"});
      }
    });
    const notes = panel(el, {zh: "意见箱", en: "Suggestion box"}, async (body) => {
      const page = await api("GET", "/api/feedback/suggestions?limit=100");
      body.append(h("ul", {class: "list", id: "suggestions"}, page.items.length ? page.items.map((n) => {
        const form = h("form", {class: "triage", novalidate: true},
          h("label", {}, t("状态", "State"), h("select", {name: "state"},
            Object.keys(NOTE_STATES).map((s) => h("option", {value: s, selected: s === n.state}, t(...NOTE_STATES[s]))))),
          h("label", {}, t("答复", "Reply"), h("textarea", {name: "reply", rows: "2"}, n.reply || "")),
          h("label", {}, h("input", {type: "checkbox", name: "publish", checked: n.reply_published}), " ", t("公开答复", "Publish the reply")),
          h("button", {type: "submit"}, t("保存", "Save")));
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const data = new FormData(form);
          try {
            await api("PATCH", `/api/feedback/suggestions/${n.id}`, {state: data.get("state"),
              reply: data.get("reply") || undefined, publish: data.has("publish")});
            await notes.reload();
          } catch (e) { showFieldErrors(form, e); }
        });
        return h("li", {}, h("p", {}, n.body), h("p", {class: "hint"}, `${n.received_on}${n.is_complaint ? t(" · 投诉", " · complaint") : ""}`), form);
      }) : h("li", {}, t("暂无意见", "No notes"))));
    });
  },
};
