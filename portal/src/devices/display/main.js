// The display screen (电子显示屏): 亮标准、亮身份、亮承诺, public and read-only, its own small page.
import { createApp } from "vue";
import { createI18n } from "vue-i18n";
import DisplayApp from "./DisplayApp.vue";
import messages from "./messages";
import zhPledges from "@/locales/zh-CN/pledges";
import enPledges from "@/locales/en/pledges";

const params = new URLSearchParams(location.search);
const locale = params.get("lang") === "en" ? "en" : "zh-CN";
// the pledge areas (五带头) in the portal's own words, not a second copy
messages["zh-CN"].areas = zhPledges.areas;
messages.en.areas = enPledges.areas;
const i18n = createI18n({ legacy: false, locale, fallbackLocale: "zh-CN", messages });
createApp(DisplayApp, { params }).use(i18n).mount("#display");
