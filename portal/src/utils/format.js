// Dates for people in Asia/Shanghai (the services store and answer UTC).
import { currentLocale } from "@/locales";

const ZONE = "Asia/Shanghai";

function formatter(options) {
  return new Intl.DateTimeFormat(currentLocale() === "en" ? "en-GB" : "zh-CN", { timeZone: ZONE, ...options });
}

export function formatDateTime(value) {
  if (!value) return "";
  return formatter({ year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false })
    .format(new Date(value));
}

export function formatDate(value) {
  if (!value) return "";
  // a bare date (2026-12-05) is a calendar day, not an instant: shown as it is
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return formatter({ year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(value));
}

/** Today in Shanghai as YYYY-MM-DD. */
export function shanghaiToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());
}

export const thisYear = () => Number(shanghaiToday().slice(0, 4));

export const percent = (value, digits = 1) =>
  value === null || value === undefined ? "—" : `${(Number(value) * 100).toFixed(digits)}%`;
