// Notification preferences between the service's shape and the profile's form (plain functions, tested).
import { KINDS } from "@/views/inbox/groups";

/** The service's {channels: {kind: [channels]}, quiet_hours, daily_digest} (or nothing yet) → the form's model. */
export function fromPreferences(prefs) {
  const channels = (prefs && prefs.channels) || {};
  return {
    // a kind the service does not name keeps every channel
    email: Object.fromEntries(KINDS.map((kind) => [kind, !channels[kind] || channels[kind].includes("email")])),
    quiet_start: (prefs && prefs.quiet_hours && prefs.quiet_hours.start) || "",
    quiet_end: (prefs && prefs.quiet_hours && prefs.quiet_hours.end) || "",
    daily_digest: Boolean(prefs && prefs.daily_digest),
    channels: null,
    quiet: null,
  };
}

/** The form's model → what PUT /api/notifications/preferences takes (the inbox is always on). */
export function toPreferences(model) {
  return {
    channels: Object.fromEntries(KINDS.map((kind) => [kind, model.email[kind] ? ["inbox", "email"] : ["inbox"]])),
    quiet_hours: model.quiet_start || model.quiet_end ? { start: model.quiet_start, end: model.quiet_end } : null,
    daily_digest: Boolean(model.daily_digest),
  };
}

/** The service's field errors as the form's fields: quiet_hours (and its start and end) → quiet. */
export function preferenceErrors(details) {
  const out = {};
  for (const [name, messages] of Object.entries(details || {})) {
    if (name === "quiet_hours") out.quiet = [...(out.quiet || []), ...[].concat(flat(messages))];
    else out[name] = messages;
  }
  return out;
}

function flat(value) {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flat);
  return Object.values(value).flatMap(flat);
}
