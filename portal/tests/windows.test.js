// The windows' pages' own logic: the cases' filters as the service's query, a batch's failures, months and a trend,
// the page a linked star is on, tag sets, display links, a note's handling, copying without the Clipboard API.
import { describe, expect, it, vi } from "vitest";
import {
  NOTE_NEXT, addMonths, batchOutcome, caseClosable, caseQuery, caseRowClass, casesFromQuery, displayLink,
  isMonth, monthBounds, monthsEnding, nextDay, noteHandling, pageOfKey, rootUnit, secretaryUnits, tagLines, trendPoints,
} from "@/views/windows/logic";
import { copyText } from "@/utils/clipboard";
import zhWindows from "@/locales/zh-CN/windows";
import enWindows from "@/locales/en/windows";

describe("the cases' search form", () => {
  it("asks for the unclosed cases as open and escalated together, and leaves out what is not chosen", () => {
    expect(caseQuery({ window_id: "", state: "unclosed", overdue: "", deadline: null })).toEqual({ state: ["open", "escalated"] });
    expect(caseQuery({ state: "all" })).toEqual({});
    expect(caseQuery({ state: "closed", window_id: "w1" })).toEqual({ state: ["closed"], window_id: "w1" });
  });

  it("sends overdue as the service's boolean, both ways", () => {
    expect(caseQuery({ overdue: "true" }).overdue).toBe("true");
    expect(caseQuery({ overdue: "false" }).overdue).toBe("false");
    expect(caseQuery({ overdue: "" })).not.toHaveProperty("overdue");
  });

  it("turns a range of deadline days into Beijing times, the last day included", () => {
    expect(caseQuery({ deadline: ["2026-12-01", "2026-12-31"] })).toEqual({
      deadline_after: "2026-12-01T00:00:00", deadline_before: "2027-01-01T00:00:00",
    });
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(caseQuery({ deadline: ["2026-12-01", null] })).toEqual({});
  });

  it("takes a window, a state and overdue from the address, and nothing it does not know", () => {
    const defaults = { window_id: "", state: "unclosed", overdue: "" };
    expect(casesFromQuery({ window_id: "w1", overdue: "true", state: "all" }, defaults))
      .toEqual({ window_id: "w1", state: "all", overdue: "true" });
    expect(casesFromQuery({ state: "nonsense", overdue: "maybe" }, defaults)).toEqual(defaults);
  });

  it("marks an overdue row and the linked one, and lets only unclosed cases be chosen", () => {
    expect(caseRowClass({ id: "a", overdue: true }, "")).toBe("row-overdue");
    expect(caseRowClass({ id: "a", overdue: true }, "a")).toBe("row-overdue row-linked");
    expect(caseRowClass({ id: "b", overdue: false }, "a")).toBe("");
    expect(caseClosable({ state: "escalated" })).toBe(true);
    expect(caseClosable({ state: "closed" })).toBe(false);
  });
});

describe("a batch close's answer", () => {
  it("names every case that was not closed, with why, in the order sent", () => {
    const rows = [{ id: "1", window_name: "教务窗口" }, { id: "2", window_name: "学工窗口" }, { id: "3" }];
    const outcome = batchOutcome({
      closed: 1, failed: 2,
      items: [
        { id: "1", status: "closed", case: { id: "1" }, error: null },
        { id: "2", status: "failed", case: null, error: { code: "case_closed", message: "该差评已办结" } },
        { id: "3", status: "failed", case: null, error: { code: "not_found", message: "没有这件差评" } },
      ],
    }, rows);
    expect(outcome.closed).toBe(1);
    expect(outcome.failed).toBe(2);
    expect(outcome.failures.map((f) => [f.id, f.row && f.row.window_name, f.code, f.message])).toEqual([
      ["2", "学工窗口", "case_closed", "该差评已办结"],
      ["3", undefined, "not_found", "没有这件差评"],
    ]);
  });

  it("says all closed when nothing failed", () => {
    expect(batchOutcome({ closed: 3, failed: 0, items: [1, 2, 3].map((id) => ({ id, status: "closed" })) }))
      .toMatchObject({ closed: 3, failed: 0, failures: [] });
  });
});

describe("months and a window's trend", () => {
  it("counts months across a year's end and bounds a month by its days", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", 3)).toBe("2027-02");
    expect(monthBounds("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthsEnding("2026-03", 12)).toEqual([
      "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09",
      "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    ]);
    expect(isMonth("2026-12")).toBe(true);
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth(undefined)).toBe(false);
  });

  it("puts each month's figures in its place, a month hidden for anonymity apart from one without ratings", () => {
    const points = trendPoints([
      { period_start: "2026-01-01", shown: true, total: 40, satisfaction_rate: 0.95, counts: { 5: 30 } },
      { period_start: "2026-03-01", shown: false, total: null, satisfaction_rate: null, counts: null },
    ], ["2026-01", "2026-02", "2026-03"]);
    expect(points).toEqual([
      { month: "2026-01", ratings: 40, rate: 0.95, hidden: false, counts: { 5: 30 } },
      { month: "2026-02", ratings: 0, rate: null, hidden: false, counts: null },
      { month: "2026-03", ratings: null, rate: null, hidden: true, counts: null },
    ]);
  });
});

describe("the organisation as the pickers see it", () => {
  const units = [
    { id: "c", parent_id: null, kind: "committee", name: "党委" },
    { id: "g", parent_id: "c", kind: "general_branch", name: "党总支" },
    { id: "b", parent_id: "g", kind: "branch", name: "支部" },
  ];

  it("finds the committee at the top, and the units a person leads as a secretary", () => {
    expect(rootUnit(units).id).toBe("c");
    expect(rootUnit([])).toBe(null);
    expect(secretaryUnits({ roles: [
      { role: "member", unit_id: "b" }, { role: "branch_secretary", unit_id: "b" },
      { role: "general_branch_secretary", unit_id: "g" }, { role: "org_department", unit_id: "c" },
    ] })).toEqual(["b", "g"]);
    expect(secretaryUnits(null)).toEqual([]);
  });
});

describe("the page a linked star is on", () => {
  const everyone = Array.from({ length: 250 }, (_v, i) => ({ key: `p${i}` }));
  const load = vi.fn(async ({ limit, offset }) => ({ items: everyone.slice(offset, offset + limit), total: everyone.length }));

  it("reads the list a hundred at a time until it finds the key", async () => {
    expect(await pageOfKey(load, "p0", 20)).toBe(1);
    expect(await pageOfKey(load, "p20", 20)).toBe(2);
    load.mockClear();
    expect(await pageOfKey(load, "p245", 20)).toBe(13);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("answers the first page when the key is not there, without reading past the end", async () => {
    load.mockClear();
    expect(await pageOfKey(load, "nobody", 10)).toBe(1);
    expect(load).toHaveBeenCalledTimes(3);
  });
});

describe("tags, display links and a note's handling", () => {
  it("reads a tag box one tag a line, blanks left out", () => {
    expect(tagLines(" 服务态度 \n\n办事效率\n  \n")).toEqual(["服务态度", "办事效率"]);
    expect(tagLines("   ")).toEqual([]);
  });

  it("builds a display screen's public address for a window or a unit", () => {
    expect(displayLink("http://x.edu", { window: "w 1" })).toBe("http://x.edu/display?window=w%201");
    expect(displayLink("http://x.edu", { unit: "u1" })).toBe("http://x.edu/display?unit=u1");
    expect(displayLink("http://x.edu", {})).toBe("");
  });

  it("sends a reply only when there is one, and never publishes an empty one", () => {
    expect(noteHandling({ state: "answered", reply: "  已安排值守 ", publish: true }))
      .toEqual({ state: "answered", reply: "已安排值守", publish: true });
    expect(noteHandling({ state: "closed", reply: "  ", publish: true })).toEqual({ state: "closed", publish: false });
  });

  it("moves a note only forward, as the service does", () => {
    expect(NOTE_NEXT.open).toContain("answered");
    expect(NOTE_NEXT.answered).toEqual(["closed"]);
    expect(NOTE_NEXT.closed).toEqual([]);
  });
});

describe("copying a link", () => {
  it("falls back to a selected text box where the Clipboard API is not allowed (plain http)", async () => {
    const exec = vi.fn(() => true);
    const original = document.execCommand;
    document.execCommand = exec;
    try {
      expect(await copyText("http://portal/display?window=1")).toBe(true);
      expect(exec).toHaveBeenCalledWith("copy");
      expect(document.querySelectorAll("textarea").length).toBe(0); // the box is gone again
    } finally {
      document.execCommand = original;
    }
  });
});

describe("the windows' words", () => {
  it("name every level and every case state in both languages", () => {
    for (const words of [zhWindows, enWindows]) {
      expect(Object.keys(words.levels).sort()).toEqual(["1", "2", "3", "4", "5"]);
      expect(Object.keys(words.cases.states).sort()).toEqual(["all", "closed", "escalated", "open", "unclosed"]);
      expect(Object.keys(words.notes.states).sort()).toEqual(Object.keys(NOTE_NEXT).sort());
    }
  });
});

vi.mock("@/api/feedback", () => ({
  cases: { list: vi.fn(), get: vi.fn(), close: vi.fn(), closeBatch: vi.fn() },
  suggestions: { list: vi.fn(), handle: vi.fn(), published: vi.fn() },
}));
vi.mock("@/utils/feedback", () => ({ confirmAction: vi.fn(async () => true), toastSuccess: vi.fn(), toastError: vi.fn() }));

describe("the close drawer", { timeout: 30000 }, () => {
  const openCase = (id, extra = {}) => ({
    id, window_id: "w", window_name: `窗口${id}`, source: "rating", unit_id: "u", level: 1, reasons: [], state: "open",
    deadline: "2026-12-12T00:00:00+00:00", opened_at: "2026-12-05T02:00:00+00:00", overdue: false, ...extra,
  });

  async function drawer(cases) {
    const { mount, flushPromises } = await import("@vue/test-utils");
    const { i18n } = await import("@/locales");
    i18n.global.locale.value = "zh-CN";
    window.matchMedia = window.matchMedia || (() => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    const CaseDrawer = (await import("@/views/windows/components/CaseDrawer.vue")).default;
    const wrapper = mount(CaseDrawer, {
      props: { modelValue: true, cases },
      global: { plugins: [i18n], stubs: { transition: false, "transition-group": false } },
      attachTo: document.body,
    });
    await flushPromises();
    return { wrapper, flushPromises };
  }

  const body = () => document.body;
  const fill = async (flushPromises) => {
    const box = body().querySelector("textarea[name=action_taken]");
    box.value = "统一整改";
    box.dispatchEvent(new Event("input"));
    body().querySelector("[data-test=called-back-yes] input").click();
    await flushPromises();
  };

  it("sends nothing while the required fields are empty, in the user's language", async () => {
    const api = (await import("@/api/feedback")).cases;
    const { wrapper, flushPromises } = await drawer([openCase("a"), openCase("b")]);
    body().querySelector("#close-case-form").dispatchEvent(new Event("submit"));
    // the rules run asynchronously (async-validator): wait for their messages, not for a while
    await vi.waitFor(() => expect([...body().querySelectorAll(".el-form-item__error")].map((e) => e.textContent.trim()))
      .toEqual(["此项为必填项", "此项为必填项"]), { timeout: 10000 });
    expect(api.closeBatch).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it("closes the chosen cases with one call and lists each case it could not close, with why", async () => {
    const api = (await import("@/api/feedback")).cases;
    api.closeBatch.mockResolvedValueOnce({
      closed: 1, failed: 1,
      items: [
        { id: "a", status: "closed", case: openCase("a", { state: "closed" }), error: null },
        { id: "b", status: "failed", case: null, error: { code: "case_closed", message: "该事项已办结。" } },
      ],
    });
    const { wrapper, flushPromises } = await drawer([openCase("a"), openCase("b")]);
    await fill(flushPromises);
    body().querySelector("#close-case-form").dispatchEvent(new Event("submit"));
    await vi.waitFor(() => expect(body().querySelectorAll("[data-test=batch-failures] li").length).toBe(1), { timeout: 10000 });
    await flushPromises();
    expect(api.closeBatch).toHaveBeenCalledWith({ ids: ["a", "b"], action_taken: "统一整改", called_back: true });
    const failures = [...body().querySelectorAll("[data-test=batch-failures] li")];
    expect(failures.map((li) => li.dataset.id)).toEqual(["b"]);
    expect(failures[0].textContent).toContain("该事项已办结。");
    expect(wrapper.emitted("done")[0][0].map((c) => c.id)).toEqual(["a"]);
    expect(wrapper.emitted("update:modelValue")).toBeUndefined(); // stays open to show what failed
    wrapper.unmount();
  });
});
