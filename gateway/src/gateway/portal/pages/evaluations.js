// 评议: the rounds I take part in — self-assessment reporting against each target (个人自评), peer ratings
// (党员互评), the masses' rating (群众评议) and, for leaders, the comment with its mode (领导点评).
// The parties offered are the ones evaluation-service says are open to me (my_parties), never a guess here.
// The masses are asked by no list: they open a round by its link (/evaluations/<id>, passed on by those who
// take part), which the shell turns into #/evaluations/<id>, and rate it on this page.
import {MODES, PARTIES, RATINGS, formatTime, word} from "./ui.js";

// The party I rate (or rated) as: my rating's, else the first one the service leaves open to me.
export function myParty(round) {
  const mine = round.my_ratings && round.my_ratings[0];
  return mine ? mine.party : (round.my_parties || [])[0];
}

export function ratingForm(ctx, round, onDone) {
  const {api, t, h, showFieldErrors} = ctx;
  const parties = round.my_parties;
  // one person asked for two parts (e.g. evaluated and a leader) rates once, as the part they choose
  const choice = parties.length > 1 ? h("select", {name: "party"}, parties.map((p) => h("option", {value: p}, word(PARTIES, p))))
    : null;
  const party = () => (choice ? choice.value : parties[0]);
  const mode = h("label", {class: "leader-mode"}, t("点评方式", "Mode"), h("select", {name: "mode"},
    Object.keys(MODES).map((m) => h("option", {value: m}, word(MODES, m)))));
  const reports = round.targets.length ? h("fieldset", {class: "target-reports"},
    h("legend", {}, t("对照承诺目标报告完成情况", "Report against each target")),
    round.targets.map((target, i) => h("label", {}, target, h("textarea", {name: `target_reports.${i}`, rows: "2", dataset: {target}}))))
    : null;
  const anonymous = h("p", {class: "hint masses-note"}, t(
    `匿名评议：被评议人只能看到至少 ${round.min_group} 位群众的汇总结果，看不到您的姓名和评价。`,
    `Anonymous: the person evaluated sees only the summary of at least ${round.min_group} raters, never your name or rating.`));
  const commentLabel = h("span", {});
  const form = h("form", {class: "rating-form", novalidate: true},
    choice ? h("label", {}, t("评议身份", "Rate as"), choice)
      : h("p", {}, t("以", "As "), h("strong", {}, word(PARTIES, parties[0])), t(" 身份评议", "")),
    anonymous,
    h("fieldset", {}, h("legend", {}, t("评价", "Rating")),
      Object.keys(RATINGS).map((r) => h("label", {}, h("input", {type: "radio", name: "rating", value: r}), " ", word(RATINGS, r)))),
    mode, reports,
    h("label", {}, commentLabel, h("textarea", {name: "comment", rows: "2"})),
    h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("提交评议", "Submit"))));
  const sync = () => {
    form.dataset.party = party();
    mode.hidden = party() !== "leader";
    anonymous.hidden = party() !== "masses";
    if (reports) reports.hidden = party() !== "self";
    commentLabel.textContent = party() === "leader" ? t("点评意见", "Comment") : t("意见（可选）", "Comment (optional)");
  };
  if (choice) choice.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {party: party(), rating: data.get("rating") || undefined, comment: data.get("comment") || ""};
    if (body.party === "leader") body.mode = data.get("mode");
    if (body.party === "self") {
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
      round.parties.map((p) => `${word(PARTIES, p.party)} ${p.weight}% (${p.submitted})`).join(t("，", ", ")))];
}

// Those who take part pass the masses the round's link (on paper, in a chat).
function massesLink(ctx, round) {
  const {t, h} = ctx;
  if (round.state !== "open" || !round.parties.some((p) => p.party === "masses") || myParty(round) === "masses") return null;
  const link = h("input", {type: "text", readonly: true, class: "masses-link", size: "60", value: `${location.origin}/evaluations/${round.id}`,
    onfocus: (event) => event.target.select()});
  return h("label", {class: "hint"}, t("群众评议链接（转给参评群众，登录后即可评议）", "Link for the masses' part (pass it on; they log in and rate)"), link);
}

function roundItem(ctx, round, reload) {
  const {t, h} = ctx;
  const mine = round.my_ratings && round.my_ratings[0];
  const part = mine ? h("p", {class: "ok"}, t(`已提交：${word(RATINGS, mine.rating)}`, `Submitted: ${word(RATINGS, mine.rating)}`))
    : round.my_parties.length ? ratingForm(ctx, round, reload)
      : h("p", {class: "hint"}, round.state === "open" ? t("您在这项评议中没有可评的部分", "You have no part to rate in this round")
        : t("这项评议已结束", "This round is closed"));
  return h("li", {class: "round", dataset: {id: round.id}}, roundSummary(ctx, round), massesLink(ctx, round), part);
}

export function roundsPanel(el, ctx, {title, filter, id, except}) {
  const {api, t, h, panel} = ctx;
  const handle = panel(el, title, async (body) => {
    const page = await api("GET", "/api/evaluations/rounds?limit=100");
    const open = page.items.filter((r) => r.state === "open" && r.id !== except && myParty(r) && filter(r));
    body.append(h("ul", {class: "list", id}, open.length ? open.map((round) => roundItem(ctx, round, () => handle.reload()))
      : h("li", {}, t("暂无待评议事项", "Nothing to evaluate now"))));
  });
  handle.section.classList.add("wide");
  return handle;
}

// A round opened by its link.
function linkedRound(el, ctx) {
  const {api, t, h, panel, param} = ctx;
  const handle = panel(el, {zh: "评议邀请", en: "Evaluation you were invited to"}, async (body) => {
    let round;
    try {
      round = await api("GET", `/api/evaluations/rounds/${encodeURIComponent(param)}`);
    } catch (e) {
      if (e.status !== 404) throw e;
      body.append(h("p", {class: "warn", role: "alert"}, t("这项评议已结束，或您无需参加。", "This round has closed, or it has no part for you.")));
      return;
    }
    body.append(h("ul", {class: "list", id: "linked-round"}, roundItem(ctx, round, () => handle.reload())));
  });
  handle.section.classList.add("wide");
}

// Where to paste a link given on paper or in a chat.
function linkForm(el, ctx) {
  const {t, h, navigate, showFieldErrors} = ctx;
  const address = h("input", {name: "link", type: "text", inputmode: "url", autocomplete: "off",
    placeholder: `${location.origin}/evaluations/…`});
  const form = h("form", {class: "inline wide", id: "open-round-link", novalidate: true},
    h("label", {}, t("收到评议链接？粘贴到这里：", "Given a link to rate? Paste it here:"), address),
    h("button", {type: "submit"}, t("打开", "Open")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const found = address.value.trim().match(/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i);
    if (!found) {
      showFieldErrors(form, {message: t("这不是评议链接", "This is not a link to an evaluation"),
        details: {link: [t("应形如 …/evaluations/<编号>", "expected …/evaluations/<id>")]}});
      return;
    }
    navigate(`evaluations/${found[1].toLowerCase()}`);
  });
  el.append(form);
}

export default {
  id: "evaluations",
  title: {zh: "我的评议", en: "My evaluations"},
  roles: [],
  async render(el, ctx) {
    if (ctx.param) linkedRound(el, ctx);
    roundsPanel(el, ctx, {title: {zh: "待我评议", en: "Waiting for me"}, id: "my-rounds", except: ctx.param,
      filter: (r) => myParty(r) !== "leader"});
    linkForm(el, ctx);
  },
};
