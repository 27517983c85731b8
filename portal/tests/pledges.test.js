// What the pledge pages decide in the browser (views/pledges/pledge-logic.js).
import { describe, expect, it, vi } from "vitest";
import {
  annualOfYear, eachOf, emptyPledge, exemptionOf, formOf, ledgerParams, ledgerRoots, lines, linkOptions, pledgeActions,
  pledgeBody, pledgesLinkTarget, remindedToast, reviews, safeUrl, shortened, stateFromQuery, takesPart, timeline, toRemind, yearFromQuery,
  unitOptions, unpledgedParams, yearOptions,
} from "@/views/pledges/pledge-logic";

describe("the actions a pledge allows", () => {
  it("lets the pledger edit and submit a draft or a returned pledge, report on a running one, withdraw until it is done", () => {
    const mine = (state) => pledgeActions({ state }, { pledger: true });
    expect(mine("draft")).toEqual(["edit", "submit", "withdraw"]);
    expect(mine("returned")).toEqual(["edit", "submit", "withdraw"]);
    expect(mine("submitted")).toEqual(["withdraw"]);
    expect(mine("published")).toEqual(["report", "fulfil", "withdraw"]);
    expect(mine("overdue")).toEqual(["report", "fulfil", "withdraw"]);
    for (const done of ["fulfilled", "evaluated", "closed", "withdrawn"]) expect(mine(done)).toEqual([]);
  });

  it("lets the reviewer approve or return a submitted pledge, publish an approved one, close an evaluated one", () => {
    const theirs = (state) => pledgeActions({ state }, { reviewer: true });
    expect(theirs("submitted")).toEqual(["approve", "return"]);
    expect(theirs("approved")).toEqual(["publish"]);
    expect(theirs("evaluated")).toEqual(["close"]);
    expect(theirs("draft")).toEqual([]);
    expect(pledgeActions({ state: "submitted" })).toEqual([]); // neither: a fellow member reading a public pledge
  });

  it("lets a participant of a collective pledge report progress on it while it runs, and nothing else", () => {
    const together = { pledger_kind: "member", mode: "collective", pledger_id: "m1", participant_ids: ["m2", "m3"] };
    expect(takesPart(together, "m2")).toBe(true);
    expect(takesPart(together, "m1")).toBe(false); // the pledger
    expect(takesPart(together, "m4")).toBe(false);
    expect(takesPart({ ...together, mode: "individual" }, "m2")).toBe(false); // ids left from a collective draft
    const theirs = (state) => pledgeActions({ ...together, state }, { participant: true });
    expect(theirs("published")).toEqual(["report"]);
    expect(theirs("overdue")).toEqual(["report"]);
    for (const state of ["draft", "submitted", "returned", "fulfilled", "withdrawn"]) expect(theirs(state)).toEqual([]);
  });

  it("knows who reviews a unit: 组织部 every one, a general branch's secretary its branches only", () => {
    const branch = { id: "b1", parent_id: "gb1" };
    expect(reviews([{ role: "org_department", unit_id: "c" }], branch)).toBe(true);
    expect(reviews([{ role: "general_branch_secretary", unit_id: "gb1" }], branch)).toBe(true);
    expect(reviews([{ role: "general_branch_secretary", unit_id: "gb2" }], branch)).toBe(false);
    expect(reviews([{ role: "branch_secretary", unit_id: "b1" }], branch)).toBe(false);
  });
});

describe("the pledge form", () => {
  it("starts an annual pledge due at the end of the year, an instant one with no date", () => {
    expect(emptyPledge(2026)).toMatchObject({ kind: "annual", due_date: "2026-12-31", areas: [], mode: "individual" });
    expect(emptyPledge(2026, "instant")).toMatchObject({ kind: "instant", due_date: "" });
  });

  it("sends lists from lines, a trigger only for an instant pledge and the masses only when they take part", () => {
    const model = { ...emptyPledge(2026), title: "  带头完善教学档案 ", content: " 每学期 ", targets: "公开课两次\n\n  指导青年教师  \n",
      areas: ["study"], trigger: "emergency", masses_participants: "张三\n李四" };
    expect(pledgeBody(model)).toEqual({ kind: "annual", mode: "individual", title: "带头完善教学档案", content: "每学期",
      targets: ["公开课两次", "指导青年教师"], areas: ["study"], due_date: "2026-12-31", trigger: null, masses_participants: [] });
    const instant = pledgeBody({ ...model, kind: "instant", mode: "with_masses", due_date: "" });
    expect(instant).toMatchObject({ kind: "instant", trigger: "emergency", masses_participants: ["张三", "李四"], due_date: null });
  });

  it("edits a pledge without its kind, and reads a pledge back into the form unchanged", () => {
    const pledge = { kind: "instant", trigger: "phase_work", mode: "with_masses", masses_participants: ["王五"], title: "T",
      content: "C", targets: ["a", "b"], areas: ["study", "discipline"], due_date: "2026-06-30" };
    const model = formOf(pledge);
    expect(model).toMatchObject({ targets: "a\nb", masses_participants: "王五", trigger: "phase_work" });
    const body = pledgeBody(model, { editing: true });
    expect(body).not.toHaveProperty("kind");
    expect(body).toMatchObject({ targets: ["a", "b"], masses_participants: ["王五"], areas: ["study", "discipline"],
      due_date: "2026-06-30", trigger: "phase_work" });
  });

  it("reads lines without the blank ones", () => {
    expect(lines(" a \n\n b\n")).toEqual(["a", "b"]);
    expect(lines(null)).toEqual([]);
  });

  it("finds this year's annual pledge that still counts and this year's exemption", () => {
    const items = [{ kind: "annual", year: 2026, state: "withdrawn", title: "old" },
      { kind: "instant", year: 2026, state: "published" }, { kind: "annual", year: 2026, state: "draft", title: "mine" }];
    expect(annualOfYear(items, 2026).title).toBe("mine");
    expect(annualOfYear(items, 2027)).toBeNull();
    const person = { exemptions: [{ year: 2025, reason: "病休" }, { year: 2026, reason: "年老体弱" }] };
    expect(exemptionOf(person, 2026)).toEqual({ year: 2026, reason: "年老体弱" });
    expect(exemptionOf(person, 2027)).toBeNull();
    expect(exemptionOf(null, 2026)).toBeNull();
  });

  it("offers next year down to six years back", () => {
    expect(yearOptions(2026)).toEqual([2027, 2026, 2025, 2024, 2023, 2022, 2021, 2020]);
  });
});

describe("a notice's /pledges?status=overdue", () => {
  it("opens the ledger filtered to overdue for a secretary and my pledges for a member", () => {
    expect(pledgesLinkTarget({ status: "overdue" }, new Set(["member", "branch_secretary"])))
      .toEqual({ name: "pledge-ledger", query: { state: "overdue" } });
    const unit = "691156d5-8f39-5f20-9810-f34c55f7259f";
    expect(pledgesLinkTarget({ unit_id: unit, status: "overdue" }, new Set(["org_department"])))
      .toEqual({ name: "pledge-ledger", query: { state: "overdue", unit_id: unit } });
    expect(pledgesLinkTarget({ unit_id: "x')", status: "overdue" }, new Set(["branch_secretary"])))
      .toEqual({ name: "pledge-ledger", query: { state: "overdue" } });
    expect(pledgesLinkTarget({ status: "overdue" }, new Set(["member"]))).toEqual({ name: "my-pledges", query: { state: "overdue" } });
    expect(pledgesLinkTarget({ status: "returned" }, new Set(["branch_secretary"]))).toEqual({ name: "my-pledges", query: { state: "returned" } });
    expect(pledgesLinkTarget({}, new Set(["member"]))).toEqual({ name: "my-pledges", query: {} });
  });

  it("takes only a state there is", () => {
    expect(stateFromQuery({ state: "overdue" })).toBe("overdue");
    expect(stateFromQuery({ status: "<script>" })).toBe("");
    // a reminder's link asks for its year; a year the list does not offer is none
    expect(yearFromQuery({ year: "2026" }, [2027, 2026])).toBe(2026);
    expect(yearFromQuery({ year: "1999" }, [2027, 2026])).toBe("");
    expect(yearFromQuery({}, [2026])).toBe("");
    expect(stateFromQuery(undefined)).toBe("");
  });
});

describe("the ledger", () => {
  it("asks the page and the export with the same filters: a typed name trimmed, empty ones left out", () => {
    const params = ledgerParams({ unit_id: "u", year: 2026, state: "", kind: "instant", member: "  陈党员 " });
    expect(params).toEqual({ unit_id: "u", year: 2026, state: undefined, kind: "instant", pledger_name: "陈党员" });
    expect(ledgerParams({ unit_id: "u", year: 2026, state: "overdue", kind: "", member: "  " }))
      .toEqual({ unit_id: "u", year: 2026, state: "overdue", kind: undefined, pledger_name: undefined });
  });

  const units = [
    { id: "c", name: "党委", kind: "committee", parent_id: null },
    { id: "gb1", name: "教育学院党总支", kind: "general_branch", parent_id: "c" },
    { id: "gb2", name: "机关党总支", kind: "general_branch", parent_id: "c" },
    { id: "b2", name: "教工第二党支部", kind: "branch", parent_id: "gb1" },
    { id: "b1", name: "教工第一党支部", kind: "branch", parent_id: "gb1" },
    { id: "g1", name: "第一党小组", kind: "group", parent_id: "b1" },
    { id: "b3", name: "教务处党支部", kind: "branch", parent_id: "gb2" },
    { id: "old", name: "已撤销党支部", kind: "branch", parent_id: "gb2", active: false },
  ];

  it("offers a general branch's secretary the general branch and each branch under it, groups and others' left out", () => {
    const options = unitOptions(units, ["gb1"]);
    expect(options.map((u) => [u.id, u.depth])).toEqual([["gb1", 0], ["b2", 1], ["b1", 1]]); // the directory's order
    expect(options.map((u) => u.id)).not.toContain("g1");
    expect(options.map((u) => u.id)).not.toContain("b3");
  });

  it("offers a branch secretary their branch alone, and 组织部 the whole tree in order", () => {
    expect(unitOptions(units, ["b1"]).map((u) => u.id)).toEqual(["b1"]);
    const all = unitOptions(units, ["c"]);
    expect(all[0]).toMatchObject({ id: "c", depth: 0 });
    expect(all.map((u) => u.id)).toEqual(expect.arrayContaining(["gb1", "gb2", "b1", "b2", "b3"]));
    expect(all.map((u) => u.id)).not.toContain("old");
    expect(all.findIndex((u) => u.id === "b3")).toBeGreaterThan(all.findIndex((u) => u.id === "gb2"));
    // a root inside another root's tree shows once, inside it
    expect(unitOptions(units, ["gb1", "b1"]).filter((u) => u.id === "b1")).toHaveLength(1);
  });

  it("starts from the units where I am a secretary", () => {
    expect(ledgerRoots([{ role: "member", unit_id: "b1" }, { role: "general_branch_secretary", unit_id: "gb1" },
      { role: "branch_secretary", unit_id: "b1" }, { role: "org_department", unit_id: null }])).toEqual(["gb1", "b1"]);
  });
});

describe("a pledge's path", () => {
  const pledge = {
    created_at: "2026-03-01T02:00:00+00:00", pledger_name: "陈党员", evaluation: { score: 92.5, level: "excellent" },
    history: [
      { action: "submit", at: "2026-03-01T02:00:00+00:00", actor_name: "陈党员", to_state: "submitted" },
      { action: "return", at: "2026-03-02T02:00:00+00:00", actor_name: "李总支", reason: "目标不够具体", to_state: "returned" },
      { action: "submit", at: "2026-03-03T02:00:00+00:00", actor_name: "陈党员", to_state: "submitted" },
      { action: "approve", at: "2026-03-04T02:00:00+00:00", actor_name: "李总支", to_state: "approved" },
      { action: "publish", at: "2026-03-04T02:00:01+00:00", actor_name: "李总支", to_state: "published" },
      { action: "report_progress", at: "2026-04-01T02:00:00.123000+00:00", actor_name: "陈党员", to_state: "published" },
      { action: "mark_overdue", at: "2026-05-01T16:00:00+00:00", actor_name: null,
        actor_id: "00000000-0000-0000-0000-000000000000", to_state: "overdue" },
      { action: "fulfil", at: "2026-05-02T02:00:00+00:00", actor_name: "陈党员", to_state: "fulfilled" },
      { action: "record_evaluation", at: "2026-06-01T02:00:00+00:00", actor_name: null,
        actor_id: "00000000-0000-0000-0000-000000000000", to_state: "evaluated" },
    ],
  };
  const reports = [{ id: "r1", created_at: "2026-04-01T02:00:00.123+00:00", evidence: "已整理一半" }];

  it("starts with the pledge made and gives every step its time, who, why, report and result", () => {
    const steps = timeline(pledge, reports);
    expect(steps.map((s) => s.action)).toEqual(["created", "submit", "return", "submit", "approve", "publish",
      "report_progress", "mark_overdue", "fulfil", "record_evaluation"]);
    expect(steps[0]).toMatchObject({ at: pledge.created_at, actor: "陈党员" });
    expect(steps[2]).toMatchObject({ reason: "目标不够具体", actor: "李总支", type: "danger" });
    expect(steps[6].report).toBe(reports[0]); // the same moment written two ways
    expect(steps[7]).toMatchObject({ system: true, actor: null, type: "danger" });
    expect(steps[9].evaluation).toEqual({ score: 92.5, level: "excellent" });
    expect(steps.map((s) => s.key)).toEqual([...new Set(steps.map((s) => s.key))]);
  });

  it("shows a long path short, saying how many steps are left out", () => {
    const steps = timeline(pledge);
    expect(shortened(steps).map((s) => s.key)).toEqual(["created", "step-0", "gap", "step-4", "step-5", "step-6", "step-7", "step-8"]);
    expect(shortened(steps)[2]).toEqual({ key: "gap", gap: 3 });
    const long = Array.from({ length: 30 }, (_, i) => ({ key: String(i) }));
    const short = shortened(long);
    expect(short).toHaveLength(8);
    expect(short[2]).toEqual({ key: "gap", gap: 23 });
    expect(short.slice(-1)[0].key).toBe("29");
    expect(shortened(long.slice(0, 8))).toHaveLength(8);
  });
});

describe("small things", () => {
  it("opens only http and https links of evidence", () => {
    expect(safeUrl("https://pan.example.edu.cn/x")).toBe("https://pan.example.edu.cn/x");
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("data:text/html,x")).toBeNull();
  });

  it("runs an action over several items, counting what failed and keeping the first error", async () => {
    const boom = new Error("已审核");
    const action = vi.fn(async (n) => { if (n % 2) throw boom; });
    expect(await eachOf([1, 2, 3, 4], action)).toEqual({ done: 2, failed: 2, error: boom });
    expect(action).toHaveBeenCalledTimes(4);
  });
});

describe("who has not pledged (未承诺名单) and the ledger's link to organisation pledges", () => {
  it("asks for the missing list unless the exempted one is chosen, leaving out what is empty", () => {
    expect(unpledgedParams({ unit_id: "u", year: 2026, list: "", branch_id: "", name: "  " }))
      .toEqual({ unit_id: "u", year: 2026, list: "missing" });
    expect(unpledgedParams({ unit_id: "u", year: 2026, list: "exempted", branch_id: "b1", name: " 吴 " }))
      .toEqual({ unit_id: "u", year: 2026, list: "exempted", branch_id: "b1", name: "吴" });
    expect(unpledgedParams({ unit_id: "u", year: 2026, list: "all" }).list).toBe("missing");
  });

  it("counts whom a reminder reaches: every branch's missing members, or one branch's", () => {
    const branches = [{ unit_id: "b1", missing: 3 }, { unit_id: "b2", missing: 0 }, { unit_id: "b3", missing: 2 }];
    expect(toRemind(branches)).toBe(5);
    expect(toRemind(branches, "b3")).toBe(2);
    expect(toRemind(branches, "b2")).toBe(0);
    expect(toRemind(undefined)).toBe(0);
  });

  it("says who was reminded now and who had been today already", () => {
    expect(remindedToast({ reminded: 3, already_reminded: 0 })).toEqual({ key: "pledges.unpledged.reminded", values: { reminded: 3, already: 0 } });
    expect(remindedToast({ reminded: 1, already_reminded: 2 }).key).toBe("pledges.unpledged.remindedPartly");
    expect(remindedToast({ reminded: 0, already_reminded: 2 }).key).toBe("pledges.unpledged.remindedNone");
    expect(remindedToast({ reminded: 0, already_reminded: 0 }).key).toBe("pledges.unpledged.remindedNone");
  });

  it("offers the organisation pledges still standing as the ledger's filter, and passes the one chosen", () => {
    const rows = [
      { id: "p1", pledger_kind: "unit", state: "published", title: "建设服务型党组织", unit_name: "教工第一党支部" },
      { id: "p2", pledger_kind: "member", state: "published", title: "带头学习", unit_name: "教工第一党支部" },
      { id: "p3", pledger_kind: "unit", state: "withdrawn", title: "已撤回", unit_name: "教工第一党支部" },
    ];
    expect(linkOptions(rows)).toEqual([{ id: "p1", title: "建设服务型党组织", unit: "教工第一党支部" }]);
    expect(ledgerParams({ unit_id: "u", year: 2026, linked_to: "p1" }).linked_to).toBe("p1");
    expect(ledgerParams({ unit_id: "u", year: 2026, linked_to: "" }).linked_to).toBeUndefined();
  });
});
