// 领导点评: the general-branch secretary comments on open evaluation rounds, saying how (集中/个别/随机/现场).
import {roundsPanel, myParty} from "./evaluations.js";

export default {
  id: "leader-comments",
  title: {zh: "领导点评", en: "Leader comments"},
  roles: ["general_branch_secretary", "org_department"],
  async render(el, ctx) {
    roundsPanel(el, ctx, {title: {zh: "待点评的评议", en: "Rounds waiting for my comment"}, id: "leader-rounds",
      filter: (r) => myParty(r, ctx.me) === "leader"});
  },
};
