// The masses' suggestion box (意见箱), worked out apart from the page so that it is tested on its own: the public
// address a QR code carries, the place an address names, the note as the service takes it, a short receipt.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The public page a QR code at a window (or a unit's office) opens: /suggest?window=<id> or /suggest?unit=<id>. */
export function suggestLink(origin, { window: windowId, unit } = {}) {
  if (windowId) return `${origin}/suggest?window=${encodeURIComponent(windowId)}`;
  if (unit) return `${origin}/suggest?unit=${encodeURIComponent(unit)}`;
  return "";
}

/** Where the address sends the note: {kind: "window"|"unit", id}, or null when it names no place (a torn link). */
export function placeFromQuery(query = {}) {
  const first = (value) => (Array.isArray(value) ? value[0] : value);
  const windowId = first(query.window);
  const unit = first(query.unit);
  if (typeof windowId === "string" && UUID.test(windowId)) return { kind: "window", id: windowId.toLowerCase() };
  if (typeof unit === "string" && UUID.test(unit)) return { kind: "unit", id: unit.toLowerCase() };
  return null;
}

/** The note as POST /api/feedback/suggestions takes it: the place, the text trimmed, a complaint or not. */
export function noteBody(place, { body, is_complaint }) {
  return {
    ...(place.kind === "window" ? { window_id: place.id } : { unit_id: place.id }),
    body: String(body || "").trim(),
    is_complaint: Boolean(is_complaint),
  };
}

/** A note's receipt as the writer reads it and finds it among the published replies: its id's first 8 figures. */
export const receiptCode = (id) => String(id || "").replace(/-/g, "").slice(0, 8).toUpperCase();
