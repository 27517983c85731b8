// The masses' rating of a window (/rate/<window id>?t=<token>, the QR code printed at its counter), worked out apart
// from the page so that it is tested on its own: the address, what the page may offer, the rating as the service
// takes it, and what a refusal means for the page.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** 5 非常满意 … 1 非常不满意, best first, as the page offers them. */
export const LEVELS = [5, 4, 3, 2, 1];

const first = (value) => (Array.isArray(value) ? value[0] : value);

/** The full address a window's rating link (its path from GET …/link) opens on this site. */
export const rateLink = (origin, path) => (path ? `${origin}${path}` : "");

/** The window and the token the address carries, or null when the link is torn (no window, no token). */
export function linkFromRoute(params = {}, query = {}) {
  const windowId = first(params.windowId);
  const token = first(query.t);
  if (typeof windowId !== "string" || !UUID.test(windowId)) return null;
  if (typeof token !== "string" || !TOKEN.test(token)) return null;
  return { windowId: windowId.toLowerCase(), token };
}

/** The reason tags a level offers: praise for the top two, complaints for the bottom two, none in between. */
export function tagsFor(level, tagSet) {
  if (!tagSet || !level) return [];
  const group = ((tagSet.levels || []).find((l) => l.level === level) || {}).tag_group;
  return (group && tagSet.tags && tagSet.tags[group]) || [];
}

/** The rating as POST /api/ratings takes it; reasons kept only where the level offers them. */
export function ratingBody(link, tagSet, { level, reasons, on_duty_id }, clientId) {
  const offered = tagsFor(level, tagSet);
  return {
    client_id: clientId,
    window_id: link.windowId,
    level,
    reasons: (reasons || []).filter((reason) => offered.includes(reason)),
    ...(tagSet && tagSet.version ? { tag_set_version: tagSet.version } : {}),
    ...(on_duty_id ? { on_duty_id } : {}),
    link_token: link.token,
  };
}

/** What a refused call means for the page: a dead link (rotated or never valid), a window gone, or something else. */
export function refusal(error) {
  if (!error) return null;
  if (error.status === 403 && error.code === "rating_link_invalid") return "invalid";
  if (error.status === 404) return "missing";
  return null;
}
