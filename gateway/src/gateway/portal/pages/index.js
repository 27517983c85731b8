// The pages the shell lists in its nav, in this order (a page shows only to the roles it names).
import myPledges from "./my-pledges.js";
import inbox from "./inbox.js";
import profile from "./profile.js";
import orgKiosks from "./org-kiosks.js";
import dashboards from "./dashboards.js";
import orgGrading from "./org-grading.js";
import orgEvaluations from "./org-evaluations.js";
import orgDirectory from "./org-directory.js";

export default [myPledges, inbox, profile, dashboards, orgGrading, orgEvaluations, orgDirectory, orgKiosks];
