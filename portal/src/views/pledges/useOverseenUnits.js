// The units whose pledges a secretary oversees, for the pickers of the ledger and the 未承诺名单: the branch of a
// branch secretary, a general branch and its branches, every unit for 组织部 — in tree order with their depth.
import { ref } from "vue";
import { fetchAll } from "@/api/directory";
import { pledgeUnits } from "@/api/pledges";
import { useSession } from "@/stores/session";
import { ledgerRoots, unitOptions } from "./pledge-logic";

const allPages = async (params) => (await fetchAll((paging) => pledgeUnits.list({ ...params, ...paging }))).items;

export function useOverseenUnits() {
  const session = useSession();
  const units = ref([]);
  const loading = ref(false);
  const error = ref(null);

  /** Loads the units; resolves true when they came, false with `error` set. */
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const roots = ledgerRoots(session.me.roles);
      let found;
      if (session.has("org_department")) {
        found = await allPages({});
      } else {
        found = await Promise.all(roots.map((id) => pledgeUnits.get(id)));
        for (let frontier = found.filter((u) => u.kind !== "branch"); frontier.length;) {
          const children = (await Promise.all(frontier.map((u) => allPages({ parent_id: u.id })))).flat();
          found.push(...children);
          frontier = children.filter((u) => u.kind !== "branch" && u.kind !== "group");
        }
      }
      units.value = unitOptions(found, roots.length ? roots : found.filter((u) => !u.parent_id).map((u) => u.id));
      return true;
    } catch (e) {
      error.value = e;
      return false;
    } finally {
      loading.value = false;
    }
  }

  return { units, loading, error, load };
}
