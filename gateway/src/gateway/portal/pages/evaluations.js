// 评议: the rounds I must take part in — self-assessment reporting against each target (个人自评),
// peer ratings (党员互评) and, for leaders, the leader's comment with its mode (领导点评).
import {MODES, PARTIES, RATINGS, formatTime, word} from "./ui.js";

const isLeader = (me) => me.roles.some((r) => ["general_branch_secretary", "org_department"].includes(r.role));

// Which party I rate as: the evaluated person assesses themself; leaders comment; other members are peers.
export function myParty(round, me) {
  const parties = round.parties.map((p) => p.party);
  if (round.subject_person_id === me.id && parties.includes("self")) return "self";
  if (isLeader(me) && parties.includes("leader")) return "leader";
  return parties.includes("peer") ? "peer" : parties.find((p) => p !== "self" && p !== "masses");
}

export function ratingForm(ctx, round, onDone) {
  const {api, t, h, me, showFieldErrors} = ctx;
  const party = myParty(round, me);
  const form = h("form", {class: "rating-form", novalidate: true, dataset: {party}},
    h("p", {}, t("以", "As "), h("strong", {}, word(PARTIES, party)), t(" 身份评议", "")),
    h("fieldset", {}, h("legend", {}, t("评价", "Rating")),
      Object.keys(RATINGS).map((r) => h("label", {}, h("input", {type: "radio", name: "rating", value: r}), " ", word(RATINGS, r)))),
    party === "leader" ? h("label", {}, t("点评方式", "Mode"), h("select", {name: "mode"},
      Object.keys(MODES).map((m) => h("option", {value: m}, word(MODES, m))))) : null,
    party === "self" ? h("fieldset", {class: "target-reports"}, h("legend", {}, t("对照承诺目标报告完成情况", "Report against each target")),
      round.targets.map((target, i) => h("label", {}, target, h("textarea", {name: `target_reports.${i}`, rows: "2", dataset: {target}})))) : null,
    h("label", {}, party === "leader" ? t("点评意见", "Comment") : t("意见（可选）", "Comment (optional)"),
      h("textarea", {name: "comment", rows: "2"})),
    h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("提交评议", "Submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {party, rating: data.get("rating") || undefined, comment: data.get("comment") || ""};
    if (party === "leader") body.mode = data.get("mode");
    if (party === "self") {
      body.target_reports = [...form.querySelectorAll(".target-reports textarea")].map((box) => ({target: box.dataset.target, done: box.value.trim()}));
    }
    try { await api("POST", `/api/evaluations/rounds/${round.id}/ratings`, body); await onDone(); }
    catch (e) {
      // target_reports errors come per index ({target_reports: {"0": {done: [...]}}}): point at that box.
      const reports = e.details && e.details.target_reports;
      if (reports && typeof reports === "object" && !Array.isArray(reports)) {
        for (const [i, v] of Object.entries(reports)) e.details[`target_reports.${i}`] = v;
        delete e.details.target_reports;
      }
      showFieldErrors(form, e);
    }
  });
  return form;
}

export function roundSummary(ctx, round) {
  const {t, h} = ctx;
  return [h("strong", {class: "title"}, round.title || t("评议", "Evaluation")),
    h("p", {class: "hint"}, t(`截止 ${formatTime(round.deadline)}`, `closes ${formatTime(round.deadline)}`), " · ",
      round.parties.map((p) => `${word(PARTIES, p.party)} ${p.weight}% (${p.submitted})`).join("，"))];
}

export function roundsPanel(el, ctx, {title, filter, id}) {
  const {api, t, h, panel, me} = ctx;
  const handle = panel(el, title, async (body) => {
    const page = await api("GET", "/api/evaluations/rounds?limit=100");
    const open = page.items.filter((r) => r.state === "open" && filter(r));
    body.append(h("ul", {class: "list", id}, open.length ? open.map((round) => {
      const mine = round.my_ratings && round.my_ratings[0];
      return h("li", {class: "round", dataset: {id: round.id}}, roundSummary(ctx, round),
        mine ? h("p", {class: "ok"}, t(`已提交：${word(RATINGS, mine.rating)}`, `Submitted: ${word(RATINGS, mine.rating)}`))
          : ratingForm(ctx, round, () => handle.reload()));
    }) : h("li", {}, t("暂无待评议事项", "Nothing to evaluate now"))));
  });
  handle.section.classList.add("wide");
  return handle;
}

export default {
  id: "evaluations",
  title: {zh: "我的评议", en: "My evaluations"},
  roles: [],
  async render(el, ctx) {
    roundsPanel(el, ctx, {title: {zh: "待我评议", en: "Waiting for me"}, id: "my-rounds",
      filter: (r) => myParty(r, ctx.me) !== "leader"});
  },
};
