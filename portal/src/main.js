import { createApp } from "vue";
import { createPinia } from "pinia";
import { ElLoading } from "element-plus";
// Components in templates bring their own styles; these are called from code (toasts, confirms, v-loading).
import "element-plus/es/components/message/style/css";
import "element-plus/es/components/message-box/style/css";
import "element-plus/es/components/notification/style/css";
import "element-plus/es/components/loading/style/css";
import App from "./App.vue";
import { registerIcons } from "./icons";
import { linkFieldErrors } from "./a11y/fieldErrors";
import router from "./router";
import { i18n, currentLocale } from "./locales";
import { whenExpired } from "./api/client";
import { useSession } from "./stores/session";
import { loadTrainingClock } from "./utils/clock";
import "./styles/index.css";

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(router);
registerIcons(app);
app.directive("loading", ElLoading.directive);

whenExpired(() => {
  useSession().ended();
  const here = router.currentRoute.value;
  if (!here.meta.public) router.replace({ name: "login", query: { redirect: here.fullPath, expired: "1" } });
});

document.documentElement.lang = currentLocale();
// the suite's clock first (a training session may run days ahead): every page's "today" goes by it
loadTrainingClock().finally(() => {
  app.mount("#app");
  linkFieldErrors();
});
