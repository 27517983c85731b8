// The organisation's units and the service windows as the windows' pages name and choose them: read once a page
// (the units once for every view, by useUnits); a failure leaves the names out (each list says what failed).
import { reactive } from "vue";
import { fetchAll, windows as windowsApi } from "@/api/directory";
import { useUnits } from "@/composables/useUnits";
import { secretaryUnits } from "./logic";

/**
 * The windows a person oversees, as the case, suggestion and device pages offer them: 组织部 and ops every window;
 * a secretary the windows of their units and of every unit below.
 */
export async function overseenWindows(me, roles) {
  if (roles.has("org_department") || roles.has("ops_admin")) {
    return (await fetchAll((paging) => windowsApi.list(paging))).items;
  }
  const lists = await Promise.all(secretaryUnits(me).map(async (unit_id) =>
    (await fetchAll((paging) => windowsApi.list({ unit_id, include_below: true, ...paging }))).items));
  const seen = new Map();
  for (const w of lists.flat()) seen.set(w.id, w);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

/** {units, windows, unitName(id), windowName(id), loaded (a promise)}; `windows` only when asked for. */
export function useLookups({ me = null, roles = new Set(), windows: wantWindows = false } = {}) {
  const units = useUnits();
  const state = reactive({
    windows: [],
    get units() { return units.state.list; },
    unitName: (id) => units.name(id),
    windowName: (id) => (state.windows.find((w) => w.id === id) || {}).name || "",
  });
  state.loaded = Promise.all([
    units.load().catch(() => []),
    wantWindows ? overseenWindows(me, roles).then((list) => { state.windows = list; }).catch(() => {}) : null,
  ]);
  return state;
}
