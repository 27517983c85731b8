// #21 gaps 6 and 9 in the browser's logic: a paper sheet's body (代录: its number, and whose it is only for a named
// party), the asked people a sheet may name, and the parties left out of a result.
import { describe, expect, it } from "vitest";
import { SHEET_NO, leftOutByParty, namedFor, ownDeadline, paperBody } from "@/views/evaluations/logic";

describe("a paper sheet (代录)", () => {
  const model = { sheetNo: " P-001 ", party: "peer", raterId: "someone", rating: "good", comment: " 认真 ", mode: "" };

  it("names no one for a peer's or the masses' sheet", () => {
    expect(paperBody(model)).toEqual({ party: "peer", rating: "good", comment: "认真", sheet_no: "P-001" });
    expect(paperBody({ ...model, party: "masses" })).not.toHaveProperty("rater_id");
  });

  it("names whose it is for a self-assessment or a leader's comment", () => {
    const leader = paperBody({ ...model, party: "leader", mode: "on_site", raterId: "p-1" });
    expect(leader).toMatchObject({ party: "leader", mode: "on_site", rater_id: "p-1", sheet_no: "P-001" });
    const self = paperBody({ ...model, party: "self", raterId: "p-2", reports: ["做完了"] }, ["目标一"]);
    expect(self).toMatchObject({ rater_id: "p-2", target_reports: [{ target: "目标一", done: "做完了" }] });
  });

  it("takes sheet numbers as the service does", () => {
    expect(SHEET_NO.test("P-001")).toBe(true);
    expect(SHEET_NO.test("第1号")).toBe(false);
    expect(SHEET_NO.test("x".repeat(41))).toBe(false);
  });

  it("offers for a named party only the asked people who have not rated", () => {
    const round = { paper_entry: { parties: ["self", "leader"], named: [
      { party: "self", person_id: "a", name: "陈党员" }, { party: "leader", person_id: "b", name: "李总支" }] } };
    expect(namedFor(round, "leader")).toEqual([{ party: "leader", person_id: "b", name: "李总支" }]);
    expect(namedFor({ paper_entry: null }, "self")).toEqual([]);
  });
});

describe("the parties left out of a result", () => {
  it("are found by party", () => {
    const round = { left_out: [{ party: "masses", reason: "too_few", raters: 1 }] };
    expect(leftOutByParty(round).masses.reason).toBe("too_few");
    expect(leftOutByParty({ left_out: null })).toEqual({});
  });
});

describe("a party's own deadline", () => {
  it("shows only when it differs from the round's", () => {
    const round = { deadline: "2026-12-11T09:30:00+00:00" };
    expect(ownDeadline({ deadline: "2026-12-11T09:30:00Z" }, round)).toBeNull();
    expect(ownDeadline({ deadline: "2026-12-04T09:30:00Z" }, round)).toBe("2026-12-04T09:30:00Z");
  });
});
