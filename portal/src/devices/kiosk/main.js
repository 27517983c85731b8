// The counter kiosk (评价器): its own small page, no portal around it, no component library (big touch targets).
import { createApp } from "vue";
import { createI18n } from "vue-i18n";
import KioskApp from "./KioskApp.vue";
import messages from "./messages";
import { loadTrainingClock } from "@/utils/clock";

const params = new URLSearchParams(location.search);
const locale = params.get("lang") === "en" ? "en" : "zh-CN"; // a counter in China speaks Chinese unless set up otherwise
const i18n = createI18n({ legacy: false, locale, fallbackLocale: "zh-CN", messages });
// the suite's clock first: a rating's time must be the suite's, also on a training clock (培训模式)
loadTrainingClock().finally(() => createApp(KioskApp, { params, homeLocale: locale }).use(i18n).mount("#kiosk"));
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/kiosk-sw.js").catch(() => {});
