// The grading pages' browser logic: the organisation's tree from units, the year a picker opens on, the years a
// cycle may be opened for, the 先进 cap as a level changes, service errors per score, a notice's link.
import { describe, expect, it, vi } from "vitest";
import { mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import { i18n } from "@/locales";
import UnitTreePicker from "@/components/UnitTreePicker.vue";
import { http } from "@/api/client";
import { countGradingSteps } from "@/api/grading";
import { choiceTree, leafIds, matchingLeafIds } from "@/utils/unitTree";
import {
  acceptanceCycle, capSummary, capWith, cycleTarget, cycleYears, defaultCycle, hasResults, lines, openCycleElsewhere,
  plusDays, rectificationCycle, scoreErrors, yearAllowed,
} from "@/views/grading/logic";

vi.mock("@/api/client", () => ({ http: { get: vi.fn() } }));

const unit = (id, name, kind, parent_id = null, active = true) => ({ id, name, kind, parent_id, active });
const UNITS = [
  unit("c", "中共示范大学委员会", "committee"),
  unit("g1", "教育学院党总支", "general_branch", "c"),
  unit("g2", "机关党总支", "general_branch", "c"),
  unit("g3", "空党总支", "general_branch", "c"),
  unit("b1", "教育学院教工第一党支部", "branch", "g1"),
  unit("b2", "教育学院学生党支部", "branch", "g1"),
  unit("b3", "教务处党支部", "branch", "g2"),
  unit("b4", "离退休党支部", "branch", "c"), // directly under the committee
  unit("b5", "已撤销党支部", "branch", "g2", false),
  unit("p1", "教工第一党支部第一党小组", "group", "b1"),
];

describe("the organisation's tree", () => {
  it("groups branches under their general branch, from parent_id", () => {
    const [committee] = choiceTree(UNITS);
    expect(committee.id).toBe("c");
    // the general branches first, then the branches directly under the committee
    expect(committee.children.map((n) => n.name)).toEqual(["机关党总支", "教育学院党总支", "离退休党支部"]);
    const education = committee.children.find((n) => n.id === "g1");
    expect(education.children.map((n) => n.id).sort()).toEqual(["b1", "b2"]);
    expect(education.children.every((n) => n.leaf && !n.children)).toBe(true); // groups below a branch: not offered
  });

  it("leaves out inactive branches and general branches with no branch", () => {
    const ids = leafIds(choiceTree(UNITS));
    expect(ids.sort()).toEqual(["b1", "b2", "b3", "b4"]);
    expect(JSON.stringify(choiceTree(UNITS))).not.toContain("g3");
    expect(leafIds(choiceTree(UNITS, { includeInactive: true }))).toContain("b5");
  });

  it("makes a root of a unit whose parent is unknown, and survives a loop", () => {
    const tree = choiceTree([unit("x", "甲", "branch", "missing"), unit("a", "乙", "general_branch", "b"),
      unit("b", "丙", "general_branch", "a"), unit("y", "丁", "branch", "a")]);
    expect(leafIds(tree).sort()).toEqual(["x", "y"]);
  });

  it("finds a general branch's branches by the general branch's name, and a branch by its own", () => {
    const tree = choiceTree(UNITS);
    expect(matchingLeafIds(tree, "教育学院党总支").sort()).toEqual(["b1", "b2"]);
    expect(matchingLeafIds(tree, "教务处")).toEqual(["b3"]);
    expect(matchingLeafIds(tree, "").sort()).toEqual(["b1", "b2", "b3", "b4"]);
    expect(matchingLeafIds(tree, "不存在")).toEqual([]);
  });

});

describe("the tree picker", () => {
  const picker = (modelValue = []) => mount(UnitTreePicker, {
    props: { units: UNITS, modelValue, "onUpdate:modelValue": () => {} },
    global: { plugins: [ElementPlus, i18n], stubs: { IconSearch: true } },
  });

  it("selects all the branches a search shows, and only those", async () => {
    const wrapper = picker();
    await wrapper.find("input[name=unit-search]").setValue("教育学院党总支");
    await wrapper.find("[data-test=unit-select-all] input").setValue(true);
    const [[chosen]] = wrapper.emitted("update:modelValue").slice(-1);
    expect(chosen.sort()).toEqual(["b1", "b2"]);
  });

  it("counts what is chosen of all there is", async () => {
    const wrapper = picker(["b1", "b3"]);
    await wrapper.vm.$nextTick();
    expect(wrapper.find("[data-test=unit-count]").text()).toContain("2 / 4");
  });
});

const cycle = (year, state, decided = 0, id = String(year)) => ({ id, year, state, decided });

describe("the year a picker opens on", () => {
  it("is the newest cycle that has results, not an empty one far ahead", () => {
    const cycles = [cycle(2058, "open"), cycle(2082, "open"), cycle(2026, "open", 2), cycle(2025, "final", 3)];
    expect(defaultCycle(cycles, { thisYear: 2026 }).year).toBe(2026);
  });

  it("passes over this year's cycle while no branch has a level", () => {
    const cycles = [cycle(2027, "open"), cycle(2026, "open"), cycle(2025, "final", 3)];
    expect(defaultCycle(cycles, { thisYear: 2026 }).year).toBe(2025);
    expect(hasResults(cycle(2026, "publicity"))).toBe(true);
  });

  it("is the newest of last, this and next year when none has results", () => {
    const cycles = [cycle(2058, "open"), cycle(2027, "open"), cycle(2026, "open")];
    expect(defaultCycle(cycles, { thisYear: 2026 }).year).toBe(2027);
    expect(defaultCycle([cycle(2058, "open")], { thisYear: 2026 }).year).toBe(2058);
    expect(defaultCycle([], { thisYear: 2026 })).toBeNull();
  });

  it("is the one a link asks for when there is one", () => {
    const cycles = [cycle(2026, "open", 2), cycle(2025, "final", 3)];
    expect(defaultCycle(cycles, { thisYear: 2026, wanted: "2025" }).year).toBe(2025);
    expect(defaultCycle(cycles, { thisYear: 2026, wanted: "nope" }).year).toBe(2026);
  });

  it("points to this year's open cycle when another is shown", () => {
    const cycles = [cycle(2027, "open"), cycle(2025, "final", 3)];
    expect(openCycleElsewhere(cycles, cycles[1], 2026).year).toBe(2027);
    expect(openCycleElsewhere(cycles, cycles[0], 2026)).toBeNull();
    expect(openCycleElsewhere([cycle(2058, "open")], null, 2026)).toBeNull();
  });
});

describe("the years a cycle may be opened for", () => {
  it("are last, this and next year", () => {
    expect(cycleYears(2026)).toEqual([2025, 2026, 2027]);
    expect([2024, 2025, 2026, 2027, 2028, 2058].map((y) => yearAllowed(y, 2026)))
      .toEqual([false, true, true, true, false, false]);
    expect(yearAllowed(2026.5, 2026)).toBe(false);
    expect(yearAllowed(Number(""), 2026)).toBe(false);
  });
});

describe("rectification and acceptance", () => {
  const cycles = [cycle(2027, "open"), cycle(2026, "final", 3), cycle(2025, "final", 3)];
  it("follows the chosen final cycle, else the latest final one before it", () => {
    expect(rectificationCycle(cycles, cycles[1]).year).toBe(2026);
    expect(rectificationCycle(cycles, cycles[0]).year).toBe(2026);
    expect(rectificationCycle(cycles, cycles[2]).year).toBe(2025);
    expect(rectificationCycle([cycle(2026, "open")], cycle(2026, "open"))).toBeNull();
  });

  it("is accepted while the next cycle is open", () => {
    expect(acceptanceCycle(cycles, cycles[0]).year).toBe(2026);
    expect(acceptanceCycle(cycles, cycles[1])).toBeNull();
  });
});

describe("the 先进 cap", () => {
  const overall = { advanced_quota: { overall: 1, by_general_branch: null }, advanced: { overall: 1, by_general_branch: { g1: 1 } } };
  it("counts a level before it is saved", () => {
    expect(capWith(overall, { general_branch_id: "g1", level: null }, "advanced")).toMatchObject({ advanced: 2, allowed: 1, excess: 1 });
    expect(capWith(overall, { general_branch_id: "g1", level: "advanced" }, "ordinary")).toMatchObject({ advanced: 0, excess: 0 });
    expect(capWith(overall, { general_branch_id: "g1", level: "advanced" }, "advanced")).toMatchObject({ advanced: 1, excess: 0 });
  });

  it("applies per general branch when the cycle shares the quota", () => {
    const shared = { advanced_quota: { overall: 3, by_general_branch: { g1: 2, g2: 1 } }, advanced: { overall: 3, by_general_branch: { g1: 2 } } };
    expect(capWith(shared, { general_branch_id: "g1", level: "ordinary" }, "advanced")).toMatchObject({ advanced: 3, allowed: 2, excess: 1 });
    expect(capSummary(shared, ["g1"])).toMatchObject({ advanced: 2, allowed: 2, excess: 0 });
    expect(capSummary(overall, [])).toMatchObject({ advanced: 1, allowed: 1, excess: 0 });
  });
});

describe("small helpers", () => {
  it("puts a service's message beside the indicator's score it was about", () => {
    const sent = [{ indicator: "leader" }, { indicator: "masses" }];
    expect(scoreErrors({ scores: { 1: { score: ["Must be between 0 and 100."] } } }, sent))
      .toEqual({ "masses.score": "Must be between 0 and 100." });
    expect(scoreErrors({ scores: ["required"] }, sent)).toEqual({});
    expect(scoreErrors(undefined, sent)).toEqual({});
  });

  it("sends a notice's link to the first grading page a person may open, with its year, branch and task", () => {
    const roles = (...names) => new Set(names);
    expect(cycleTarget("c1", { branch_id: "b1", task_id: "t1" }, roles("member", "branch_secretary")))
      .toEqual({ name: "branch-grading", query: { cycle: "c1", branch_id: "b1", task_id: "t1" } });
    expect(cycleTarget("c1", {}, roles("general_branch_secretary")).name).toBe("general-grading");
    expect(cycleTarget("c1", { branch_id: "b1" }, roles("org_department")))
      .toEqual({ name: "org-grading", query: { cycle: "c1", branch_id: "b1" } });
    expect(cycleTarget("c1", {}, roles("member"))).toEqual({ name: "grading-publicity", query: { cycle: "c1" } });
  });

  it("reads lines and adds days", () => {
    expect(lines(" a \n\n b\n")).toEqual(["a", "b"]);
    expect(plusDays("2026-12-30", 3)).toBe("2027-01-02");
  });
});

describe("the grading steps on the menu's badge", () => {
  it("counts branches without a level, unanswered objections and a self-assessment not yet given", async () => {
    const asked = [];
    http.get.mockImplementation(async (path, params) => {
      asked.push([path, params]);
      if (path === "/api/grading/cycles") {
        return { total: 3, items: [
          { id: "c58", year: 2058, state: "open", self_assessment_deadline: "2058-12-31" },
          { id: "c26", year: 2026, state: "open", self_assessment_deadline: "2026-12-31" },
          { id: "c25", year: 2025, state: "publicity", self_assessment_deadline: "2025-12-31" },
        ] };
      }
      if (path === "/api/grading/cycles/c26/branches") return { items: [], total: 4 };
      if (path === "/api/grading/cycles/c25/objections") return { items: [], total: 2 };
      if (path === "/api/grading/cycles/c26/branches/b1") return { scores: {} };
      if (path === "/api/grading/cycles/c26/branches/b2") return { scores: { self: { leader: { score: 90 } } } };
      throw new Error(`unexpected ${path}`);
    });
    const me = { roles: [{ role: "branch_secretary", unit_id: "b1" }, { role: "branch_secretary", unit_id: "b2" }] };
    const roles = new Set(["general_branch_secretary", "branch_secretary"]);
    expect(await countGradingSteps(roles, me, { thisYear: 2026, today: "2026-12-05" })).toBe(4 + 2 + 1);
    expect(asked).toContainEqual(["/api/grading/cycles/c26/branches", { level: "none", limit: 1 }]);
    expect(asked).toContainEqual(["/api/grading/cycles/c25/objections", { answered: false, limit: 1 }]);
    expect(asked.some(([path]) => path.includes("c58"))).toBe(false); // a year far off is nobody's step
    // past the deadline the self-assessment is no longer waiting
    expect(await countGradingSteps(new Set(["branch_secretary"]), me, { thisYear: 2026, today: "2027-01-01" })).toBe(0);
  });
});
