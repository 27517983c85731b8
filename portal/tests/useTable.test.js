import { describe, expect, it, vi } from "vitest";
import { useTable } from "@/composables/useTable";

const page = (items, total) => ({ items, total });

describe("useTable", () => {
  it("asks the service for one page with the filters and the sort, and keeps the count of all rows", async () => {
    const loader = vi.fn(async () => page([{ id: 1 }, { id: 2 }], 57));
    const table = useTable(loader, { filters: { state: "open", window_id: "" }, size: 20, immediate: false });
    table.page = 3;
    await table.reload();
    expect(loader).toHaveBeenCalledWith({ state: "open", window_id: "", limit: 20, offset: 40 });
    expect(table.rows).toHaveLength(2);
    expect(table.total).toBe(57);
  });

  it("goes back to the first page on a new search and turns el-table's sort into the services' sort", async () => {
    const loader = vi.fn(async () => page([], 0));
    const table = useTable(loader, { immediate: false });
    table.page = 4;
    await table.onSort({ prop: "deadline", order: "descending" });
    expect(table.page).toBe(1);
    expect(loader).toHaveBeenLastCalledWith({ sort: "-deadline", limit: 20, offset: 0 });
    await table.onSort({ prop: "deadline", order: "ascending" });
    expect(loader).toHaveBeenLastCalledWith({ sort: "deadline", limit: 20, offset: 0 });
  });

  it("steps back to the last page there is when the page it showed has emptied", async () => {
    const loader = vi.fn(async ({ offset }) => (offset >= 40 ? page([], 30) : page([{ id: 21 }], 30)));
    const table = useTable(loader, { immediate: false });
    table.page = 3;
    await table.reload();
    expect(table.page).toBe(2);
    expect(table.rows).toEqual([{ id: 21 }]);
  });

  it("keeps the error for the page to show, with nothing else", async () => {
    const failure = Object.assign(new Error("down"), { unavailable: true });
    const table = useTable(async () => { throw failure; }, { immediate: false });
    await table.reload();
    expect(table.error).toBe(failure);
    expect(table.rows).toEqual([]);
    expect(table.loading).toBe(false);
  });

  it("shows only the answer to the newest request when two overlap", async () => {
    let release;
    const slow = new Promise((resolve) => { release = resolve; });
    const loader = vi.fn()
      .mockImplementationOnce(() => slow)
      .mockImplementationOnce(async () => page([{ id: "new" }], 1));
    const table = useTable(loader, { immediate: false });
    const first = table.reload();
    await table.reload();
    release(page([{ id: "old" }], 1));
    await first;
    expect(table.rows).toEqual([{ id: "new" }]);
  });

  it("asks again quietly when told to (the figures being prepared): no loading mask over the rows", async () => {
    let release;
    const table = useTable(() => new Promise((resolve) => { release = resolve; }), { immediate: false });
    const quiet = table.reload({ quiet: true });
    expect(table.loading).toBe(false);
    release(page([{ id: 1 }], 1));
    await quiet;
    expect(table.rows).toEqual([{ id: 1 }]);
    const loud = table.reload();
    expect(table.loading).toBe(true);
    release(page([], 0));
    await loud;
  });
});
