// 定时任务 in people's words: a job's title (its code when the catalogue has none), how often it runs.
const UNITS = [["days", 86400], ["hours", 3600], ["minutes", 60]];

export function everyText(t, seconds) {
  const [unit, size] = UNITS.find(([, size]) => seconds >= size && seconds % size === 0) || ["seconds", 1];
  return t(`ops.jobs.${unit}`, { count: seconds / size });
}

/** pledge.mark_overdue → ops.jobs.names.pledge.mark_overdue (the catalogue nests by service). */
export const jobTitle = (t, te, name) => (te(`ops.jobs.names.${name}`) ? t(`ops.jobs.names.${name}`) : name);
