// A server-side list: filters, sort, page and page size go to the service; the service answers one page and the
// count of all matching rows (never a silent cap). A view gives the loader and the filters it offers:
//
//   const table = useTable((params) => pledges.list(params), { filters: { state: "", year: thisYear() } });
//   table.rows, table.total, table.loading, table.error  (an ApiError; table.error.unavailable → retry)
//   table.search()  (back to page 1), table.reset(), table.reload(), table.onSort({prop, order})
//   table.reload({ quiet: true })  (asking again by itself: no loading mask over rows that stay until the answer)
import { reactive, toRaw } from "vue";

import { isQuiet } from "./useFiguresPoll";

export function useTable(loader, { filters = {}, size = 20, sort = "", immediate = true } = {}) {
  const initial = { ...filters };
  const table = reactive({
    rows: [],
    total: 0,
    page: 1,
    size,
    sort,
    loading: false,
    error: null,
    filters: { ...filters },
    reload,
    search,
    reset,
    onSort,
    onPage,
    onSize,
  });
  let latest = 0;

  async function reload(options) {
    const mine = ++latest;
    table.loading = !isQuiet(options);
    table.error = null;
    try {
      const body = await loader({
        ...toRaw(table.filters),
        ...(table.sort ? { sort: table.sort } : {}),
        limit: table.size,
        offset: (table.page - 1) * table.size,
      });
      if (mine !== latest) return;
      table.rows = body.items || [];
      table.total = typeof body.total === "number" ? body.total : table.rows.length;
      // a page emptied by a change elsewhere (the last item closed): step back to the last page there is
      if (!table.rows.length && table.page > 1 && table.total > 0) {
        table.page = Math.max(1, Math.ceil(table.total / table.size));
        await reload();
      }
    } catch (e) {
      if (mine !== latest) return;
      table.error = e;
      table.rows = [];
      table.total = 0;
    } finally {
      if (mine === latest) table.loading = false;
    }
  }

  function search() {
    table.page = 1;
    return reload();
  }

  function reset() {
    table.filters = { ...initial };
    return search();
  }

  // el-table's sort-change: {prop, order: "ascending" | "descending" | null} → sort=prop or sort=-prop
  function onSort({ prop, order }) {
    table.sort = order ? `${order === "descending" ? "-" : ""}${prop}` : sort;
    return search();
  }

  function onPage(page) {
    table.page = page;
    return reload();
  }

  function onSize(value) {
    table.size = value;
    return search();
  }

  if (immediate) reload();
  return table;
}
