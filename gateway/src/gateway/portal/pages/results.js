// 评议结果: my completed evaluations with the score of each party (明细), as far as anonymity allows.
import {PARTIES, RATINGS, formatTime, score, table, word} from "./ui.js";

export default {
  id: "my-results",
  title: {zh: "我的评议结果", en: "My results"},
  roles: [],
  async render(el, {api, t, h, panel, me}) {
    const results = panel(el, {zh: "评议结果", en: "Results"}, async (body) => {
      const page = await api("GET", "/api/evaluations/rounds?limit=100");
      const mine = page.items.filter((r) => r.subject_person_id === me.id && r.state !== "open");
      body.append(h("ul", {class: "list", id: "results"}, mine.length ? mine.map((r) => h("li", {class: "result", dataset: {id: r.id}},
        h("strong", {class: "title"}, r.title || t("评议", "Evaluation")),
        r.state === "completed"
          ? h("p", {}, t("综合得分 ", "Score "), h("strong", {class: "score"}, score(r.score)), " · ",
            h("strong", {class: "level"}, word(RATINGS, r.level)), " · ", h("span", {class: "hint"}, formatTime(r.closed_at)))
          : h("p", {class: "warn"}, t("评议未达到法定比例，未形成结果", "Closed without enough ratings for a result")),
        r.breakdown ? table(h, [t("评议主体", "Party"), t("权重", "Weight"), t("参评人数", "Raters"), t("得分", "Score")],
          r.breakdown.map((b) => [word(PARTIES, b.party), `${b.weight}%`, String(b.raters),
            b.score === null ? t("人数不足，不显示", "too few to show") : score(b.score)]), {class: "breakdown"}) : null))
        : h("li", {}, t("暂无评议结果", "No results yet"))));
    });
    results.section.classList.add("wide");
  },
};
