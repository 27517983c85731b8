// zh-CN first, English complete: every word a page shows comes from these catalogues. Each area of the portal
// keeps its words in its own file (zh-CN/<area>.js and en/<area>.js, the same keys in both; a unit test fails
// on a key that one language lacks).
import { createI18n } from "vue-i18n";
import zhCN from "./zh-CN";
import en from "./en";

export const LOCALES = ["zh-CN", "en"];
const LANG_KEY = "pacesetter.lang";

function initial() {
  const saved = localStorage.getItem(LANG_KEY);
  return LOCALES.includes(saved) ? saved : "zh-CN";
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export const currentLocale = () => i18n.global.locale.value;

export function setLocale(locale) {
  i18n.global.locale.value = LOCALES.includes(locale) ? locale : "zh-CN";
  localStorage.setItem(LANG_KEY, i18n.global.locale.value);
  document.documentElement.lang = i18n.global.locale.value;
}

/** A message outside a component (the API client, the router). */
export const translate = (key, values) => i18n.global.t(key, values || {});
