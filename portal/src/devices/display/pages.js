// What the display screen shows, without the page: its pages (亮标准、亮身份、亮承诺) from the window and the pledge
// wall, and the state it is in (not set up, window gone, cannot reach the gateway).

/** Pledges on one page: two columns of two in landscape, one column of five in portrait (1080×1920). */
export const perPage = (portrait) => (portrait ? 5 : 4);

/** The pages to rotate through, in order: the window's standards and who is on duty (a window's screen), then the
 *  pledges, a page per `per` of them (one page saying there are none when there are none). */
export function buildPages(win, wall, per) {
  const pages = [];
  if (win) {
    pages.push({ kind: "standards", standards: win.standards || {} });
    pages.push({ kind: "identity", people: win.on_duty || [] });
  }
  const items = (wall && wall.items) || [];
  if (!items.length) pages.push({ kind: "pledges", pledges: [] });
  for (let i = 0; i < items.length; i += per) pages.push({ kind: "pledges", pledges: items.slice(i, i + per) });
  return pages;
}

/** What the screen is set to show, from its address: a window (?window=), a unit (?unit=), or nothing yet. */
export function target(params) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const win = params.get("window");
  const unit = params.get("unit");
  if (win && uuid.test(win)) return { window: win };
  if (unit && uuid.test(unit)) return { unit };
  return null;
}

/**
 * The screen's state after a refresh. `failure` is what went wrong (null: nothing): "gone" (the window was
 * removed: 404) or "unreachable" (network, gateway or service away, or a limit); `kept` whether content from an
 * earlier refresh is still on the screen, which then stays, marked with the time it was fetched.
 */
export function screenState(failure, kept) {
  if (!failure) return "showing";
  if (failure === "gone") return "gone";
  return kept ? "stale" : "unreachable";
}
