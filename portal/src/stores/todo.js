// 待办: the counts the side menu and the home page show (unread notices, pledges to review, open cases, …).
// Each count is read from its list's total (limit=1), so it is what the list itself will show.
import { defineStore } from "pinia";
import { ref } from "vue";
import { http } from "@/api/client";
import { useSession } from "./session";
import { countGradingSteps } from "@/api/grading";
import { shanghaiToday, thisYear } from "@/utils/format";

const total = (body) => (body && typeof body.total === "number" ? body.total : 0);

// key → [the roles that have it (none: everybody), how to count it]
const COUNTS = {
  unread: [[], async () => {
    const body = await http.get("/api/notifications/unread-count");
    return body.count ?? body.unread ?? 0;
  }],
  // mine holds the collective pledges I take part in too; only the pledger fixes a returned one
  pledgesToFix: [[], async () => total(await http.get("/api/pledges",
    { scope: "mine", pledger_id: useSession().me?.id, state: "returned", limit: 1 }))],
  pledgesToReview: [["general_branch_secretary", "org_department"],
    async () => total(await http.get("/api/pledges", { scope: "review", state: "submitted", limit: 1 }))],
  openCases: [["branch_secretary", "general_branch_secretary", "org_department"],
    async () => total(await http.get("/api/feedback/cases", { state: ["open", "escalated"], limit: 1 }))],
  evaluationsToGive: [[], async () => total(await http.get("/api/evaluations/rounds", { waiting: true, limit: 1 }))],
  gradingSteps: [["branch_secretary", "general_branch_secretary"], async () => {
    const session = useSession();
    return countGradingSteps(session.roles, session.me, { thisYear: thisYear(), today: shanghaiToday() });
  }],
};

export const useTodo = defineStore("todo", () => {
  const counts = ref({});
  let timer = null;

  async function refresh(keys = Object.keys(COUNTS)) {
    const session = useSession();
    await Promise.all(keys.map(async (key) => {
      const [roles, count] = COUNTS[key] || [];
      if (!count || (roles.length && !session.has(...roles))) return;
      try {
        const value = await count(); // awaited before the spread: counts read at once must not undo each other
        counts.value = { ...counts.value, [key]: value };
      } catch {
        // a service that is away leaves its badge as it was; its page says why
      }
    }));
  }

  function start() {
    stop();
    refresh();
    timer = setInterval(refresh, 30000);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  return { counts, refresh, start, stop };
});
