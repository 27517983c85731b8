// The appeal audit page (申诉复核台账): its filters as the service's query, a decision as the service takes it, and
// a word for every state in both languages.
import { describe, expect, it } from "vitest";
import { APPEAL_STATES, appealDecision, appealQuery } from "@/views/windows/logic";
import { routes } from "@/router/routes";
import zhWindows from "@/locales/zh-CN/windows";
import enWindows from "@/locales/en/windows";

describe("the appeal audit's filters", () => {
  it("leaves out what is not chosen", () => {
    expect(appealQuery({ state: "", window_id: "", unit_id: "", filed: null })).toEqual({});
    expect(appealQuery()).toEqual({});
  });

  it("sends a known state, the window, the unit and a whole range of filing days", () => {
    expect(appealQuery({ state: "upheld", window_id: "w1", unit_id: "u1", filed: ["2026-12-01", "2026-12-05"] }))
      .toEqual({ state: "upheld", window_id: "w1", unit_id: "u1", from: "2026-12-01", to: "2026-12-05" });
    expect(appealQuery({ state: "lost", filed: ["2026-12-01", ""] })).toEqual({});
  });
});

describe("a decision", () => {
  it("sends its reason trimmed, so that a blank one is the service's to refuse", () => {
    expect(appealDecision({ decision: "rejected", note: "  评价属实 \n" })).toEqual({ decision: "rejected", note: "评价属实" });
    expect(appealDecision({ decision: "upheld", note: null })).toEqual({ decision: "upheld", note: "" });
  });
});

describe("the page", () => {
  it("is for 组织部 and general branch secretaries, under the windows menu", () => {
    const page = routes.find((r) => r.name === "appeals");
    expect(page.path).toBe("/windows/appeals");
    expect(page.meta).toMatchObject({ menu: "windows", roles: ["general_branch_secretary", "org_department"] });
  });

  it("names every state in both languages", () => {
    for (const locale of [zhWindows, enWindows]) {
      expect(Object.keys(locale.appeals.states).sort()).toEqual([...APPEAL_STATES].sort());
    }
  });
});
