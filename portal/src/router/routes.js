// Every page of the portal: its address, its view, who may open it (meta.roles: any of them; none = every
// person logged in) and where it sits in the side menu (meta.menu: the group's key, or absent when the page is
// reached only from a link: a pledge, a round). A notice's link (/pledges/<id>, /evaluations/<id>,
// /grading/<id>, /windows/<id>, /feedback/<case id>) is an address here too: an e-mail's link opens the item.
import { pledgesLink } from "@/views/pledges/links";

const SECRETARIES = ["branch_secretary", "general_branch_secretary", "org_department"];
const REVIEWERS = ["general_branch_secretary", "org_department"];
const ORG = ["org_department"];
const DIRECTORY = ["org_department", "ops_admin"];

export const MENU_GROUPS = [
  { key: "pledges", icon: "Flag" },
  { key: "evaluations", icon: "Star" },
  { key: "windows", icon: "Service" },
  { key: "grading", icon: "TrendCharts" },
  { key: "directory", icon: "OfficeBuilding" },
  { key: "ops", icon: "Timer" },
];

const page = (path, name, view, meta = {}) => ({ path, name, component: view, meta });

export const routes = [
  page("/home", "home", () => import("@/views/home/HomeView.vue"), { icon: "HomeFilled", top: true }),

  page("/pledges/mine", "my-pledges", () => import("@/views/pledges/MyPledges.vue"), { menu: "pledges", todo: "pledgesToFix" }),
  page("/pledges/review", "pledge-review", () => import("@/views/pledges/PledgeReview.vue"),
    { menu: "pledges", roles: REVIEWERS, todo: "pledgesToReview" }),
  page("/pledges/ledger", "pledge-ledger", () => import("@/views/pledges/PledgeLedger.vue"), { menu: "pledges", roles: SECRETARIES }),
  page("/pledges/unpledged", "pledge-unpledged", () => import("@/views/pledges/Unpledged.vue"), { menu: "pledges", roles: SECRETARIES }),
  page("/pledges/:id", "pledge", () => import("@/views/pledges/PledgeDetail.vue"), { parent: "my-pledges" }),
  // a notice's /pledges?status=overdue: the ledger filtered to overdue for a secretary, else my pledges
  { path: "/pledges", component: () => import("@/views/pledges/MyPledges.vue"), meta: {}, beforeEnter: pledgesLink },

  page("/evaluations/todo", "my-evaluations", () => import("@/views/evaluations/MyEvaluations.vue"),
    { menu: "evaluations", todo: "evaluationsToGive" }),
  page("/evaluations/results", "my-results", () => import("@/views/evaluations/MyResults.vue"), { menu: "evaluations" }),
  page("/evaluations/leader", "leader-comments", () => import("@/views/evaluations/LeaderComments.vue"),
    { menu: "evaluations", roles: REVIEWERS }),
  page("/evaluations/annual", "org-evaluations", () => import("@/views/evaluations/OrgEvaluations.vue"), { menu: "evaluations", roles: ORG }),
  page("/evaluations/:id", "round", () => import("@/views/evaluations/RoundDetail.vue"), { parent: "my-evaluations" }),

  page("/windows/cases", "cases", () => import("@/views/windows/CaseList.vue"), { menu: "windows", roles: SECRETARIES, todo: "openCases" }),
  page("/windows/satisfaction", "window-satisfaction", () => import("@/views/windows/WindowSatisfaction.vue"),
    { menu: "windows", roles: SECRETARIES }),
  page("/windows/suggestions", "suggestions", () => import("@/views/windows/Suggestions.vue"), { menu: "windows", roles: SECRETARIES }),
  page("/windows/appeals", "appeals", () => import("@/views/windows/AppealList.vue"), { menu: "windows", roles: REVIEWERS }),
  page("/windows/devices", "devices", () => import("@/views/windows/Devices.vue"), { menu: "windows", roles: DIRECTORY }),
  // the address a new kiosk's or display's QR code opens (/devices/pair?code=BDFG-HJKL): its secretaries confirm too
  page("/devices/pair", "pair-device", () => import("@/views/windows/PairDevice.vue"),
    { menu: "windows", roles: [...SECRETARIES, "ops_admin"] }),
  page("/windows/stars", "stars", () => import("@/views/windows/ServiceStars.vue"), { parent: "window-satisfaction" }),
  page("/feedback/:id", "case", () => import("@/views/windows/CaseList.vue"), { parent: "cases", roles: SECRETARIES }),
  // a star window's notice goes to the window's responsible person, who need not be a secretary
  page("/windows/:id", "window", () => import("@/views/windows/WindowSatisfaction.vue"), { parent: "window-satisfaction" }),

  page("/grading/branch", "branch-grading", () => import("@/views/grading/BranchGrading.vue"),
    { menu: "grading", roles: ["branch_secretary"], todo: "gradingSteps" }),
  page("/grading/general", "general-grading", () => import("@/views/grading/GeneralBranchGrading.vue"),
    { menu: "grading", roles: ["general_branch_secretary"], todo: "gradingSteps" }),
  page("/grading/cycles", "org-grading", () => import("@/views/grading/OrgGrading.vue"), { menu: "grading", roles: ORG }),
  page("/grading/publicity", "grading-publicity", () => import("@/views/grading/GradingPublicity.vue"), { menu: "grading" }),
  page("/grading/:id", "cycle", () => import("@/views/grading/CycleRedirect.vue"), { parent: "grading-publicity" }),

  page("/directory/members", "branch-members", () => import("@/views/directory/BranchMembers.vue"),
    { menu: "directory", roles: ["branch_secretary", "general_branch_secretary"] }),
  page("/directory/units", "units", () => import("@/views/directory/Units.vue"), { menu: "directory", roles: DIRECTORY }),
  page("/directory/persons", "persons", () => import("@/views/directory/Persons.vue"), { menu: "directory", roles: DIRECTORY }),
  page("/directory/windows", "windows", () => import("@/views/directory/Windows.vue"), { menu: "directory", roles: DIRECTORY }),
  page("/directory/calendar", "work-calendar", () => import("@/views/directory/WorkCalendar.vue"), { menu: "directory", roles: ORG }),
  page("/directory/forms", "form-templates", () => import("@/views/directory/FormTemplates.vue"), { menu: "directory", roles: ORG }),
  page("/directory/archives", "year-archives", () => import("@/views/directory/YearArchives.vue"), { menu: "directory", roles: SECRETARIES }),

  page("/ops/jobs", "ops-jobs", () => import("@/views/ops/ScheduledJobs.vue"), { menu: "ops", roles: ["ops_admin"] }),

  page("/dashboards", "dashboards", () => import("@/views/dashboards/DashboardsView.vue"), { icon: "DataAnalysis", top: true, roles: SECRETARIES }),
  page("/inbox", "inbox", () => import("@/views/inbox/InboxView.vue"), { icon: "Bell", top: true, todo: "unread" }),
  page("/profile", "profile", () => import("@/views/profile/ProfileView.vue"), { icon: "User", top: true }),
];

/** Whether a person with these roles may open the route. */
export function allowed(route, roles) {
  const needed = route.meta && route.meta.roles;
  return !needed || !needed.length || needed.some((role) => roles.has(role));
}
