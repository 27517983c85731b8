// The organisation tree as the browser builds it from the directory's flat list of units, and the directory's,
// inbox's and profile's words: every one of them compiles in both languages.
import { describe, expect, it } from "vitest";
import { buildUnitTree, idsAtOrBelow, idsToDepth, pruneTree, unitPath, countNodes } from "@/components/unitTree";
import { i18n } from "@/locales";
import zhCN from "@/locales/zh-CN";

const unit = (id, kind, parent, name = id, active = true) => ({ id, kind, parent_id: parent, name, active });
const UNITS = [
  unit("b2", "branch", "g1", "教务处党支部"),
  unit("grp", "group", "b1", "第一党小组"),
  unit("c", "committee", null, "中共示范大学委员会"),
  unit("g1", "general_branch", "c", "机关党总支"),
  unit("g2", "general_branch", "c", "教育学院党总支"),
  unit("b1", "branch", "g2", "教工第一党支部"),
  unit("b3", "branch", "g2", "学生党支部", false),
  unit("lost", "branch", "gone", "上级已删除的党支部"),
];

const names = (tree) => tree.map((n) => [n.name, names(n.children)]);

describe("the organisation tree", () => {
  it("puts each unit under its parent whatever the order of the list, a unit with no known parent at the top", () => {
    const tree = buildUnitTree(UNITS);
    expect(tree.map((n) => n.id)).toEqual(["c", "lost"]);
    const committee = tree[0];
    expect(committee.children.map((n) => n.id).sort()).toEqual(["g1", "g2"]);
    const education = committee.children.find((n) => n.id === "g2");
    expect(education.children.map((n) => n.id).sort()).toEqual(["b1", "b3"]);
    expect(education.children.find((n) => n.id === "b1").children.map((n) => n.id)).toEqual(["grp"]);
    expect(countNodes(tree)).toBe(UNITS.length);
  });

  it("leaves inactive units out when asked, unless one of them is already chosen", () => {
    expect(countNodes(buildUnitTree(UNITS, { includeInactive: false }))).toBe(UNITS.length - 1);
    const kept = buildUnitTree(UNITS, { includeInactive: false, keep: ["b3"] });
    expect(countNodes(kept)).toBe(UNITS.length);
  });

  it("shows only the subtrees asked for, once each (a general-branch secretary's branches)", () => {
    expect(names(buildUnitTree(UNITS, { roots: ["g2"] }))).toEqual([
      ["教育学院党总支", [["教工第一党支部", [["第一党小组", []]]], ["学生党支部", []]]],
    ]);
    // b1 is inside g2: shown there, not again as a root of its own
    expect(buildUnitTree(UNITS, { roots: ["b1", "g2"] }).map((n) => n.id)).toEqual(["g2"]);
    expect(buildUnitTree(UNITS, { roots: ["nowhere"] })).toEqual([]);
  });

  it("survives a cycle in bad data", () => {
    const tree = buildUnitTree([unit("a", "branch", "b"), unit("b", "branch", "a")]);
    expect(countNodes(tree)).toBe(2);
  });

  it("finds a unit's units below, its path from the top, and opens it to a depth", () => {
    expect(idsAtOrBelow(UNITS, "g2").sort()).toEqual(["b1", "b3", "g2", "grp"]);
    expect(idsAtOrBelow(UNITS, "grp")).toEqual(["grp"]);
    const byId = new Map(UNITS.map((u) => [u.id, u]));
    expect(unitPath("grp", byId)).toEqual(["中共示范大学委员会", "教育学院党总支", "教工第一党支部", "第一党小组"]);
    const tree = buildUnitTree(UNITS);
    expect(idsToDepth(tree, 0)).toEqual(["c", "lost"]);
    expect(idsToDepth(tree, 1).sort()).toEqual(["c", "g1", "g2", "lost"]);
  });

  it("cuts the tree down to the matches and the units above them", () => {
    const found = pruneTree(buildUnitTree(UNITS), (u) => u.name.includes("党小组"));
    expect(names(found)).toEqual([["中共示范大学委员会", [["教育学院党总支", [["教工第一党支部", [["第一党小组", []]]]]]]]]);
    expect(pruneTree(buildUnitTree(UNITS), () => false)).toEqual([]);
    const branch = pruneTree(buildUnitTree(UNITS), (u) => u.id === "b1", { withChildren: true });
    expect(names(branch)[0][1][0][1]).toEqual([["教工第一党支部", [["第一党小组", []]]]]);
  });
});

describe("the words of the directory, the inbox and the profile", () => {
  const keys = (tree, prefix) => Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === "object" ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]);

  it.each(["zh-CN", "en"])("all compile and show in %s", (locale) => {
    i18n.global.locale.value = locale;
    const all = ["directory", "inbox", "profile"].flatMap((area) => keys(zhCN[area], `${area}.`));
    expect(all.length).toBeGreaterThan(100);
    for (const key of all) {
      const text = i18n.global.t(key, { name: "x", kind: "y", count: 2, total: 3, shown: 1, rows: 4, created: 5, reason: "r",
        role: "r", year: 2026, names: "n", max: 9, unread: 1, groups: 2, title: "t" });
      expect(text, key).not.toBe(key);
      expect(text, key).not.toMatch(/\{\w+\}/);
    }
    i18n.global.locale.value = "zh-CN";
  });

  it("keeps an e-mail address's @ as it is", () => {
    expect(i18n.global.t("profile.emailPlaceholder")).toBe("name@example.edu.cn");
  });
});
