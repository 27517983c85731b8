// 承诺审核: the general branch approves a submitted pledge (and makes it public) or returns it with the reason.
import {AREAS, KINDS, TRIGGERS, word} from "./ui.js";

export default {
  id: "review",
  title: {zh: "承诺审核", en: "Pledge review"},
  roles: ["general_branch_secretary", "org_department"],
  async render(el, {api, t, h, panel, showFieldErrors}) {
    const queue = panel(el, {zh: "待审核承诺", en: "Waiting for review"}, async (body) => {
      const page = await api("GET", "/api/pledges?scope=review&state=submitted&limit=100");
      body.append(h("ul", {id: "review", class: "list"}, page.items.length ? page.items.map((p) => {
        const work = h("div", {});
        const approve = async () => {
          try {
            await api("POST", `/api/pledges/${p.id}/approve`, {});
            await api("POST", `/api/pledges/${p.id}/publish`, {});  // approved pledges go public for supervision
            await queue.reload();
          } catch (e) { work.replaceChildren(h("p", {class: "error", role: "alert"}, e.message)); }
        };
        const giveBack = () => {
          const form = h("form", {class: "return-form", novalidate: true},
            h("label", {}, t("退回原因", "Why it goes back"), h("textarea", {name: "reason", rows: "2"})),
            h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("确认退回", "Return it")),
              h("button", {type: "button", onclick: () => work.replaceChildren()}, t("取消", "Cancel"))));
          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const reason = new FormData(form).get("reason").trim();
            if (!reason) { showFieldErrors(form, {message: t("请写明退回原因", "Say why it goes back"), details: {reason: [t("必填", "Required")]}}); return; }
            try { await api("POST", `/api/pledges/${p.id}/return`, {reason}); await queue.reload(); }
            catch (e) { showFieldErrors(form, e); }
          });
          work.replaceChildren(form);
          form.querySelector("textarea").focus();
        };
        return h("li", {class: "pledge", dataset: {id: p.id}},
          h("strong", {class: "title"}, p.title),
          h("p", {class: "hint"}, `${word(KINDS, p.kind)}${p.trigger ? " · " + word(TRIGGERS, p.trigger) : ""} · `
            + t(`时限 ${p.due_date}`, `due ${p.due_date}`) + " · " + p.areas.map((a) => word(AREAS, a)).join("、")),
          p.content ? h("p", {}, p.content) : null,
          p.targets && p.targets.length ? h("ul", {}, p.targets.map((x) => h("li", {}, x))) : null,
          h("div", {class: "actions"},
            h("button", {type: "button", class: "primary approve", onclick: approve}, t("审核通过并公开", "Approve and publish")),
            h("button", {type: "button", class: "return", onclick: giveBack}, t("退回", "Return"))),
          work);
      }) : h("li", {}, t("暂无待审核承诺", "Nothing waits for review"))));
    });
    queue.section.classList.add("wide");
  },
};
