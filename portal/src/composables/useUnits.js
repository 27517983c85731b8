// The organisation's units, loaded once for every view that names or picks a unit (the whole tree, every page
// of it), and loaded again after a unit is saved or a roster of units imported.
import { computed, reactive } from "vue";
import { units as unitsApi } from "@/api/directory";

const state = reactive({ list: [], loading: false, error: null, loaded: false });
let pending = null;

async function load(force = false) {
  if (pending) return pending;
  if (state.loaded && !force) return state.list;
  state.loading = true;
  state.error = null;
  pending = unitsApi.all()
    .then(({ items }) => {
      state.list = items;
      state.loaded = true;
      return items;
    })
    .catch((e) => {
      state.error = e;
      throw e;
    })
    .finally(() => {
      state.loading = false;
      pending = null;
    });
  return pending;
}

const byId = computed(() => new Map(state.list.map((u) => [String(u.id), u])));

/**
 * `const units = useUnits()` → units.list, units.byId (Map), units.name(id), units.loading, units.error,
 * units.load(force), units.invalidate() (after a unit is created, renamed, moved or imported).
 */
export function useUnits({ immediate = true } = {}) {
  if (immediate && !state.loaded && !state.loading) load().catch(() => {});
  return {
    state,
    get list() { return state.list; },
    byId,
    name: (id) => (id && byId.value.get(String(id)) ? byId.value.get(String(id)).name : ""),
    load,
    invalidate: () => load(true),
  };
}
