// 支部党员: the branch's members, who has made this year's annual pledge, and who is exempt from
// pledging for age or health (年老体弱，免于承诺) — exempted here by the secretary, with the reason.
import {thisYear, unitName, unitsWith} from "./ui.js";

const STATUS = {full: ["正式党员", "full member"], probationary: ["预备党员", "probationary"], none: ["—", "—"]};

// A branch secretary keeps to their own branch; a general-branch secretary picks any branch of their
// general branch (党总支), each labelled with its general branch when they lead more than one.
async function branchSelect(api, h, me) {
  const own = unitsWith(me, "branch_secretary");
  const generals = unitsWith(me, "general_branch_secretary");
  const below = (await Promise.all(generals.map(async (id) => {
    const [children, parent] = await Promise.all([api("GET", `/api/directory/units?parent_id=${id}&limit=500`), unitName(api, id)]);
    return children.items.filter((u) => u.kind === "branch" && u.active).map((u) => ({id: u.id, name: u.name, parent}));
  }))).flat();
  const mine = await Promise.all(own.filter((id) => !below.some((b) => b.id === id))
    .map(async (id) => ({id, name: await unitName(api, id), parent: null})));
  const label = (b) => (generals.length > 1 && b.parent ? `${b.parent} · ${b.name}` : b.name);
  return h("select", {name: "unit"}, [...mine, ...below].map((b) => h("option", {value: b.id}, label(b))));
}

export default {
  id: "branch-members",
  title: {zh: "支部党员与免于承诺", en: "Members and exemptions"},
  roles: ["branch_secretary", "general_branch_secretary"],
  async render(el, ctx) {
    const {api, t, h, panel, me, showFieldErrors} = ctx;
    const picker = h("form", {class: "inline wide", id: "branch-picker", "aria-label": t("选择支部", "Choose the branch")},
      h("label", {}, t("支部", "Branch"), " ", await branchSelect(api, h, me)));
    el.append(picker);
    const year = thisYear();
    const members = panel(el, {zh: `${year} 年度党员承诺情况`, en: `Members in ${year}`}, async (body) => {
      const unit = picker.querySelector("select").value;
      if (!unit) { body.append(h("p", {class: "hint"}, t("没有可选的支部", "No branch to choose"))); return; }
      const [people, ledger] = await Promise.all([api("GET", `/api/directory/units/${unit}/members?limit=500`),
        api("GET", `/api/pledges/ledger?unit_id=${unit}&year=${year}&kind=annual&limit=200`).catch((e) => ({error: e}))]);
      const pledged = new Set((ledger.items || []).filter((r) => r.pledger_kind === "member" && r.state !== "withdrawn")
        .map((r) => r.pledger_id));
      const rows = people.items.filter((p) => p.category !== "masses").map((p) => {
        const exemption = (p.exemptions || []).find((e) => e.year === year);
        const work = h("div", {});
        const others = (p.exemptions || []).filter((e) => e.year !== year);
        const save = async (exemptions, form) => {
          try { await api("PUT", `/api/directory/persons/${p.id}/exemptions`, {exemptions}); await members.reload(); }
          catch (e) { if (form) showFieldErrors(form, e); else work.replaceChildren(h("p", {class: "error", role: "alert"}, e.message)); }
        };
        const exempt = () => {
          const form = h("form", {class: "inline exempt-form", novalidate: true},
            h("label", {}, t("免于承诺的理由", "Reason"), h("input", {name: "exemptions", value: t("年老体弱", "age or health")})),
            h("button", {type: "submit", class: "primary"}, t("确认", "Confirm")),
            h("button", {type: "button", onclick: () => work.replaceChildren()}, t("取消", "Cancel")));
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            save([...others, {year, reason: new FormData(form).get("exemptions").trim()}], form);
          });
          work.replaceChildren(form);
          form.querySelector("input").focus();
        };
        const pledgeState = exemption ? h("span", {class: "state"}, t(`免于承诺（${exemption.reason}）`, `exempt (${exemption.reason})`))
          : ledger.error ? h("span", {class: "hint"}, t("承诺服务暂不可用", "pledges unavailable"))
            : pledged.has(p.id) ? h("span", {class: "state fulfilled"}, t("已作年度承诺", "annual pledge made"))
              : h("span", {class: "state overdue"}, t("未作年度承诺", "no annual pledge"));
        return h("li", {class: "member", dataset: {id: p.id}}, h("strong", {}, p.name), " ",
          h("span", {class: "hint"}, t(...(STATUS[p.member_status] || STATUS.none))), " ", pledgeState,
          h("div", {class: "actions"}, exemption
            ? h("button", {type: "button", class: "unexempt", onclick: () => save(others)}, t("取消免除", "Lift the exemption"))
            : h("button", {type: "button", class: "exempt", onclick: exempt}, t("免于承诺", "Exempt"))),
          work);
      });
      body.append(h("ul", {class: "list", id: "members"}, rows));
    });
    members.section.classList.add("wide");
    picker.addEventListener("change", () => members.reload());
  },
};
