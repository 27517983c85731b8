import { createRouter, createWebHistory } from "vue-router";
import { routes, allowed } from "./routes";
import { useSession } from "@/stores/session";
import { translate } from "@/locales";

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: "/login", name: "login", component: () => import("@/views/login/LoginView.vue"), meta: { public: true } },
    // the masses' suggestion box, reached by a printed QR code: no login, outside the logged-in layout
    { path: "/suggest", name: "suggest", component: () => import("@/views/public/SuggestionBox.vue"), meta: { public: true } },
    // a window's rating page, from the QR code at its counter (评价二维码): its token in ?t=
    { path: "/rate/:windowId", name: "rate", component: () => import("@/views/public/RateWindow.vue"), meta: { public: true } },
    // 公示名单 without login, on the campus network, when 组织部 allows it for the year (else it says to log in)
    { path: "/publicity/:cycleId", name: "public-publicity", component: () => import("@/views/public/PublicPublicity.vue"),
      meta: { public: true } },
    {
      path: "/",
      component: () => import("@/layout/AppLayout.vue"),
      redirect: "/home",
      children: routes,
    },
    { path: "/:rest(.*)*", name: "not-found", component: () => import("@/views/NotFound.vue"), meta: { public: true } },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSession();
  if (!session.loggedIn) return { name: "login", query: to.fullPath !== "/home" ? { redirect: to.fullPath } : {} };
  if (!session.me) {
    try {
      await session.load();
    } catch {
      return { name: "login", query: { redirect: to.fullPath } };
    }
  }
  if (to.matched.some((record) => !allowed(record, session.roles))) return { name: "home" };
  return true;
});

router.afterEach((to) => {
  const title = to.name && to.name !== "not-found" ? translate(`menu.${String(to.name)}`) : "";
  document.title = [title, translate("common.product")].filter(Boolean).join(" · ");
});

export default router;
