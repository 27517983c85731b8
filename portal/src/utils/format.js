// Dates for people in Asia/Shanghai (the services store and answer UTC).
import { suiteNow } from "./clock";

const ZONE = "Asia/Shanghai";

// One way of writing a moment in both languages, as Chinese admin systems do: 2026-12-05 14:30.
const PARTS = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

function shanghai(value) {
  const parts = Object.fromEntries(PARTS.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function formatDateTime(value) {
  if (!value) return "";
  const { date, time } = shanghai(value);
  return `${date} ${time}`;
}

/** A deadline as the end of its day: one stored at 0:00 (as follow-up cases were before #21) reads as the day
 * before at 24:00, the day it was really due, not the next day. */
export function formatDeadline(value) {
  if (!value) return "";
  const { date, time } = shanghai(value);
  if (time !== "00:00") return `${date} ${time}`;
  return `${shanghai(new Date(value).getTime() - 60000).date} 24:00`;
}

export function formatDate(value) {
  if (!value) return "";
  // a bare date (2026-12-05) is a calendar day, not an instant: shown as it is
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return shanghai(value).date;
}

/** Today in Shanghai as YYYY-MM-DD. */
export function shanghaiToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date(suiteNow()));
}

export const thisYear = () => Number(shanghaiToday().slice(0, 4));

export const percent = (value, digits = 1) =>
  value === null || value === undefined ? "—" : `${(Number(value) * 100).toFixed(digits)}%`;
