// The pages the shell lists in its nav, in this order (a page shows only to the roles it names).
import myPledges from "./my-pledges.js";
import evaluations from "./evaluations.js";
import results from "./results.js";
import inbox from "./inbox.js";
import review from "./review.js";
import leaderComments from "./leader-comments.js";
import gbGrading from "./gb-grading.js";
import ledger from "./ledger.js";
import branchGrading from "./branch-grading.js";
import branchWindows from "./branch-windows.js";
import branchMembers from "./branch-members.js";
import profile from "./profile.js";
import orgKiosks from "./org-kiosks.js";
import dashboards from "./dashboards.js";
import orgGrading from "./org-grading.js";
import orgEvaluations from "./org-evaluations.js";
import orgDirectory from "./org-directory.js";
import gradingPublicity from "./grading-publicity.js";

export default [myPledges, evaluations, results, inbox, review, leaderComments, gbGrading, ledger, branchMembers,
  branchGrading, branchWindows, profile, dashboards, orgGrading, orgEvaluations, orgDirectory, orgKiosks,
  gradingPublicity];
