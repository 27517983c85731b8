// The grading years a page picks from: loaded once, the one a link asks for (?cycle=) or the default chosen.
import { computed, reactive } from "vue";
import { grading } from "@/api/grading";
import { thisYear } from "@/utils/format";
import { defaultCycle, newestFirst } from "./logic";

/** `only(cycle)` narrows the years offered (the publicity page: published and final ones). */
export function useCycles({ wanted = "", only = null } = {}) {
  const state = reactive({
    items: [],
    all: [],
    chosenId: "",
    loading: true,
    error: null,
    chosen: computed(() => state.items.find((c) => c.id === state.chosenId) || null),
    load,
  });

  async function load() {
    state.loading = true;
    state.error = null;
    try {
      const all = newestFirst(await grading.allCycles());
      state.items = only ? all.filter(only) : all;
      const current = state.items.find((c) => c.id === state.chosenId);
      const pick = current || defaultCycle(state.items, { thisYear: thisYear(), wanted });
      state.chosenId = pick ? pick.id : "";
      state.all = all;
    } catch (e) {
      state.error = e;
    } finally {
      state.loading = false;
    }
  }

  return state;
}
